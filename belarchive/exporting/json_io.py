"""Export a catalogue, or a selection of its events, as a belarchive-json file (version 1).

The format (documented in docs/json-format.md) is one JSON object laid out one record per
line, with every list in a fixed order and every object's keys sorted, so the same
records always give the same bytes. Only the ``"header"`` line (exporting catalogue,
time, selection) differs between two exports of the same records: exporting, importing
into an empty catalogue and exporting again reproduces the file apart from that line.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from sqlalchemy import Connection

from belarchive import __version__
from belarchive.errors import Cancelled, ExportError
from belarchive.exporting import json_records as rec
from belarchive.exporting import json_refs
from belarchive.i18n import _
from belarchive.outputs import output_path, replace_atomically, write_atomically
from belarchive.security.cipher_files import Tampered
from belarchive.services import anchors, signed_audit
from belarchive.services.catalogue import Catalogue

FORMAT = "belarchive-json"
VERSION = 2
Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class JsonExportSummary:
    path: Path
    events: int
    sources: int
    history: int
    files: int


def dumps(record: Any) -> str:
    """One record, deterministically: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def export_json(
    cat: Catalogue,
    path: Path,
    *,
    uuids: Sequence[str] | None = None,
    with_files: bool = False,
    selection: dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    recipients: Sequence[Any] = (),
) -> JsonExportSummary:
    """Write ``uuids`` (default: every event, deleted and merged ones included) to ``path``.

    The file appears only when complete: it is written under a temporary name and renamed.
    ``with_files`` embeds the archived copies (base64), re-checking each one's SHA-256.
    With ``recipients`` (security.exchange) the file is age-encrypted for them; the
    plaintext is built in memory and never written.
    """
    path = output_path(path, what=_("the export"))
    with cat.reader.connect() as conn, conn.begin():  # one snapshot for the whole file
        chosen = list(uuids) if uuids is not None else _all_events(conn)
        ordered = _ordered(conn, chosen)
        refs = json_refs.referenced(conn, ordered)
        source_uuids = sorted(
            set(refs["sources"]) | (set() if uuids is not None else set(_all_sources(conn)))
        )
        header = {
            "catalogue_id": cat.catalogue_id,
            "exported_at": rec.iso_ts(datetime.now(UTC)),
            "generator": f"belarchive {__version__}",
            "selection": selection or {},
            "with_files": with_files,
            # Version 2: the signed audit head, and every key the history's signatures need.
            "audit_head": anchors.signed_head(conn).as_dict(),
            "public_keys": signed_audit.registered_keys(conn, cat.catalogue_id),
        }
        writer = _Writer(cat, conn, ordered, source_uuids, with_files, progress, cancel)
        if recipients:
            counts = _write_encrypted(path, writer, header, refs, recipients)
        else:
            counts = write_atomically(path, lambda fh: writer.write(fh, header, refs))
    return JsonExportSummary(path, len(ordered), len(source_uuids), counts[0], counts[1])


def _write_encrypted(
    path: Path,
    writer: _Writer,
    header: dict[str, Any],
    refs: dict[str, list[str]],
    recipients: Sequence[Any],
) -> tuple[int, int]:
    from belarchive.security import exchange

    text = io.StringIO()
    counts = writer.write(text, header, refs)
    sealed = exchange.encrypt(text.getvalue().encode("utf-8"), recipients)
    replace_atomically(path, lambda tmp: tmp.write_bytes(sealed))
    return counts


def _all_events(conn: Connection) -> list[str]:
    return [r[0] for r in conn.exec_driver_sql("SELECT uuid FROM event").all()]


def _all_sources(conn: Connection) -> list[str]:
    return [r[0] for r in conn.exec_driver_sql("SELECT uuid FROM source").all()]


def _ordered(conn: Connection, uuids: Sequence[str]) -> list[str]:
    """Events by date (undated last), then uuid: readable, and the same in every catalogue."""
    rows = conn.exec_driver_sql(
        "SELECT uuid FROM event WHERE uuid IN (SELECT value FROM json_each(?)) "
        "ORDER BY date_earliest IS NULL, date_earliest, date_latest, uuid",
        (json.dumps(list(uuids)),),
    ).all()
    return [r[0] for r in rows]


class _Writer:
    def __init__(
        self,
        cat: Catalogue,
        conn: Connection,
        events: list[str],
        sources: list[str],
        with_files: bool,
        progress: Progress | None,
        cancel: CancelFlag | None,
    ) -> None:
        self.cat, self.conn, self.events, self.sources = cat, conn, events, sources
        self.with_files, self.progress, self.cancel = with_files, progress, cancel
        self.files = 0

    def write(
        self, fh: IO[str], header: dict[str, Any], refs: dict[str, list[str]]
    ) -> tuple[int, int]:
        conn = self.conn
        fh.write(f'{{\n"format": "{FORMAT}",\n"version": {VERSION},\n"header": {dumps(header)},\n')
        users = json_refs.referenced_users(conn, self.events, self.sources)
        _section(fh, "users", rec.load_users(conn, users))
        _section(fh, "tags", rec.load_tags(conn, refs["tags"]))
        _section(fh, "places", rec.load_places(conn, refs["places"]))
        _section(fh, "actors", rec.load_actors(conn, refs["actors"]))
        _section(
            fh,
            "sources",
            (
                self._with_content(s)
                for part in rec.chunks(self.sources)
                for s in rec.load_sources(conn, part)
            ),
        )
        _section(fh, "events", self._events())
        history = 0

        def counted() -> Iterable[rec.Record]:
            nonlocal history
            for entry in json_refs.iter_history(
                conn, self.cat.catalogue_id, self.events + self.sources
            ):
                history += 1
                yield entry

        _section(fh, "history", counted(), last=True)
        fh.write("}\n")
        return history, self.files

    def _events(self) -> Iterable[rec.Record]:
        total = len(self.events)
        for n, part in enumerate(rec.chunks(self.events)):
            if self.cancel and self.cancel():
                raise Cancelled(_("Export cancelled; no file was written."))
            yield from rec.load_events(self.conn, part)
            if self.progress:
                self.progress(min(total, (n + 1) * rec.CHUNK), total)

    def _with_content(self, source: rec.Record) -> rec.Record:
        if not self.with_files:
            return source
        for att in source["attachments"]:
            att["content_base64"] = self._content(att["sha256"], att["original_name"])
            self.files += 1
        return source

    def _content(self, sha256: str, name: str) -> str:
        try:
            data = self.cat.files.read_bytes(sha256)
        except (OSError, Tampered) as exc:
            raise ExportError(
                _(
                    "The archived copy of '{name}' is missing from the catalogue (files/); export "
                    "without --with-files or restore it."
                ).format(name=name)
            ) from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ExportError(
                _(
                    "The archived copy of '{name}' has changed since it was stored (its SHA-256 "
                    "no longer matches); nothing was exported."
                ).format(name=name)
            )
        return base64.b64encode(data).decode("ascii")


def _section(fh: IO[str], name: str, records: Iterable[Any], *, last: bool = False) -> None:
    fh.write(f'"{name}": [')
    first = True
    for record in records:
        fh.write("\n" if first else ",\n")
        fh.write(dumps(record))
        first = False
    fh.write("\n]" if not first else "]")
    fh.write("\n" if last else ",\n")
