"""Copying a whole catalogue between a folder (SQLite) and a team server (PostgreSQL).

Every row of every table goes across as it is, with its id: the signed history, imported
history, verification history, seals and archived copies. So the copy checks like the
original (``belarchive check``), and both export the same JSON. The copy is written in one
transaction (a server) or built beside its folder and renamed (a folder): a failure
midway, such as a lost connection, leaves nothing behind.

Onto a server, the rules (db/postgresql/rules.sql) are installed after the rows: they
judge new writes, and the copied history was judged where it was written. The one who
copies must be an admin of the catalogue, under the same name as their server role.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, SQLModel

import belarchive.domain.models  # noqa: F401  (registers the tables)
from belarchive.config import db_dir
from belarchive.errors import BelarchiveError, CatalogueError, IntegrityError
from belarchive.i18n import _
from belarchive.services import audit, seals, team
from belarchive.services.catalogue import Catalogue
from belarchive.services.catalogue_folder import DB_NAME, write_meta
from belarchive.services.uow import UnitOfWork, load_user
from belarchive.storage import migrations
from belarchive.storage.engine import make_engine, raw_connect
from belarchive.storage.server import (
    GROUPS,
    ServerAddress,
    grant_group,
    group_of,
    make_server_engine,
    parse_address,
    role_exists,
    server_error,
)

BATCH = 5_000
Progress = Callable[[str, int], None]
# What a folder keeps in catalogue.json (the rest of meta is the database's own).
FOLDER_META = ("catalogue_id", "default_language", "created_at", "created_with")


@dataclass
class CopyReport:
    rows: dict[str, int] = field(default_factory=dict)
    copies: int = 0  # archived copies
    # Records whose seal had to be recorded again: a timestamp the folder kept in another
    # spelling ("…+00:00") reads back from the server in the canonical one.
    resealed: int = 0
    # Members of the copied catalogue who have no login role on the server yet, with the
    # group role each needs.
    without_role: list[tuple[str, str]] = field(default_factory=list)


def _tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def _rows(conn: Connection, table: Table) -> Iterator[list[dict[str, Any]]]:
    result = conn.execution_options(stream_results=True).execute(
        select(table).order_by(*table.primary_key.columns)
    )
    while batch := result.mappings().fetchmany(BATCH):
        yield [dict(row) for row in batch]


def _copy_rows(source: Connection, target: Connection, report: CopyReport,
               progress: Progress | None) -> None:  # fmt: skip
    for table in _tables():
        count = 0
        for batch in _rows(source, table):
            target.execute(table.insert(), batch)
            count += len(batch)
            if progress:
                progress(table.name, count)
        report.rows[table.name] = count


def _check_source(source: Catalogue) -> None:
    """Only an intact catalogue is copied: a copy re-seals what reads back differently, so
    a row changed behind the program's back must be found before, not hidden by, it."""
    with source.reader.connect() as conn:
        problems = seals.compare_all(seals.runner(conn))
    if problems:
        raise IntegrityError(
            _(
                "The catalogue being copied fails its evidence check ({problem}); run "
                "belarchive check on it first. Nothing was copied."
            ).format(problem=problems[0].message())
        )


def _record_copy(target: Connection, source: Catalogue, copier: str, to: str,
                 report: CopyReport) -> None:  # fmt: skip
    """The copy's own audit entry, signed by who made it, and new seals for the records
    that read back in another spelling (the entry says how many)."""
    problems = seals.compare_all(seals.runner(target))
    changed = {p.entity for p in problems}
    events = {e.partition(":")[2] for e in changed if e.startswith("event:")}
    sources = {e.partition(":")[2] for e in changed if e.startswith("source:")}
    report.resealed = len(events) + len(sources)
    with Session(bind=target, expire_on_commit=False) as session:
        user = load_user(session, copier)
        uow = UnitOfWork(session, user, source.signer_for(copier))
        uow.seal_also[0].update(events)
        uow.seal_also[1].update(sources)
        made = {"from": source.label, "to": to, "rows": report.rows,
                "archived_copies": report.copies, "resealed": report.resealed}  # fmt: skip
        uow.record("catalogue.copy", "catalogue", source.catalogue_id, after=made, lead=True)
        uow.flush_audit()
        session.flush()


def _attachments(source: Catalogue) -> list[str]:
    with source.reader.connect() as conn:
        return [str(r[0]) for r in conn.exec_driver_sql("SELECT DISTINCT sha256 FROM attachment")]


