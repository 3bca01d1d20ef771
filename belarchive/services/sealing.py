"""Sealing an existing catalogue: ``belarchive encrypt``.

The sealed catalogue is built whole in a folder beside the open one (database exported by
SQLCipher, archived copies, index files and backups encrypted), checked, and only then put
in its place; the open folder is removed last. A failure at any step (a full disk, a power
cut) leaves the open catalogue exactly as it was and no half-sealed folder behind.

Every active member who has a signing key gets an entry in ``seal.json`` (the catalogue key
encrypted to their public key), so the admin gives them access without their passphrases.
Members without a key yet (users of an older catalogue who never signed in since keys came)
are named in the report: an admin resets their passphrase to let them in.

What sealing cannot do: overwrite the disk blocks the open files used. Where the plaintext
may already have been copied or recovered, create a sealed catalogue from the start or use
full-disk encryption as well (docs/security.md).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from belarchive.domain.models import Attachment, User
from belarchive.domain.values import Role
from belarchive.errors import CatalogueError, PermissionDenied, is_disk_full
from belarchive.i18n import _
from belarchive.search import store as index_store
from belarchive.search.sealed_storage import CONTEXT as INDEX_CONTEXT
from belarchive.security import catalogue_keys, cipher_files
from belarchive.security.catalogue_keys import CatalogueKey
from belarchive.services import backup_files, signed_audit
from belarchive.services.catalogue import Catalogue
from belarchive.services.catalogue_folder import DB_NAME, META_NAME, SEALED_DB_NAME, is_sealed
from belarchive.services.unlocking import Unlock
from belarchive.storage import engine
from belarchive.storage.filestore import FileStore, SealedFileStore
from belarchive.storage.folder_lock import LOCK_NAME, writer_lock

Step = Callable[[str], None]


@dataclass(slots=True)
class SealReport:
    members: list[str] = field(default_factory=list)
    without_key: list[str] = field(default_factory=list)
    files: int = 0
    recovery_key: bool = False


def seal_existing(
    path: Path, admin: str, passphrase: str, step: Step = lambda _s: None
) -> SealReport:
    path = Path(path)
    if is_sealed(path):
        raise CatalogueError(_("{path} is already sealed.").format(path=path))
    engine.sqlcipher()  # refuse before any work where SQLCipher is missing
    report = SealReport()
    with Catalogue.open(path) as cat:
        cat.sign_in(admin, passphrase)
        entries, shas = _inventory(cat, admin, report)
    key = CatalogueKey.generate()
    _check_space(path)
    with writer_lock(path):
        building = Path(tempfile.mkdtemp(prefix=f".{path.name}.sealing-", dir=path.parent))
        try:
            _build(path, building, key, entries, shas, step)
            report.files = len(shas)
            _swap(path, building)
        except BaseException as exc:
            shutil.rmtree(building, ignore_errors=True)
            if is_disk_full(exc):
                raise CatalogueError(
                    _(
                        "The disk holding {path} filled up while sealing; the catalogue is "
                        "unchanged and still open (not encrypted). Free some space (sealing "
                        "needs about as much again as the catalogue takes) and try again."
                    ).format(path=path.parent),
                    detail=str(exc),
                ) from exc
            raise
    with Catalogue.open(path, Unlock(admin, passphrase)) as sealed, sealed.write(admin) as uow:
        uow.record("catalogue.seal", "catalogue", sealed.catalogue_id,
                   after={"members": report.members, "without_key": report.without_key,
                          "recovery_key": report.recovery_key})  # fmt: skip
    return report


def _inventory(
    cat: Catalogue, admin: str, report: SealReport
) -> tuple[list[tuple[str, str, str]], list[str]]:
    with cat.session() as session:
        acting = session.exec(select(User).where(User.name == admin)).one()
        if acting.role != Role.ADMIN:
            raise PermissionDenied(_("Only an admin may seal a catalogue."))
        people = list(session.exec(select(User).where(User.active == True)))  # noqa: E712
        shas = sorted(set(session.exec(select(Attachment.sha256)).all()))
    entries: list[tuple[str, str, str]] = []
    with cat.reader.connect() as conn:
        for user in people:
            recorded = signed_audit.identity_in_history(conn, user.name).key
            if user.public_key and user.private_key_wrapped and recorded == user.public_key:
                entries.append((user.name, user.public_key, user.private_key_wrapped))
                report.members.append(user.name)
            else:
                report.without_key.append(user.name)
        recovery = backup_files.recovery_recipient(conn)
    if recovery:
        entries.append(("", recovery, ""))
        report.recovery_key = True
    return entries, shas


def _check_space(path: Path) -> None:
    needed = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    free = shutil.disk_usage(path.parent).free
    if free < needed * 1.1:
        raise CatalogueError(
            _(
                "Sealing needs about {needed} MB free beside the catalogue; the disk has "
                "{free} MB. Nothing was changed."
            ).format(needed=needed // 2**20 + 1, free=free // 2**20)
        )


def _build(
    source: Path,
    folder: Path,
    key: CatalogueKey,
    entries: list[tuple[str, str, str]],
    shas: list[str],
    step: Step,
) -> None:
    step("database")
    engine.export_sealed(source / DB_NAME, folder / SEALED_DB_NAME, key.database)
    engine.write_sealed_stub(folder / DB_NAME)
    shutil.copy2(source / META_NAME, folder / META_NAME)
    step("archived copies")
    plain, sealed = (
        FileStore(source / "files"),
        SealedFileStore(folder / "files", key.files, key.names),
    )
    for sha in shas:
        if plain.exists(sha):  # a missing copy stays missing; check reports it as before
            sealed.encrypt_from(plain, sha)
    step("search index")
    _seal_index(source / "index", folder / "index", key.index)
    step("backups")
    _seal_backups(source / "backups", folder / "backups", key.database)
    members, recovery = [], None
    for name, public, wrapped in entries:
        if name:
            members.append(catalogue_keys.member_entry(key, name, public, wrapped))
        else:
            recovery = catalogue_keys.recovery_entry(key, public)
    catalogue_id = _catalogue_id(folder / META_NAME)
    catalogue_keys.write(folder, catalogue_id, members, recovery)
    step("checking")
    _check_copy(source / DB_NAME, folder / SEALED_DB_NAME, key.database)


def _seal_index(source: Path, target: Path, index_key: bytes) -> None:
    target.mkdir()
    if not source.is_dir():
        return
    for entry in source.iterdir():
        if not entry.is_file() or entry.name.endswith(".lock") or entry.name.startswith("."):
            continue
        if entry.name in (index_store.STATE_NAME, index_store.LOCK_NAME):
            continue
        with entry.open("rb") as fh:
            cipher_files.write_file(target / entry.name, index_key, INDEX_CONTEXT,
                                    cipher_files.read_pieces(fh))  # fmt: skip
    state = index_store.read_state(source)
    if state is not None:  # counts and sizes only, no indexed text; sizes now the sealed ones
        index_store.write_state(target, state)


def _seal_backups(source: Path, target: Path, db_key: bytes) -> None:
    target.mkdir()
    if not source.is_dir():
        return
    for entry in sorted(source.iterdir()):
        if not entry.is_file():
            continue
        if backup_files.is_encrypted(entry):  # already encrypted for the members
            shutil.copy2(entry, target / entry.name)
        elif engine.looks_like_sqlite(entry):
            engine.export_sealed(entry, target / entry.name, db_key)


def _catalogue_id(meta: Path) -> str:
    import json

    return str(json.loads(meta.read_text(encoding="utf-8")).get("catalogue_id", ""))


def _check_copy(plain: Path, sealed: Path, db_key: bytes) -> None:
    counts = []
    for conn in (engine.raw_connect(plain), engine.raw_connect(sealed, db_key)):
        try:
            counts.append(conn.execute(
                "SELECT (SELECT count(*) FROM auditentry), (SELECT count(*) FROM event), "
                "(SELECT max(hash) FROM auditentry WHERE seq = (SELECT max(seq) FROM auditentry))"
            ).fetchone())  # fmt: skip
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise CatalogueError(
                    _("The sealed copy fails SQLite's check; nothing was changed.")
                )
        finally:
            conn.close()
    if counts[0] != counts[1]:
        raise CatalogueError(_("The sealed copy differs from the catalogue; nothing was changed."))


def _swap(path: Path, building: Path) -> None:
    """Put the sealed folder in place; the open one is removed only once it is."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    old = path.with_name(f".{path.name}.open-{stamp}")
    for name in ("signin-failures.json",):
        if (path / name).exists():
            shutil.copy2(path / name, building / name)
    os.rename(path, old)
    try:
        os.rename(building, path)
    except OSError:
        os.rename(old, path)
        raise
    (old / LOCK_NAME).unlink(missing_ok=True)
    shutil.rmtree(old, ignore_errors=True)
