"""Driver SQL on either kind of connection the program holds: a DB-API ``sqlite3`` one
(maintenance, checks) or an SQLAlchemy one (services; SQLite or a team server, where
storage.server turns ``?`` into psycopg's placeholders)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def run(conn: Any, sql: str, params: Sequence[Any] = ()) -> Any:
    """A cursor-like result (fetchone, fetchmany, fetchall) of ``sql`` with ``?`` marks."""
    if hasattr(conn, "exec_driver_sql"):
        return conn.exec_driver_sql(sql, tuple(params))
    return conn.execute(sql, tuple(params))
