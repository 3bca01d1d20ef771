"""What many tests share: the one passphrase every test user signs in with."""

from __future__ import annotations

import sqlite3
from typing import Any

from belarchive.services.catalogue import Catalogue
from belarchive.storage.sqlrun import run

# Every test user has this passphrase; conftest also exports it as BELARCHIVE_PASSPHRASE so
# the command line signs in without a prompt. The Argon2 cost is lowered for tests only
# (conftest), which changes how long a derivation takes, not what is checked.
PASSPHRASE = "test passphrase 1"


def sign_in(cat: Catalogue, *names: str) -> Catalogue:
    for name in names:
        cat.sign_in(name, PASSPHRASE)
    return cat


def sql_rows(cat: Catalogue, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (``?`` marks) read straight from the catalogue's database, folder or
    team (storage.sqlrun runs it on either)."""
    with cat.check_connection() as conn:
        return [tuple(r) for r in run(conn, sql, params).fetchall()]


def sql_value(cat: Catalogue, sql: str, *params: object) -> Any:
    return sql_rows(cat, sql, *params)[0][0]


def tamper(cat: Catalogue, *statements: str | tuple[str, tuple[object, ...]]) -> None:
    """Change the database behind belarchive's back, as whoever controls its storage could:
    the file of a folder; on a team server its superuser, with the triggers turned off (what
    belarchive's own checks must still catch). Each statement: SQL, or (SQL, params)."""
    pairs = [(s, ()) if isinstance(s, str) else s for s in statements]
    if cat.server is None:
        conn = sqlite3.connect(cat.db_path)
        try:
            for sql, params in pairs:
                conn.execute(sql, params)
            conn.commit()
        finally:
            conn.close()
        return
    import team_support

    engine = team_support.superuser_engine(cat.server.database)
    try:
        with engine.begin() as sa_conn:
            sa_conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for sql, params in pairs:
                sa_conn.exec_driver_sql(sql, params)
    finally:
        engine.dispose()


def cli_target(cat: Catalogue) -> str:
    """What --catalogue names for ``cat``: its folder, or its server address (with the
    opening member's password, as a user may type it)."""
    if cat.server is None:
        return str(cat.path)
    return cat.server.url.set(drivername="postgresql").render_as_string(hide_password=False)
