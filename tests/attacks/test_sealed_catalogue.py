"""A sealed catalogue (issue 10, item 4): a laptop seized while switched off gives nothing
readable — not the database, its WAL, the archived copies, the search index nor the
backups — while every member opens it with their own passphrase and everything works as in
an open catalogue: search, dossiers, exports, backups, checks."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select
from support import PASSPHRASE
from test_dossier_fixtures import Sample, build_sample

from belarchive.errors import CatalogueError, ImportError_, SealedCatalogue, SignInRefused
from belarchive.exporting.json_io import export_json
from belarchive.exporting.pdf import DossierOptions, build_dossier, verify_dossier
from belarchive.search import api
from belarchive.security import catalogue_keys
from belarchive.services import accounts, audit, events, maintenance, sources, users
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput
from belarchive.services.unlocking import Unlock

# Words that are in the sample's events, citations, archived copies and user table.
SECRETS = [
    "συλλήψεις", "Бондаренко", "Viasna 340", "MVD 300", "Μινσκ", "rita",
    "https://spring96.org",
]  # fmt: skip


@pytest.fixture
def sealed(tmp_path: Path) -> Iterator[Sample]:
    s = build_sample(tmp_path / "cat", sealed=True)
    yield s
    s.cat.close()


def _readable(folder: Path, words: list[str], skip: tuple[str, ...] = ()) -> list[str]:
    """Every file under ``folder`` that holds one of ``words`` in UTF-8 (or the SQLite
    header: a database in the clear)."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.name in skip:
            continue
        data = path.read_bytes()
        for word in [*words, "SQLite format 3"]:
            if word.encode() in data and not (path.name == "catalogue.sqlite"
                                              and word == "SQLite format 3"):  # fmt: skip
                found.append(f"{path.relative_to(folder)}: {word}")
    return found


def test_nothing_readable_is_left_on_disk_while_everything_works(
    sealed: Sample, tmp_path: Path
) -> None:
    cat = sealed.cat
    assert cat.sealed and len(api.search(cat, "συλλήψεις", limit=50).uuids) >= 1
    dossier = tmp_path / "out" / "d.pdf"
    dossier.parent.mkdir()
    build_dossier(cat, DossierOptions(template="chronicle"), dossier)
    assert verify_dossier(cat, dossier).ok
    export = tmp_path / "out" / "all.json"
    export_json(cat, export, with_files=True)
    maintenance.backup(cat, "anna")
    assert maintenance.check(cat).ok
    assert audit.verify_chain(cat.raw_connect()).ok
    # The catalogue is still open: its WAL and the index files are on disk as they are.
    assert list(cat.path.glob("catalogue.sealed-wal"))
    # seal.json names the members (it must, to find their entries); nothing else does.
    assert _readable(cat.path, SECRETS, skip=("seal.json",)) == []
    assert _readable(cat.path, [w for w in SECRETS if w != "rita"]) == []
    # Archived copies are not even named by their SHA-256 (known-file confirmation).
    names = {p.name for p in (cat.path / "files").rglob("*") if p.is_file()}
    assert sealed.file_ngo not in names and len(names) == 2
    # The export carries the archived copies decrypted, each matching its SHA-256.
    attachments = [a for src in json.loads(export.read_text())["sources"]
                   for a in src["attachments"]]  # fmt: skip
    assert len(attachments) == 2
    for att in attachments:
        content = base64.b64decode(att["content_base64"])
        assert hashlib.sha256(content).hexdigest() == att["sha256"]


