"""Backup files, plain or encrypted for the catalogue's members.

An encrypted backup is the whole database encrypted (the age format) for every active
member's public key: any member opens it with their passphrase, nobody else can read it
(a lost USB stick). The copy is made in memory (SQLite's online backup into a memory
database, then serialised), so no plaintext copy ever touches the disk; memory use is the
size of the database.

A sealed catalogue's backup holds its SQLCipher pages as they are (SQLCipher's backup
between two databases under the same key), encrypted once more for the members: opening it
needs both a member's passphrase (or the recovery key) and the catalogue's key.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from belarchive.errors import CatalogueError
from belarchive.i18n import _
from belarchive.security import exchange
from belarchive.security.keys import Signer
from belarchive.storage.engine import database_errors, looks_like_sqlite, online_backup, raw_connect

UNCHANGED = "nothing was restored"


RECOVERY_ACTION = "catalogue.recovery_key"


def add_recovery_key(cat: Any, admin: str) -> str:
    """A new recovery key for encrypted backups; returns its secret, to be printed once and
    kept on paper. The log records (signed by the admin) only its public half; a new key
    replaces the previous one for later backups."""
    from belarchive.domain.values import Role
    from belarchive.errors import PermissionDenied

    secret, recipient = exchange.new_recovery_key()
    with cat.write(admin) as uow:
        if uow.user.role != Role.ADMIN:
            raise PermissionDenied(_("Only an admin may make a recovery key."))
        uow.record(RECOVERY_ACTION, "catalogue", cat.catalogue_id, after={"recipient": recipient})
    if cat.key is not None:  # a sealed catalogue opens with the recovery key too
        from belarchive.security import catalogue_keys

        catalogue_keys.set_recovery(cat.path, cat.key, recipient)
    return secret


def recovery_recipient(conn: Any) -> str | None:
    row = conn.exec_driver_sql(
        "SELECT after_json FROM auditentry WHERE action = ? ORDER BY seq DESC LIMIT 1",
        (RECOVERY_ACTION,),
    ).fetchone()
    if row is None:
        return None
    import json

    value = json.loads(row[0] or "{}").get("recipient")
    return str(value) if value else None


def member_recipients(conn: Any) -> list[tuple[str, Any]]:
    """(name, age recipient) of every active member, with the key the signed log registered,
    and the catalogue's recovery key when one was made."""
    from belarchive.services.signed_audit import identity_in_history

    names = [r[0] for r in conn.exec_driver_sql('SELECT name FROM "user" WHERE active = true')]
    found = []
    for name in names:
        key = identity_in_history(conn, name).key
        if key:
            found.append((name, exchange.parse_recipient(key)))
    if not found:
        raise CatalogueError(_("No member of this catalogue has a key yet: nobody could open "
                               "an encrypted backup. Sign in once, then back up."))  # fmt: skip
    recovery = recovery_recipient(conn)
    if recovery:
        found.append(("recovery key", exchange.parse_recipient(recovery)))
    return found


def write_encrypted_copy(
    db_path: Path, target: Path, recipients: list[Any], key: bytes | None = None
) -> None:
    """The live database, copied consistently into memory and written encrypted."""
    if key is not None:
        staged = target.with_name(target.name + ".sealed")
        try:
            online_backup(db_path, staged, key)  # SQLCipher pages, never plaintext
            target.write_bytes(exchange.encrypt(staged.read_bytes(), recipients))
        finally:
            staged.unlink(missing_ok=True)
        return
    src = raw_connect(db_path)
    memory = sqlite3.connect(":memory:")
    try:
        src.backup(memory)
        plain = memory.serialize()
    finally:
        memory.close()
        src.close()
    target.write_bytes(exchange.encrypt(plain, recipients))


def is_encrypted(path: Path) -> bool:
    try:
        with Path(path).open("rb") as fh:
            return exchange.is_encrypted(fh.read(64))
    except OSError:
        return False


def open_backup(
    path: Path,
    signer: Signer | None,
    recovery: str | None = None,
    key: bytes | None = None,
    staging: Path | None = None,
) -> sqlite3.Connection:
    """A connection to the backup's database: the file itself, or an encrypted backup
    decrypted into memory with ``signer``'s key or the ``recovery`` key's secret. For a
    sealed catalogue (``key``), its SQLCipher pages go to ``staging`` (still encrypted),
    which the caller removes."""
    path = Path(path)
    if not path.is_file():
        raise CatalogueError(_("No backup file at {path}.").format(path=path))
    if key is not None:
        return _open_sealed_backup(path, signer, recovery, key, staging)
    if not is_encrypted(path):
        if not looks_like_sqlite(path):
            raise CatalogueError(
                _("{path} is not an SQLite database; it cannot be a backup.").format(path=path)
            )
        return raw_connect(path)
    if signer is None and recovery is None:
        raise CatalogueError(_needs_member(path))
    extra = [exchange.recovery_identity(recovery)] if recovery else []
    data = path.read_bytes()
    plain = bytearray(exchange.decrypt(data, signer, path.name, UNCHANGED, extra))
    # The catalogue runs in WAL mode, which its header records (bytes 18-19 = 2); a memory
    # database cannot be WAL and refuses to open such an image. Mark it as a rollback-journal
    # database, as PRAGMA journal_mode=DELETE would: the pages themselves are unchanged, and
    # the catalogue sets WAL again when it opens the restored file.
    if plain[18:20] == b"\x02\x02":
        plain[18:20] = b"\x01\x01"
    memory = sqlite3.connect(":memory:", isolation_level=None)
    try:
        memory.deserialize(bytes(plain))
    except sqlite3.DatabaseError as exc:
        memory.close()
        raise CatalogueError(
            _("{name} decrypts, but not to a database; nothing was restored.").format(
                name=path.name
            )
        ) from exc
    return memory


def _open_sealed_backup(
    path: Path, signer: Signer | None, recovery: str | None, key: bytes, staging: Path | None
) -> sqlite3.Connection:
    if not is_encrypted(path):
        raise CatalogueError(
            _(
                "{name} is not a backup of this sealed catalogue (its backups are encrypted "
                "for the members); nothing was restored."
            ).format(name=path.name)
        )
    if signer is None and recovery is None:
        raise CatalogueError(_needs_member(path))
    assert staging is not None
    extra = [exchange.recovery_identity(recovery)] if recovery else []
    pages = exchange.decrypt(path.read_bytes(), signer, path.name, UNCHANGED, extra)
    if pages.startswith(b"SQLite format 3\x00"):
        raise CatalogueError(
            _(
                "{name} was made before this catalogue was sealed; restore it into an open "
                "catalogue (a copy), not into the sealed one; nothing was restored."
            ).format(name=path.name)
        )
    staging.write_bytes(pages)
    conn = raw_connect(staging, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except database_errors() as exc:
        conn.close()
        raise CatalogueError(
            _(
                "{name} decrypts, but not to a database of this catalogue; nothing was restored."
            ).format(name=path.name)
        ) from exc
    return conn


def _needs_member(path: Path) -> str:
    return _(
        "{name} is an encrypted backup: restoring it needs a member of the catalogue to sign "
        "in (--user NAME and their passphrase), or the recovery key."
    ).format(name=path.name)
