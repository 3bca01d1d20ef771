"""SQLite engines with the pragmas that make a catalogue durable.

Two engines share one file: the writer begins every transaction with BEGIN IMMEDIATE, so
two writers never interleave (the audit chain needs a stable head); readers use ordinary
deferred transactions and, thanks to WAL, never block the writer.

A sealed catalogue's database is SQLCipher (``sqlcipher3``): the same SQL, every page (and
the WAL) encrypted with AES-256. It is opened with a raw 256-bit key, never a passphrase,
so no connection pays SQLCipher's own key derivation (Argon2 already ran once, on unlock).
``sqlcipher3`` is only imported for sealed catalogues: an open catalogue works without it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

from belarchive.errors import CatalogueError
from belarchive.i18n import _

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


def sqlcipher() -> Any:
    """The SQLCipher module, or a clear refusal where this installation lacks it."""
    try:
        import sqlcipher3
    except ImportError:
        raise CatalogueError(
            _(
                "This catalogue is sealed (encrypted), and this installation of belarchive lacks "
                "SQLCipher, which opens it (the Python package sqlcipher3). Install it with 'pip "
                'install "sqlcipher3>=0.6.4"\' or use the belarchive bundle; nothing was changed.'
            )
        ) from None
    return sqlcipher3


def database_errors(*also: type[Exception]) -> tuple[type[Exception], ...]:
    """The DB-API errors of both drivers: sqlite3's and, once loaded, SQLCipher's (and
    ``also``, for an ``except`` that catches more)."""
    import sys

    found: list[type[Exception]] = [sqlite3.DatabaseError, *also]
    module = sys.modules.get("sqlcipher3")
    if module is not None:
        found.append(module.DatabaseError)
    return tuple(found)


def _key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def make_engine(db_path: Path, *, writer: bool, key: bytes | None = None) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 10}}
    # One connection at a time for writes: no pool, nothing held open between writes.
    kwargs["poolclass"] = NullPool if writer else QueuePool
    if key is None:
        engine = create_engine(f"sqlite:///{db_path}", **kwargs)
    else:
        sqlcipher()
        # SQLAlchemy's SQLCipher dialect sends the URL's password as PRAGMA key, quoted:
        # x'…' inside the quotes is SQLCipher's syntax for a raw key.
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(db_path))
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


def raw_connect(db_path: Path, key: bytes | None = None) -> sqlite3.Connection:
    """A plain DB-API connection for maintenance (migrations, backup, integrity check); a
    SQLCipher one, unlocked with ``key``, for a sealed catalogue."""
    if key is None:
        conn = sqlite3.connect(str(db_path), timeout=10, isolation_level=None)
    else:
        conn = sqlcipher().connect(str(db_path), timeout=10, isolation_level=None)
        conn.execute(_key_pragma(key))
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def online_backup(src_path: Path, dest_path: Path, key: bytes | None = None) -> None:
    """Copy a live database consistently with SQLite's online backup API (a sealed one
    into a copy sealed with the same key: SQLCipher copies encrypted pages as they are)."""
    src = raw_connect(src_path, key)
    dest = raw_connect(dest_path, key)
    try:
        src.backup(dest)
    finally:
        dest.close()
        src.close()


def export_sealed(plain_path: Path, sealed_path: Path, key: bytes) -> None:
    """A sealed copy of an open database (SQLCipher's sqlcipher_export, page by page)."""
    conn = sqlcipher().connect(str(plain_path), timeout=10, isolation_level=None)
    try:
        conn.execute(f"ATTACH DATABASE ? AS sealed KEY \"x'{key.hex()}'\"", (str(sealed_path),))
        conn.execute("SELECT sqlcipher_export('sealed')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA sealed.user_version = {int(version)}")
        conn.execute("DETACH DATABASE sealed")
    finally:
        conn.close()


# The stub a sealed catalogue keeps under the old database name. Its schema version is far
# beyond any real one, so every earlier belarchive refuses it with its own "written by a
# newer belarchive; update to open it" instead of calling the encrypted file damaged.
SEALED_STUB_VERSION = 1_000_000
SEALED_STUB_NOTE = (
    "This belarchive catalogue is sealed: its data is in catalogue.sealed, encrypted. "
    "Open it with a belarchive that opens sealed catalogues, and a member's passphrase."
)


def write_sealed_stub(path: Path) -> None:
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        conn.execute("CREATE TABLE sealed_catalogue (note TEXT NOT NULL)")
        conn.execute("INSERT INTO sealed_catalogue (note) VALUES (?)", (SEALED_STUB_NOTE,))
        conn.execute(f"PRAGMA user_version = {SEALED_STUB_VERSION}")
    finally:
        conn.close()


def is_sealed_stub(path: Path) -> bool:
    if not looks_like_sqlite(path):
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return int(version) == SEALED_STUB_VERSION