def test_every_member_opens_it_with_their_own_passphrase(sealed: Sample) -> None:
    cat, path = sealed.cat, sealed.cat.path
    users.add_user(cat, "anna", "vera", "reviewer", PASSPHRASE)
    cat.close()
    with pytest.raises(SealedCatalogue, match="needs a member"):
        Catalogue.open(path)
    with pytest.raises(SignInRefused, match="Wrong passphrase for vera"):
        Catalogue.open(path, Unlock("vera", "not her passphrase"))
    with pytest.raises(SignInRefused, match="no key to this sealed catalogue"):
        Catalogue.open(path, Unlock("mallory", PASSPHRASE))
    with Catalogue.open(path, Unlock("vera", PASSPHRASE)) as cat:
        assert cat.is_signed_in("vera")
        accounts.change_passphrase(cat, "vera", "vera's new passphrase")
    with pytest.raises(SignInRefused):
        Catalogue.open(path, Unlock("vera", PASSPHRASE))
    with Catalogue.open(path, Unlock("vera", "vera's new passphrase")) as cat:
        events.create_event(cat, "vera", EventInput(title="Written by vera", date="2020-12"))
    # One entry per member once settled: the old wrap is gone.
    assert sorted(m.user for m in catalogue_keys.members(path)) == ["anna", "rita", "vera"]
    # An admin's reset gives vera a new key and a new way in.
    with Catalogue.open(path, Unlock("anna", PASSPHRASE)) as cat:
        accounts.reset_passphrase(cat, "anna", "vera", "reset passphrase 2")
    with Catalogue.open(path, Unlock("vera", "reset passphrase 2")) as cat:
        assert cat.is_signed_in("vera")


def test_a_key_entry_copied_to_another_name_or_for_a_stranger_opens_nothing(
    sealed: Sample,
) -> None:
    cat, path = sealed.cat, sealed.cat.path
    key, head = cat.key, audit.read_head(cat.raw_connect())
    assert key is not None
    seal = json.loads((path / "seal.json").read_text())
    rita = next(m for m in seal["members"] if m["user"] == "rita")
    # rita's entry copied under the name of someone who is not a member: her wrap is bound
    # to her name and key, so it does not open for "ghost" even with her passphrase.
    seal["members"].append({**rita, "user": "ghost"})
    (path / "seal.json").write_text(json.dumps(seal))
    cat.close()
    with pytest.raises(SignInRefused, match="Wrong passphrase for ghost"):
        Catalogue.open(path, Unlock("ghost", PASSPHRASE))
    # A valid entry for a user the catalogue does not have (a deleted user's, or one
    # forged by someone who had the key): the catalogue opens no account for them.
    ghost = accounts.new_credentials("ghost", PASSPHRASE)
    catalogue_keys.set_member(path, key, catalogue_keys.member_entry(
        key, "ghost", ghost.signer.public_hex, ghost.wrapped_key), keep_old=False)  # fmt: skip
    with pytest.raises(SignInRefused, match=r"ghost has a key .* not one of its users"):
        Catalogue.open(path, Unlock("ghost", PASSPHRASE))
    with Catalogue.open(path, Unlock("anna", PASSPHRASE)) as reopened:
        assert audit.read_head(reopened.raw_connect()) == head  # nothing was written


def test_a_damaged_or_missing_seal_file_is_told_and_changes_nothing(sealed: Sample) -> None:
    path = sealed.cat.path
    sealed.cat.close()
    (path / "seal.json").write_text("{not json")
    with pytest.raises(CatalogueError, match=r"seal\.json is damaged"):
        Catalogue.open(path, Unlock("anna", PASSPHRASE))
    (path / "seal.json").unlink()
    with pytest.raises(CatalogueError, match=r"seal\.json .* is missing"):
        Catalogue.open(path, Unlock("anna", PASSPHRASE))


