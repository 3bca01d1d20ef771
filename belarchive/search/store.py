"""The index folder on disk: its state file, its health, opening and swapping it in.

``index/state.json`` records the index format, the catalogue it belongs to, the last audit
sequence number applied and the size of every index file at the last commit. Comparing
those sizes on open catches a truncated or missing segment file cheaply, before a query
trips over it; a probe search catches the rest.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from belarchive.errors import CatalogueError
from belarchive.i18n import _
from belarchive.search import families
from belarchive.search.schema import INDEX_FORMAT, build_schema
from belarchive.security.catalogue_keys import SEAL_NAME

log = logging.getLogger(__name__)

STATE_NAME = "state.json"
INDEX_NAME = "MAIN"
LOCK_NAME = f"{INDEX_NAME}_WRITELOCK"

OK, MISSING, OUTDATED, CORRUPT, LOCKED, BEHIND = (
    "ok",
    "missing",
    "outdated",
    "corrupt",
    "locked",
    "behind",
)


@dataclass(slots=True)
class IndexState:
    format: int = INDEX_FORMAT
    catalogue_id: str = ""
    audit_seq: int = 0
    doc_count: int = 0
    generation: int = -1
    files: dict[str, int] = field(default_factory=dict)
    # The word family table the family terms were written with (families.index_digest).
    families: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": self.format,
                "catalogue_id": self.catalogue_id,
                "audit_seq": self.audit_seq,
                "doc_count": self.doc_count,
                "generation": self.generation,
                "files": self.files,
                "families": self.families,
            },
            indent=1,
            sort_keys=True,
        )


@dataclass(frozen=True, slots=True)
class IndexHealth:
    """What ``check_index`` found. ``status`` is one of ok, missing, outdated, corrupt, locked,
    behind; anything but ok and behind needs a rebuild (behind only needs a catch-up)."""

    status: str
    message: str
    doc_count: int = 0
    applied_seq: int = 0
    head_seq: int = 0

    @property
    def needs_rebuild(self) -> bool:
        return self.status in (MISSING, OUTDATED, CORRUPT)

    @property
    def usable(self) -> bool:
        return self.status in (OK, BEHIND, LOCKED)


def read_state(folder: Path) -> IndexState | None:
    try:
        raw: dict[str, Any] = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
        return IndexState(
            int(raw["format"]),
            str(raw["catalogue_id"]),
            int(raw["audit_seq"]),
            int(raw["doc_count"]),
            int(raw.get("generation", -1)),
            dict(raw["files"]),
            str(raw.get("families", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def index_files(folder: Path) -> dict[str, int]:
    """Name and size of every Whoosh file (the lock and our state file excluded)."""
    out: dict[str, int] = {}
    for entry in os.scandir(folder):
        if (
            entry.is_file()
            and entry.name not in (STATE_NAME, LOCK_NAME)
            and not (entry.name.endswith(".tmp") or entry.name.startswith("."))
        ):
            out[entry.name] = entry.stat().st_size
    return out


_TOC_RE = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")


def toc_generation(folder: Path) -> int:
    """The newest commit generation (Whoosh names each table of contents _MAIN_<n>.toc)."""
    gens = [int(m.group(1)) for name in os.listdir(folder) if (m := _TOC_RE.match(name))]
    return max(gens, default=-1)


def write_state(folder: Path, state: IndexState) -> None:
    """Record the state atomically: a crash leaves the old state or the new one, never half."""
    state.files = index_files(folder)
    state.generation = toc_generation(folder)
    tmp = folder / (STATE_NAME + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(state.to_json())
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / STATE_NAME)


# Index keys of the sealed catalogues open in this process, by catalogue folder (the index
# folder and its rebuild folders, index.build-*, all live in it), with how many open
# Catalogue objects registered each: closing one must not unseal the others' index.
_SEALED: dict[Path, tuple[bytes, int]] = {}
_SEALED_GUARD = threading.Lock()


def use_key(catalogue_folder: Path, key: bytes | None) -> None:
    """Register (key) or release (None) a sealed catalogue's index key."""
    where = catalogue_folder.resolve()
    with _SEALED_GUARD:
        held = _SEALED.get(where)
        if key is not None:
            _SEALED[where] = (key, (held[1] if held else 0) + 1)
        elif held is not None and held[1] > 1:
            _SEALED[where] = (held[0], held[1] - 1)
        else:
            _SEALED.pop(where, None)


def is_sealed(folder: Path) -> bool:
    return folder.resolve().parent in _SEALED


def storage_for(folder: Path) -> FileStorage:
    held = _SEALED.get(folder.resolve().parent)
    if held is None:
        if (folder.parent / SEAL_NAME).exists():  # fail closed: never plaintext beside a seal
            raise CatalogueError(
                _(
                    "This catalogue is sealed, but its key is not open in this program: the "
                    "search index cannot be read or written. Open the catalogue again."
                )
            )
        return FileStorage(str(folder))
    from belarchive.search.sealed_storage import SealedStorage

    return SealedStorage(str(folder), held[0])


