"""SQLite engines with the pragmas that make a catalogue durable.

Two engines share one file: the writer begins every transaction with BEGIN IMMEDIATE, so
two writers never interleave (the audit chain needs a stable head); readers use ordinary
deferred transactions and, thanks to WAL, never block the writer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

BUSY_TIMEOUT_MS = 10_000
SQLITE_MAGIC = b"SQLite format 3\x00"


def _apply_pragmas(dbapi_conn: sqlite3.Connection, immediate: bool) -> None:
    # Python's sqlite3 opens transactions implicitly; we take control so BEGIN is ours.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a commit the user saw survives a power cut.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA cache_size=-32000")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def make_engine(db_path: Path, *, writer: bool) -> Engine:
    url = f"sqlite:///{db_path}"
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 10}}
    if writer:
        # One connection at a time for writes: no pool, nothing held open between writes.
        kwargs["poolclass"] = NullPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        _apply_pragmas(dbapi_conn, writer)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


def looks_like_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def raw_connect(db_path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection for maintenance (migrations, backup, integrity check)."""
    conn = sqlite3.connect(str(db_path), timeout=10, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def online_backup(src_path: Path, dest_path: Path) -> None:
    """Copy a live database consistently with SQLite's online backup API."""
    src = raw_connect(src_path)
    dest = sqlite3.connect(str(dest_path))
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()