def test_without_sqlcipher_the_message_says_what_to_install(
    sealed: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sealed.cat.path
    sealed.cat.close()
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as on a machine without it
    with pytest.raises(CatalogueError, match=r"lacks SQLCipher.*sqlcipher3"):
        Catalogue.open(path, Unlock("anna", PASSPHRASE))
    with pytest.raises(CatalogueError, match="lacks SQLCipher"):
        Catalogue.create(path.parent / "new", admin="anna", passphrase=PASSPHRASE, sealed=True)
    assert not (path.parent / "new").exists()


PREVIOUS_RELEASE = "9d47d7b"  # the last commit before sealed catalogues


def _previous_release(tmp_path: Path) -> Path:
    root = Path(__file__).resolve().parents[2]
    if not (root / ".git").exists():
        pytest.skip("not a git checkout: the previous release's code is not at hand")
    tree = tmp_path / "previous"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", PREVIOUS_RELEASE, "belarchive",
                              "db"], capture_output=True)  # fmt: skip
    if archive.returncode != 0:
        pytest.skip(f"commit {PREVIOUS_RELEASE} is not in this clone")
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def test_an_older_belarchive_says_to_update_instead_of_damage(
    sealed: Sample, tmp_path: Path
) -> None:
    path = sealed.cat.path
    sealed.cat.close()
    old = _previous_release(tmp_path)
    probe = (
        "import sys\n"
        "from belarchive.services.catalogue import Catalogue\n"
        "from belarchive.errors import BelarchiveError\n"
        "try:\n"
        f"    Catalogue.open({str(path)!r})\n"
        "except BelarchiveError as exc:\n"
        "    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"},
                          cwd=tmp_path, timeout=120)  # fmt: skip
    assert "written by a newer belarchive" in done.stdout, done.stderr[-2000:]
    assert "Update belarchive to open it" in done.stdout


def test_a_sealed_backup_restores_with_a_members_passphrase(sealed: Sample, tmp_path: Path) -> None:
    cat, path = sealed.cat, sealed.cat.path
    copy = maintenance.backup(cat, "anna", tmp_path / "usb.sqlite")  # encrypted: sealed
    data = copy.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"SQLite format 3" not in data
    events.create_event(cat, "anna", EventInput(title="After the backup", date="2021"))
    cat.close()
    unlock = Unlock("rita", PASSPHRASE)
    with Catalogue.open(path, unlock) as opened:
        signer = opened.signer_for("rita")
    maintenance.restore(path, copy, "rita", signer, None, unlock)
    with Catalogue.open(path, Unlock("anna", PASSPHRASE)) as reopened:
        titles = {r[0] for r in reopened.raw_connect().execute("SELECT title FROM event")}
        assert "After the backup" not in titles and len(titles) == 4
        assert maintenance.check(reopened).ok
    assert not list((path / "backups").glob(".restoring-*"))


def test_an_open_catalogue_is_sealed_in_place_and_members_keep_access(
    tmp_path: Path,
) -> None:
    from belarchive.services import sealing

    s = build_sample(tmp_path / "cat")
    path = s.cat.path
    maintenance.backup(s.cat, "anna")
    assert api.search(s.cat, "συλλήψεις").uuids
    s.cat.close()
    report = sealing.seal_existing(path, "anna", PASSPHRASE)
    assert sorted(report.members) == ["anna", "rita"] and report.files == 2
    assert _readable(path, [w for w in SECRETS if w != "rita"]) == []
    assert not list(path.parent.glob(".Test.belarchive.*"))  # no open copy left beside it
    with Catalogue.open(path, Unlock("rita", PASSPHRASE)) as cat:
        assert cat.sealed and maintenance.check(cat).ok
        assert api.search(cat, "συλλήψεις").uuids
        assert sources.verify_files(cat) == []
        entries = cat.raw_connect().execute(
            "SELECT action FROM auditentry ORDER BY seq DESC LIMIT 1").fetchone()  # fmt: skip
        assert entries[0] == "catalogue.seal"
    with pytest.raises(CatalogueError, match="already sealed"):
        sealing.seal_existing(path, "anna", PASSPHRASE)


