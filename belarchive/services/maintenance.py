"""Backups, restores and the whole-catalogue health check."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from belarchive.errors import CatalogueError, ExportError, IntegrityError
from belarchive.i18n import _
from belarchive.outputs import output_path, replace_atomically
from belarchive.security.keys import Signer
from belarchive.services import anchors, audit, backup_files, seals, signed_audit
from belarchive.services.catalogue import Catalogue
from belarchive.services.sources import verify_files
from belarchive.services.unlocking import Unlock
from belarchive.storage import migrations
from belarchive.storage.engine import database_errors, online_backup, raw_connect
from belarchive.storage.filestore import FileProblem
from belarchive.storage.folder_lock import writer_lock
from belarchive.storage.sqlrun import run


def backup(cat: Catalogue, user: str, dest: Path | None = None, *, encrypt: bool = False) -> Path:
    """A consistent copy of the live database (SQLite online backup), recorded in the audit log.

    The audit entry is written first, so the copy contains the record of its own making.
    With ``encrypt`` the copy is encrypted for every active member (services.backup_files);
    a sealed catalogue's backups always are.
    """
    encrypt = encrypt or cat.sealed
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    # A team catalogue is dumped by PostgreSQL's own pg_dump (services.team_backup).
    name = f"catalogue-{stamp}" + (".pgdump" if cat.is_team else ".sqlite")
    target = Path(dest).expanduser() if dest else cat.backups_dir / name
    if target.is_dir():
        target = target / name
    if not target.parent.exists():
        raise CatalogueError(_("The folder {path} does not exist.").format(path=target.parent))
    try:  # never over the evidence: only this catalogue's own backups/ is allowed inside one
        target = output_path(target, what=_("the backup"), allow=cat.backups_dir)
    except ExportError as exc:
        raise CatalogueError(exc.message) from exc
    if target.exists():
        raise CatalogueError(_("{path} already exists; choose another name.").format(path=target))
    with cat.write(user) as uow:
        # The signed head the copy continues from: a backup names where the log stood.
        conn = uow.session.connection()
        head = anchors.signed_head(conn)
        members = backup_files.member_recipients(conn) if encrypt else []
        uow.record("catalogue.backup", "catalogue", cat.catalogue_id,
                   after={"file": str(target), "head": {"seq": head.seq, "hash": head.hash,
                                                        "signature": head.signature},
                          "encrypted_for": [name for name, _r in members]})  # fmt: skip
    recipients = [r for _name, r in members]

    def produce(tmp: Path) -> None:
        if cat.is_team:
            from belarchive.services import team_backup

            team_backup.write_dump(cat, tmp, recipients if encrypt else None)
        elif encrypt:
            backup_files.write_encrypted_copy(cat.db_path, tmp, recipients, cat.db_key)
        else:
            _copy_database(cat, tmp)

    try:
        # Copied under a temporary name and renamed: a half-written copy never has the name.
        replace_atomically(target, produce, suffix=".partial")
    except database_errors(ExportError, CatalogueError) as exc:
        reason = exc.message if isinstance(exc, (ExportError, CatalogueError)) else str(exc)
        with cat.write(user) as uow:  # the log must not say a failed backup was made
            uow.record("catalogue.backup.failed", "catalogue", cat.catalogue_id,
                       after={"file": str(target), "reason": reason})  # fmt: skip
        raise CatalogueError(
            _("The backup to {path} failed: {reason}").format(path=target, reason=reason)
        ) from exc
    return target


def _copy_database(cat: Catalogue, tmp: Path) -> None:
    tmp.unlink(missing_ok=True)  # SQLite's online backup writes a new database file
    online_backup(cat.db_path, tmp, cat.db_key)


def _check_backup(conn: sqlite3.Connection, path: Path, catalogue_id: str) -> None:
    try:
        migrations.check_openable(migrations.current_version(conn))
        found = conn.execute("SELECT value FROM meta WHERE key='catalogue_id'").fetchone()
        report = audit.verify_chain(conn)
    except database_errors() as exc:
        raise CatalogueError(
            _("{path} is not a belarchive backup (or it is damaged).").format(path=path)
        ) from exc
    if not found or found[0] != catalogue_id:
        raise CatalogueError(
            _("{path} is a backup of another catalogue; refusing to restore it.").format(path=path)
        )
    if not report.ok:
        raise IntegrityError(
            _("The backup's audit log is damaged: {problem}").format(problem=report.problem)
        )


def restore(
    cat_path: Path,
    backup_file: Path,
    user: str = "",
    signer: Signer | None = None,
    recovery: str | None = None,
    unlock: Unlock | None = None,
) -> Path:
    """Replace the catalogue's database with a backup; the current one is kept aside first.

    Holds the catalogue's writer lock from the copy of the current database to the end of
    the replacement, so a writer in another process cannot commit in between and be lost.
    The restore is then recorded in the restored log under ``user`` (the person restoring,
    who may not be a user of the backup), with both audit heads: a backup older than the
    replaced database shows as a rollback. Returns where the replaced database was saved.
    The search index is dropped so that it is rebuilt from the restored database.
    """
    with writer_lock(Path(cat_path)):
        cat = Catalogue.open(cat_path, unlock)
        db_path, db_key = cat.db_path, cat.db_key
        staging = cat.backups_dir / f".restoring-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
        try:
            # Opened once (an encrypted backup is decrypted once): checked, then copied from.
            src = backup_files.open_backup(Path(backup_file), signer, recovery, db_key, staging)
            try:
                _check_backup(src, Path(backup_file), cat.catalogue_id)
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                kept = cat.backups_dir / f"pre-restore-{stamp}.sqlite"
                replaced = _head(db_path, db_key)
                online_backup(db_path, kept, db_key)
                cat.close()
                dest = raw_connect(db_path, db_key)
                try:
                    src.backup(dest)  # page by page into the live file, under SQLite's locking
                finally:
                    dest.close()
            finally:
                src.close()
        finally:
            cat.close()
            staging.unlink(missing_ok=True)
        shutil.rmtree(Path(cat_path) / "index", ignore_errors=True)
        (Path(cat_path) / "index").mkdir(exist_ok=True)
        restored = _head(db_path, db_key)
        reopened = Catalogue.open(cat_path, _key_only(unlock))
        with reopened as cat, cat.write_as_program(user) as uow:
            uow.record("catalogue.restore", "catalogue", cat.catalogue_id, after={
                "backup": str(backup_file), "kept": str(kept), "replaced_head": replaced,
                "restored_head": restored, "rollback": restored[0] < replaced[0],
            })  # fmt: skip
    return kept


def _key_only(unlock: Unlock | None) -> Unlock | None:
    """Reopening after a restore: the user of the replaced database may not exist in the
    restored one, so no sign-in (the restore is audited under the program, naming them)."""
    if unlock is None or not unlock.user:
        return unlock
    return Unlock(recovery_key=unlock.recovery_key, user=unlock.user,
                  passphrase=unlock.passphrase, sign_in=False, key=unlock.key)  # fmt: skip


def _head(db: Path, key: bytes | None = None) -> tuple[int, str]:
    conn = raw_connect(db, key)
    try:
        return audit.read_head(conn)
    finally:
        conn.close()


@dataclass(slots=True)
class CheckReport:
    database_ok: bool = True
    database_messages: list[str] = field(default_factory=list)
    audit: audit.ChainReport | None = None
    file_problems: list[FileProblem] = field(default_factory=list)
    evidence_problems: list[seals.SealProblem] = field(default_factory=list)
    evidence_checked: int = 0
    imported: signed_audit.ImportedReport | None = None
    # A team catalogue's pages and keys are the server's to check (PostgreSQL enforces its
    # keys; data checksums are its setting), not this program's.
    on_server: bool = False

    @property
    def ok(self) -> bool:
        return (
            self.database_ok
            and bool(self.audit and self.audit.ok)
            and not self.file_problems
            and not self.evidence_problems
            and not (self.imported and self.imported.problem)
        )

    def summary(self, limit: int = 50) -> list[str]:
        """The report as lines a person reads (the CLI prints them, the GUI shows them)."""
        if self.on_server and self.database_ok:
            lines = ["Database: on the team server, which checks its own pages and keys"]
        else:
            lines = ["Database: ok" if self.database_ok else "Database: DAMAGED"]
        lines += [f"  {msg}" for msg in self.database_messages]
        if self.audit:
            lines.append(
                f"Audit log: ok ({self.audit.checked} entries, signatures checked)"
                if self.audit.ok
                else f"Audit log: DAMAGED — {self.audit.problem}"
            )
        if self.imported and self.imported.problem:
            lines.append(f"Imported history: DAMAGED — {self.imported.problem}")
        evidence = self.evidence_problems
        lines.append(
            f"Evidence rows: ok ({self.evidence_checked} events and sources match their seals)"
            if not evidence
            else f"Evidence rows: {len(evidence)} differ from what the audit log recorded"
        )
        lines += [f"  {problem.message()}" for problem in evidence[:limit]]
        if len(evidence) > limit:
            lines.append(f"  … and {len(evidence) - limit} more")
        lines.append(
            "Archived files: ok"
            if not self.file_problems
            else f"Archived files: {len(self.file_problems)} changed or missing"
        )
        lines += [f"  {p.problem}: {p.original_name} ({p.sha256})" for p in self.file_problems]
        return lines


def check(cat: Catalogue) -> CheckReport:
    """Database integrity, foreign keys, the audit chain, every evidence row against its
    seal in the chain, and every archived file's hash."""
    report = CheckReport(on_server=cat.is_team)
    try:
        with cat.check_connection() as conn:
            if not cat.is_team:  # a server checks its own pages and keys (docs/team-mode.md)
                _check_sqlite_file(conn, report)
            report.audit = audit.verify_chain(conn)
            report.evidence_problems = seals.compare_all(seals.runner(conn))
            report.evidence_checked = run(
                conn, "SELECT (SELECT count(*) FROM event) + (SELECT count(*) FROM source)"
            ).fetchone()[0]
    except database_errors(SQLAlchemyError) as exc:
        report.database_ok = False
        report.database_messages.append(str(exc))
    with cat.reader.connect() as sa_conn:
        report.imported = signed_audit.verify_imported(sa_conn)
    report.file_problems = verify_files(cat)
    return report


def _check_sqlite_file(conn: sqlite3.Connection, report: CheckReport) -> None:
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    if integrity != ["ok"]:
        report.database_ok = False
        report.database_messages.extend(integrity[:20])
    fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        report.database_ok = False
        report.database_messages.append(f"{len(fk)} rows point at records that do not exist")
