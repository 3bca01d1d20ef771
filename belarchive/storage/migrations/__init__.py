"""Versioned schema steps, kept in ``db/migrations/`` and shipped with the package.

Each step is an SQL file ``NNNN_name.sql``; the database's ``PRAGMA user_version`` says
which steps have run. Before any step the caller makes a backup copy.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from belarchive.config import db_dir
from belarchive.errors import CatalogueError, SchemaTooNewError
from belarchive.i18n import _
from belarchive.storage.engine import database_errors

_STEP_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True, slots=True)
class Step:
    version: int
    name: str
    sql: str


def steps() -> list[Step]:
    folder = db_dir() / "migrations"
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:  # an installed copy without its schema: one clear line
        raise CatalogueError(
            _(
                "belarchive is incomplete: its schema folder {folder} cannot be read ({reason}). "
                "Reinstall belarchive."
            ).format(folder=folder, reason=exc.strerror or exc)
        ) from exc
    found: list[Step] = []
    for entry in entries:
        match = _STEP_NAME.match(entry.name)
        if match:
            found.append(Step(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda s: s.version)
    return found


LATEST_VERSION: int = steps()[-1].version


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def read_schema(conn: sqlite3.Connection) -> tuple[set[str], int]:
    """The database's table names and schema version (raises the driver's errors)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return tables, current_version(conn)


def require_catalogue(tables: set[str], version: int, refusal: str) -> None:
    """Refuse a newer schema, or (with ``refusal``) a database that is no catalogue."""
    check_openable(version)
    if "meta" not in tables or "auditentry" not in tables:
        raise CatalogueError(refusal)


def check_openable(version: int) -> None:
    if version > LATEST_VERSION:
        raise SchemaTooNewError(
            _(
                "This catalogue was written by a newer belarchive (schema {version}; this version "
                "understands up to {latest_version}). Update belarchive to open it; nothing was "
                "changed."
            ).format(version=version, latest_version=LATEST_VERSION)
        )


def pending(conn: sqlite3.Connection) -> list[Step]:
    version = current_version(conn)
    check_openable(version)
    return [s for s in steps() if s.version > version]


def apply(conn: sqlite3.Connection, todo: list[Step]) -> None:
    """Run steps, each in its own transaction together with the version bump.

    The version is read again under the write lock: two programs opening the same old
    catalogue at once must not both run a step.
    """
    for step in todo:
        try:
            conn.execute("BEGIN IMMEDIATE")
            if current_version(conn) >= step.version:
                conn.execute("ROLLBACK")
                continue
            for statement in _split(step.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={step.version}")
            conn.execute("COMMIT")
        except database_errors() as exc:
            conn.execute("ROLLBACK")
            raise CatalogueError(
                _(
                    "Upgrading the catalogue to schema {version} failed; it was left at schema "
                    "{previous} and a backup was kept."
                ).format(version=step.version, previous=step.version - 1),
                detail=str(exc),
            ) from exc


def _split(sql: str) -> list[str]:
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]
