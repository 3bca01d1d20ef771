"""Team catalogues on a PostgreSQL server: addresses, engines, and what a failure means.

A team catalogue is addressed as ``postgresql://[user[:password]@]host[:port]/database``
(libpq's own rules add ``PGPASSWORD``, ``~/.pgpass`` and ``?sslmode=...``). The same SQL as
on SQLite runs here: driver SQL written with ``?`` placeholders is rewritten to psycopg's
``%s`` in one place (``_translate``), and every write transaction begins by taking the
server-wide write lock that ``db/postgresql/rules.sql`` defines, as SQLite's writer begins
with BEGIN IMMEDIATE.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from belarchive.errors import CatalogueError, PermissionDenied
from belarchive.i18n import _
from belarchive.storage import scram

SCHEMES = ("postgresql", "postgres")
GROUPS = ("belarchive_archivist", "belarchive_reviewer", "belarchive_admin")
CONNECT_TIMEOUT_S = 10


def is_server_address(text: str | object) -> bool:
    return isinstance(text, str) and text.split("://", 1)[0].lower() in SCHEMES and "://" in text


@dataclass(frozen=True, slots=True)
class ServerAddress:
    url: URL

    @property
    def host(self) -> str:
        return self.url.host or "localhost"

    @property
    def database(self) -> str:
        return self.url.database or ""

    @property
    def user(self) -> str | None:
        return self.url.username

    def as_member(self, name: str, password: str) -> ServerAddress:
        """The same catalogue, signed in to the server as another member."""
        return ServerAddress(self.url.set(username=name, password=password))

    def shown(self) -> str:
        """The address without its password, for messages and logs."""
        port = f":{self.url.port}" if self.url.port else ""
        who = f"{self.url.username}@" if self.url.username else ""
        return f"postgresql://{who}{self.host}{port}/{self.database}"


def parse_address(text: str) -> ServerAddress:
    try:
        url = make_url(text)
    except ArgumentError:
        url = None
    if url is None or url.get_backend_name() not in SCHEMES or not url.database:
        raise CatalogueError(
            _(
                "'{address}' is not a team catalogue address. Write it as "
                "postgresql://user@host/database (a port after the host if not 5432)."
            ).format(address=split_password(text)[0])
        )
    return ServerAddress(url.set(drivername="postgresql+psycopg"))


_PASSWORD = re.compile(r"^([a-z+]+://[^:/@]+):([^@/]*)@(.*)$")


def split_password(text: str) -> tuple[str, str]:
    """An address without its password (to show or keep), and the password (to mask)."""
    from urllib.parse import unquote

    found = _PASSWORD.match(text)
    if not found:
        return text, ""
    return f"{found.group(1)}@{found.group(3)}", unquote(found.group(2))


# -- engines ---------------------------------------------------------------------------------
WRITE_LOCK_SQL = "SELECT belarchive_write_lock()"


def make_server_engine(address: ServerAddress, *, writer: bool) -> Engine:
    """An engine on the team catalogue. The writer holds no connection between writes (as
    on SQLite) and takes the server-wide write lock at the start of each transaction."""
    engine = create_engine(
        address.url,
        poolclass=NullPool if writer else None,
        pool_pre_ping=not writer,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "belarchive",
            "options": "-c TimeZone=UTC",
        },
    )
    event.listen(engine, "before_cursor_execute", _driver_sql_hook, retval=True)
    if writer:

        @event.listens_for(engine, "begin")
        def _take_write_lock(conn: Any) -> None:
            conn.exec_driver_sql(WRITE_LOCK_SQL)

    return engine


def _driver_sql_hook(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    # Only driver SQL (exec_driver_sql) is written with "?"; compiled statements already
    # carry psycopg's own placeholders and must pass untouched.
    if context is None or context.compiled is not None or "?" not in statement:
        return statement, parameters
    translated, json_lists = _translate(statement)
    if json_lists:
        if executemany:
            parameters = [_json_to_lists(row, json_lists) for row in parameters]
        else:
            parameters = _json_to_lists(parameters, json_lists)
    return translated, parameters


# SQLite's one way to pass any number of keys (services.seals): a JSON array read by
# json_each. PostgreSQL gets the array itself, which psycopg sends typed (int[] or text[]).
_JSON_IN = "IN (SELECT value FROM json_each(?))"
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|" + re.escape(_JSON_IN) + r"|\?|%")


@functools.lru_cache(maxsize=512)
def _translate(statement: str) -> tuple[str, tuple[int, ...]]:
    """``?`` to ``%s``, a literal ``%`` to ``%%`` (outside quotes), and each JSON key list
    to ``= ANY(%s)``; with the positions of the parameters that are JSON key lists."""
    marks = 0
    json_lists: list[int] = []

    def swap(match: re.Match[str]) -> str:
        nonlocal marks
        token = match.group(0)
        if token == _JSON_IN:
            json_lists.append(marks)
            marks += 1
            return "= ANY(%s)"
        if token == "?":
            marks += 1
            return "%s"
        return "%%" if token == "%" else token

    return _TOKENS.sub(swap, statement), tuple(json_lists)


def _json_to_lists(row: Any, positions: tuple[int, ...]) -> tuple[Any, ...]:
    values = list(row)
    for i in positions:
        values[i] = json.loads(values[i])
    return tuple(values)


# -- what a failure means --------------------------------------------------------------------
_UNREACHABLE = (
    "connection refused",
    "could not connect",
    "no such file or directory",
    "timeout expired",
    "could not translate host name",
    "network is unreachable",
    "no route to host",
    "server closed the connection unexpectedly",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "consuming input failed",
    "connection is closed",
    "ssl syscall error",
)


def server_error(
    exc: BaseException, address: ServerAddress
) -> CatalogueError | PermissionDenied | None:
    """The user's words for a driver error on ``address``, or None if it is no server or
    connection problem (the caller then handles it as any other database error)."""
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    where = address.shown()
    if "password authentication failed" in low or "no password supplied" in low:
        return CatalogueError(
            _(
                "The server refused to sign in {user} to {address}: wrong user name or "
                "password. Nothing was changed."
            ).format(user=address.user or "(no user)", address=where),
            detail=text,
        )
    if re.search(r'database "[^"]*" does not exist', low):
        return CatalogueError(
            _("There is no database '{database}' on {host}. Nothing was changed.").format(
                database=address.database, host=address.host
            ),
            detail=text,
        )
    if "permission denied for database" in low or "not permitted to log in" in low:
        return no_rights(address, text)
    if any(marker in low for marker in _UNREACHABLE):
        return CatalogueError(
            _(
                "The catalogue server at {address} cannot be reached or went away (stopped, "
                "restarting, or the network is down). Nothing was changed; try again when it "
                "is back."
            ).format(address=where),
            detail=text,
        )
    return None


def no_rights(address: ServerAddress, detail: str | None = None) -> PermissionDenied:
    return PermissionDenied(
        _(
            "{user} has no belarchive rights on {address}. A team admin adds them with: "
            "belarchive user add {user} --role archivist -C {address}"
        ).format(user=address.user or "(no user)", address=address.shown()),
        detail=detail,
    )


def server_write_error(
    address: ServerAddress, exc: BaseException
) -> CatalogueError | PermissionDenied:
    """What to tell a member whose write the server refused: the server's own rule
    (db/postgresql/rules.sql says "belarchive: ..."), its absence, or the lost connection."""
    found = server_error(exc, address)
    if found is not None:
        return found
    text = str(getattr(exc, "orig", None) or exc)
    rule = re.search(r"belarchive: ([^\n]+)", text)
    if rule:
        return CatalogueError(
            _("The team server refused the change: {rule}. Nothing was written.").format(
                rule=rule.group(1).strip()
            ),
            detail=text,
        )
    if "permission denied" in text.lower() or "row-level security" in text.lower():
        return CatalogueError(
            _(
                "The team server refused the change: {user} lacks the rights it needs. Nothing "
                "was written."
            ).format(user=address.user or "(no user)"),
            detail=text,
        )
    return CatalogueError(_("The catalogue refused the change; nothing was written."), detail=text)


def read_server_meta(engine: Engine) -> dict[str, str]:
    """The catalogue's facts (id, language, ...) that a folder keeps in catalogue.json."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT key, value FROM meta").fetchall()
    return {str(k): str(v) for k, v in rows}