# -- a folder (or a server) onto a server ------------------------------------------------------
def to_server(source: Catalogue, text: str, progress: Progress | None = None) -> CopyReport:
    address = parse_address(text)
    report = CopyReport()
    engine = make_server_engine(address, writer=False)
    try:
        with engine.begin() as target, source.reader.connect() as src:
            state = team.probe(target)
            if state.tables:
                raise team.not_a_catalogue(address, state) if not team.is_catalogue(
                    state.tables
                ) else CatalogueError(
                    _("{address} already holds a belarchive catalogue; nothing was changed.")
                    .format(address=address.shown())
                )  # fmt: skip
            _check_copier(src, state.member, address)
            _check_source(source)
            driver: Any = target.connection.driver_connection
            driver.execute((db_dir() / "postgresql" / "schema.sql").read_text(encoding="utf-8"))
            _copy_rows(src, target, report, progress)
            target.exec_driver_sql(audit.META_SET_SQL, (team.APPLICATION_META, team.APPLICATION))
            target.exec_driver_sql(
                audit.META_SET_SQL, (team.SCHEMA_META, str(migrations.LATEST_VERSION))
            )
            # The rules judge new writes; the copied history was judged where it was made.
            for name in ("rules.sql", "files.sql"):
                driver.execute((db_dir() / "postgresql" / name).read_text(encoding="utf-8"))
            report.copies = _copy_files_to_server(source, target)
            _record_copy(target, source, state.member, address.shown(), report)
            report.without_role = _grant_members(target, src)
    except (SQLAlchemyError, OSError) as exc:
        raise _lost(exc, address) from exc
    except BelarchiveError:
        raise
    except Exception as exc:  # psycopg's own errors from the driver connection
        raise _lost(exc, address) from exc
    finally:
        engine.dispose()
    return report


def _check_copier(src: Connection, member: str, address: ServerAddress) -> None:
    row = src.exec_driver_sql('SELECT role, active FROM "user" WHERE name = ?', (member,)).first()
    if row is None or row[0] != "admin" or not row[1]:
        raise CatalogueError(
            _(
                "{member} signs in to {address} but is not an active admin of the catalogue "
                "being copied: copy it as one of its admins, under the same name as their "
                "server role. Nothing was changed."
            ).format(member=member, address=address.shown())
        )


def _copy_files_to_server(source: Catalogue, target: Connection) -> int:
    from belarchive.storage.filestore import CHUNK
    from belarchive.storage.server_files import insert_copy

    copied = 0
    for sha in _attachments(source):
        if not source.files.exists(sha):
            continue  # `check` on the copy names it missing, as on the original
        data = source.files.read_bytes(sha)
        insert_copy(
            target, sha, len(data), (data[n : n + CHUNK] for n in range(0, len(data), CHUNK))
        )
        copied += 1
    return copied


def _grant_members(target: Connection, src: Connection) -> list[tuple[str, str]]:
    """The copied catalogue's active members get their group where the server has their
    role; the names of those it has not are returned (the admin adds their roles)."""
    missing = []
    members = src.exec_driver_sql('SELECT name, role FROM "user" WHERE active = true').all()
    for name, role in members:
        if group_of(str(role)) not in GROUPS:
            continue
        if not role_exists(target, str(name)):
            missing.append((str(name), group_of(str(role))))
            continue
        grant_group(target, str(name), str(role))
    return sorted(missing)


def _lost(exc: BaseException, address: ServerAddress) -> CatalogueError:
    found = server_error(exc, address)
    if isinstance(found, CatalogueError):
        return CatalogueError(
            _("The copy to {address} did not finish and was undone: {reason}").format(
                address=address.shown(), reason=found.message
            ),
            detail=str(exc),
        )
    return CatalogueError(
        _("The copy to {address} did not finish and was undone; nothing was left there.")
        .format(address=address.shown()),
        detail=str(exc),
    )  # fmt: skip


# -- a server (or a folder) into a new folder --------------------------------------------------
def to_folder(
    source: Catalogue, path: Path, copier: str, progress: Progress | None = None
) -> CopyReport:
    """A new folder at ``path`` holding ``source`` whole; ``copier`` (signed in to the
    source) signs the copy's own audit entry."""
    path = Path(path)
    _check_source(source)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise CatalogueError(
            _("{path} already exists and is not empty; choose a new folder.").format(path=path)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{path.name}.copying-", dir=path.parent))
    report = CopyReport()
    try:
        for sub in ("index", "files", "backups"):
            (building / sub).mkdir()
        conn = raw_connect(building / DB_NAME)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            migrations.apply(conn, migrations.pending(conn))
        finally:
            conn.close()
        engine = make_engine(building / DB_NAME, writer=True)
        try:
            report.copies = _copy_files_to_folder(source, building)
            with engine.begin() as target, source.reader.connect() as src:
                _copy_rows(src, target, report, progress)
                target.exec_driver_sql(
                    "DELETE FROM meta WHERE key IN (?, ?)",
                    (team.APPLICATION_META, team.SCHEMA_META),
                )
                meta = {str(k): str(v) for k, v in
                        target.exec_driver_sql("SELECT key, value FROM meta")}  # fmt: skip
                _record_copy(target, source, copier, str(path), report)
        finally:
            engine.dispose()
        write_meta(building, {k: meta[k] for k in FOLDER_META if k in meta})
        if path.exists():
            path.rmdir()
        os.rename(building, path)
    except BaseException as exc:
        shutil.rmtree(building, ignore_errors=True)
        if isinstance(exc, BelarchiveError):
            raise
        if isinstance(exc, (SQLAlchemyError, OSError)) and source.server is not None:
            raise _lost(exc, source.server) from exc
        raise
    return report


def _copy_files_to_folder(source: Catalogue, folder: Path) -> int:
    from belarchive.storage.filestore import FileStore

    store = FileStore(folder / "files")
    copied = 0
    for sha in _attachments(source):
        if source.files.exists(sha):
            store.store_bytes(source.files.read_bytes(sha), sha)
            copied += 1
    return copied