@pytest.mark.parametrize("when", ["before", "during"])
def test_a_full_disk_when_sealing_leaves_the_catalogue_as_it_was(tmp_path: Path, when: str) -> None:
    from belarchive.services import sealing

    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                          capture_output=True)  # fmt: skip
    if made.returncode != 0:
        pytest.skip("cannot mount a small file system here (not root)")
    try:
        s = build_sample(mount)
        path = s.cat.path
        (mount / "big.bin").write_bytes(os.urandom(2 * 2**20))
        sources.attach_file(s.cat, "anna", _a_source(s), mount / "big.bin")
        s.cat.close()
        (mount / "big.bin").unlink()
        before = _contents(path)
        filler = mount / "filler.bin"

        def fill(_step: str = "") -> None:  # leaves a few kilobytes free
            if not filler.exists():
                filler.write_bytes(b"\0" * (shutil.disk_usage(mount).free - 16 * 1024))

        if when == "before":
            fill()
        step = (lambda name: fill() if name == "archived copies" else None) if when == "during" \
            else (lambda _name: None)  # fmt: skip
        with pytest.raises(CatalogueError) as refused:
            sealing.seal_existing(path, "anna", PASSPHRASE, step=step)
        message = str(refused.value)
        # Before: the full disk is told as such at once (not as damage, as it once was).
        assert ("filled up" in message and "unchanged" in message) if when == "during" \
            else ("is full" in message and "Nothing was changed" in message)  # fmt: skip
        filler.unlink()
        assert _contents(path) == before
        assert not list(mount.glob(".Test.belarchive.*"))
        with Catalogue.open(path) as cat:
            assert not cat.sealed and maintenance.check(cat).ok
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _contents(folder: Path) -> dict[Path, bytes]:
    """Every file's bytes; SQLite's own shared-memory index (rebuilt on every open) aside,
    and a WAL only when it holds something."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()
            and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and
                                                     p.stat().st_size == 0)}  # fmt: skip


def _a_source(s: Sample) -> str:
    with s.cat.session() as session:
        from belarchive.domain.models import Source

        return next(iter(session.exec(select(Source)))).uuid


def test_cut_or_altered_archived_copy_is_reported_changed(sealed: Sample) -> None:
    cat = sealed.cat
    blob = cat.files.path_of(sealed.file_ngo)
    data = bytearray(blob.read_bytes())
    data[-5] ^= 1
    blob.write_bytes(bytes(data))
    assert {p.problem for p in sources.verify_files(cat)} == {"changed"}
    blob.write_bytes(bytes(data[:16]))  # cut to its header
    assert {p.problem for p in sources.verify_files(cat)} == {"changed"}


def test_the_stub_database_is_not_the_catalogue(sealed: Sample) -> None:
    stub = sealed.cat.path / "catalogue.sqlite"
    conn = sqlite3.connect(stub)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert tables == {"sealed_catalogue"}


def test_closing_one_of_two_openings_leaves_the_other_sealed(sealed: Sample) -> None:
    """A restore or a CLI command may open the catalogue a second time in one process;
    closing that opening must not make the first one write its index in the clear."""
    cat = sealed.cat
    second = Catalogue.open(cat.path, Unlock("anna", PASSPHRASE))
    second.close()
    later = EventInput(title="Written after the second close", description="Гродно",
                       date="2020-12-01")  # fmt: skip
    events.create_event(cat, "anna", later)
    api.rebuild_index(cat)
    assert api.search(cat, "Гродно").uuids
    assert _readable(cat.path, ["Гродно", "Written after"]) == []
    cat.close()
    # With no opening left, the index is refused rather than read or written in the clear.
    from belarchive.search import store

    with pytest.raises(CatalogueError, match="sealed, but its key is not open"):
        store.open_index(cat.path / "index")


CRASHING_WRITER = """
import sys
import time
from belarchive.search import api
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.unlocking import Unlock
from belarchive.services.inputs import EventInput

cat = Catalogue.open(sys.argv[1], Unlock("anna", sys.argv[2]))
api.search(cat, "Гродно")
print("ready", flush=True)
n = 0
while True:  # killed from outside, mid-write, mid-index-update
    n += 1
    events.create_event(cat, "anna", EventInput(
        title=f"Задержания в Гродно {n}", description="Марш пенсионеров", date="2020-12-20"))
    if n % 25 == 0:
        api.rebuild_index(cat)