# -- members ---------------------------------------------------------------------------------
def group_of(role: str) -> str:
    return f"belarchive_{role}"


def role_exists(conn: Any, name: str) -> bool:
    driver = conn.connection.driver_connection
    return (
        driver.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None
    )


def grant_group(conn: Any, name: str, role: str) -> None:
    """Put the login role ``name`` in the group of belarchive role ``role``."""
    from psycopg import sql

    conn.connection.driver_connection.execute(
        sql.SQL("GRANT {} TO {}").format(sql.Identifier(group_of(role)), sql.Identifier(name))
    )


def grant_member(conn: Any, name: str, role: str, password: str) -> bool:
    """Make ``name`` a member with ``role``'s group in the open transaction ``conn``: a new
    login role with ``password`` (sent as its SCRAM verifier: storage.scram), or an existing
    role (an organisation's LDAP or certificate user) granted the group. True if created."""
    from psycopg import sql

    created = not role_exists(conn, name)
    if created:
        conn.connection.driver_connection.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(name), sql.Literal(scram.verifier(password))
            )
        )
    grant_group(conn, name, role)
    return created


def set_password(conn: Any, name: str, password: str) -> None:
    """The member's server password, in the open transaction ``conn`` (their own, or as an
    admin anyone's): kept equal to their signing passphrase, one secret for both."""
    from psycopg import sql

    conn.connection.driver_connection.execute(
        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(scram.verifier(password))
        )
    )