def create_index(folder: Path) -> FileIndex:
    folder.mkdir(parents=True, exist_ok=True)
    return storage_for(folder).create_index(build_schema(), indexname=INDEX_NAME)


def open_index(folder: Path) -> FileIndex:
    return storage_for(folder).open_index(indexname=INDEX_NAME)


def lock_held(folder: Path) -> bool:
    """True if a live process holds the index's write lock.

    Whoosh locks with flock(), which the system releases when the holder dies, so a lock
    file left behind by a crash blocks nothing; only a live holder (another program, a hung
    writer) does, and then searching still works while updates wait.
    """
    if not (folder / LOCK_NAME).exists():
        return False
    lock = FileStorage(str(folder)).lock(LOCK_NAME)
    if not lock.acquire(blocking=False):
        return True
    lock.release()
    return False


def _files_match(folder: Path, state: IndexState) -> str | None:
    """None if every recorded file is there with its recorded size, else what differs."""
    current = index_files(folder)
    for name, size in state.files.items():
        if name not in current:
            return f"the file {name} is missing"
        if current[name] != size:
            return f"the file {name} has {current[name]} bytes instead of {size}"
    return None


def _probe(folder: Path) -> tuple[int, str | None]:
    """Open the index and read from every segment; (doc count, problem or None)."""
    try:
        ix = open_index(folder)
        with ix.searcher() as searcher:
            count = searcher.doc_count()
            reader = searcher.reader()
            for fieldname in ("body", "uuid"):
                for _term in zip(range(3), reader.lexicon(fieldname), strict=False):
                    pass
            for docnum in list(reader.all_doc_ids())[:1]:
                searcher.stored_fields(docnum)
        ix.close()
        return count, None
    except Exception as exc:  # any failure to read means damage; Whoosh raises many kinds
        return 0, f"{type(exc).__name__}: {exc}"


def diagnose(folder: Path, catalogue_id: str, head_seq: int) -> IndexHealth:
    """The health of the index in ``folder`` against a catalogue whose audit head is head_seq."""
    if not folder.is_dir() or not storage_for(folder).index_exists(INDEX_NAME):
        return IndexHealth(MISSING, "The search index is missing.", head_seq=head_seq)
    state = read_state(folder)
    if state is None:
        return IndexHealth(
            CORRUPT, "The search index has no readable state file.", head_seq=head_seq
        )
    if state.format != INDEX_FORMAT:
        return IndexHealth(
            OUTDATED,
            f"The search index has format {state.format}; this version uses {INDEX_FORMAT}.",
            head_seq=head_seq,
        )
    if state.families != families.index_digest():
        return IndexHealth(
            OUTDATED,
            "The word family table changed since the search index was built.",
            head_seq=head_seq,
        )
    if catalogue_id and state.catalogue_id and state.catalogue_id != catalogue_id:
        return IndexHealth(
            CORRUPT, "The search index belongs to another catalogue.", head_seq=head_seq
        )
    held = lock_held(folder)
    generation = toc_generation(folder)
    # A newer generation than recorded means a commit (e.g. a merge cut short by the program
    # exiting) landed after the state was written: the file list is old news, not damage.
    problem = _files_match(folder, state) if generation == state.generation else None
    count, probe_problem = _probe(folder) if problem is None else (0, None)
    problem = problem or probe_problem
    if problem is None and generation == state.generation and count != state.doc_count:
        problem = f"it holds {count} events but recorded {state.doc_count}"
    common = {"doc_count": count, "applied_seq": state.audit_seq, "head_seq": head_seq}
    if problem is not None:
        return IndexHealth(CORRUPT, f"The search index is damaged: {problem}.", **common)
    if held:
        return IndexHealth(LOCKED, "Another program is writing to the search index.", **common)
    if state.audit_seq > head_seq:
        return IndexHealth(
            CORRUPT,
            "The search index is ahead of the catalogue (restored from a backup?).",
            **common,
        )
    if state.audit_seq < head_seq:
        return IndexHealth(
            BEHIND,
            f"The search index is {head_seq - state.audit_seq} changes behind the catalogue.",
            **common,
        )
    return IndexHealth(OK, "The search index is up to date.", **common)


def swap_in(new_folder: Path, folder: Path) -> None:
    """Replace ``folder`` with the freshly built ``new_folder`` (rename, then delete the old)."""
    old = folder.with_name(folder.name + ".old")
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        os.replace(folder, old)
    os.replace(new_folder, folder)
    shutil.rmtree(old, ignore_errors=True)
