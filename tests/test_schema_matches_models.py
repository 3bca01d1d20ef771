"""The migrations and the SQLModel classes describe the same schema.

The catalogue is built by the migration files only; the ORM works from the classes. If the
two drift apart, writes fail at run time on some user's machine: this catches it here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import belarchive.domain.models  # noqa: F401  (registers every table on SQLModel.metadata)
from belarchive.storage import migrations

Columns = dict[str, tuple[bool, bool]]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> sqlite3.Connection:
    path = Path(tmp_path_factory.mktemp("schema")) / "catalogue.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, migrations.pending(conn))
    return conn


def _db_columns(conn: sqlite3.Connection, table: str) -> Columns:
    rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    # (name) -> (not null, part of the primary key)
    return {r[1]: (bool(r[3]) or bool(r[5]), bool(r[5])) for r in rows}


def _model_columns(table: str) -> Columns:
    t = SQLModel.metadata.tables[table]
    return {c.name: (not c.nullable or c.primary_key, c.primary_key) for c in t.columns}


def test_every_model_table_exists_with_the_same_columns(migrated: sqlite3.Connection) -> None:
    for name in SQLModel.metadata.tables:
        assert _db_columns(migrated, name) == _model_columns(name), name


def test_no_table_without_a_model(migrated: sqlite3.Connection) -> None:
    tables = {
        r[0]
        for r in migrated.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    assert tables == set(SQLModel.metadata.tables)


def test_declared_indexes_exist(migrated: sqlite3.Connection) -> None:
    found = {r[0] for r in migrated.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    for table in SQLModel.metadata.tables.values():
        for index in table.indexes:
            assert index.name in found, f"{table.name}: {index.name}"


def test_latest_version_is_reached(migrated: sqlite3.Connection) -> None:
    assert migrations.current_version(migrated) == migrations.LATEST_VERSION >= 3