"""


def test_nothing_readable_is_left_after_a_crash(sealed: Sample, tmp_path: Path) -> None:
    path = sealed.cat.path
    sealed.cat.close()
    script = tmp_path / "writer.py"
    script.write_text(CRASHING_WRITER, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(path), PASSPHRASE],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(3)
    finally:
        proc.kill()
        proc.wait(30)
    assert _readable(path, ["Гродно", "пенсионеров", "Марш"]) == []
    with Catalogue.open(path, Unlock("anna", PASSPHRASE)) as cat:
        assert maintenance.check(cat).ok
        count = cat.raw_connect().execute("SELECT count(*) FROM event").fetchone()[0]
        assert count > 4  # it did write before it was killed


@pytest.mark.parametrize("damage", ["cut", "altered", "another catalogue's"])
def test_a_bad_sealed_backup_changes_nothing(sealed: Sample, tmp_path: Path, damage: str) -> None:
    cat, path = sealed.cat, sealed.cat.path
    copy = maintenance.backup(cat, "anna", tmp_path / "usb.sqlite")
    head = audit.read_head(cat.raw_connect())
    data = bytearray(copy.read_bytes())
    if damage == "cut":
        copy.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "altered":
        data[len(data) // 2] ^= 0x01
        copy.write_bytes(bytes(data))
    else:  # a sealed backup of another catalogue, encrypted for a member of the same name
        other = build_sample(tmp_path / "other", sealed=True)
        copy = maintenance.backup(other.cat, "anna", tmp_path / "other.sqlite")
        other.cat.close()
    signer = cat.signer_for("anna")
    cat.close()
    unlock = Unlock("anna", PASSPHRASE)
    with pytest.raises((CatalogueError, ImportError_)) as refused:
        maintenance.restore(path, copy, "anna", signer, None, unlock)
    assert "nothing was restored" in str(refused.value) or "another" in str(refused.value)
    with Catalogue.open(path, unlock) as reopened:
        assert audit.read_head(reopened.raw_connect()) == head
    assert not list((path / "backups").glob(".restoring-*"))


def test_logs_and_crash_reports_keep_no_plaintext_while_sealed(
    sealed: Sample, tmp_path: Path
) -> None:
    import logging

    from belarchive.errors import ValidationError
    from belarchive.gui.errors import write_crash_report
    from belarchive.security.redaction import RedactWhileSealed

    logfile = tmp_path / "belarchive.log"
    handler = logging.FileHandler(logfile, encoding="utf-8")
    handler.addFilter(RedactWhileSealed())
    logger = logging.getLogger("belarchive.test-redaction")
    logger.addHandler(handler)
    try:
        logger.error("search failed for %s", "Бондаренко")
        try:
            raise ValidationError("The title «Задержание Бондаренко» is too long.")
        except ValidationError as exc:
            logger.exception("saving failed")
            report = write_crash_report(type(exc), exc, exc.__traceback__)
        assert report is not None
        for text in (logfile.read_text("utf-8"), report.read_text("utf-8")):
            assert "Бондаренко" not in text and "ValidationError" in text
            assert "test_sealed_catalogue.py" in text  # where it failed is kept
        sealed.cat.close()  # no sealed catalogue open any more: messages are kept again
        logger.error("search failed for %s", "Гродно")
        assert "Гродно" in logfile.read_text("utf-8")
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_copies_imported_into_a_sealed_catalogue_never_touch_the_disk_in_the_clear(
    tmp_path: Path,
) -> None:
    """JSON with embedded archived copies, imported into a sealed catalogue: each copy is
    encrypted from memory (no staged plaintext file), and verifies afterwards."""
    from belarchive.importing.json_io import import_json

    plain = build_sample(tmp_path / "a")
    export = tmp_path / "with-files.json"
    export_json(plain.cat, export, with_files=True)
    plain.cat.close()
    target = Catalogue.create(tmp_path / "b" / "T.belarchive", admin="anna",
                              passphrase=PASSPHRASE, sealed=True)  # fmt: skip
    try:
        staged: list[str] = []
        real_write = Path.write_bytes

        def watch(self: Path, data: bytes) -> int:  # any file written in the catalogue
            if target.path in self.parents:
                staged.append(self.name)
            return real_write(self, data)

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Path, "write_bytes", watch)
            import_json(target, "anna", export)
        assert staged == []
        assert sources.verify_files(target) == [] and _readable(target.path, ["Viasna 340"]) == []
    finally:
        target.close()
