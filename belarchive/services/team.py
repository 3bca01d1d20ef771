"""Team catalogues: one catalogue on a PostgreSQL server, opened from many desktops.

The server holds the catalogue; each desktop keeps only what it can make again (its search
index, its sign-in throttle) in a folder of its user cache named after the catalogue. The
members are the server's login roles and their belarchive role is their group role
(``belarchive_archivist``, ``_reviewer``, ``_admin``); ``db/postgresql/rules.sql`` makes the
server enforce the rules that matter whatever program connects.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from belarchive import __version__
from belarchive.config import cache_dir, data_dir, db_dir
from belarchive.errors import BelarchiveError, CatalogueError
from belarchive.i18n import _
from belarchive.services import founding, validation
from belarchive.services.catalogue import Catalogue
from belarchive.storage import migrations
from belarchive.storage.server import (
    GROUPS,
    ServerAddress,
    make_server_engine,
    no_rights,
    parse_address,
    server_error,
)

APPLICATION = "belarchive"
# Keys of ``meta`` a team catalogue has beyond a folder's: which program and schema made it.
APPLICATION_META = "application"
SCHEMA_META = "schema_version"


@dataclass(frozen=True, slots=True)
class ServerState:
    member: str
    tables: frozenset[str]
    groups: frozenset[str]  # the belarchive groups the member is in
    groups_exist: bool


def probe(conn: Connection) -> ServerState:
    member = str(conn.exec_driver_sql("SELECT session_user").scalar())
    tables = frozenset(
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'"
        )
    )
    known = {str(r[0]) for r in conn.exec_driver_sql(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(?)", (list(GROUPS),))}  # fmt: skip
    groups = frozenset(
        g
        for g in GROUPS
        if g in known
        and conn.exec_driver_sql("SELECT pg_has_role(session_user, ?, 'MEMBER')", (g,)).scalar()
    )
    return ServerState(member, tables, groups, all(g in known for g in GROUPS))


def is_catalogue(tables: frozenset[str]) -> bool:
    return {"meta", "auditentry"} <= tables


def _refusal(exc: BaseException, address: ServerAddress) -> BelarchiveError:
    found = server_error(exc, address)
    return found or CatalogueError(
        _("The team catalogue at {address} cannot be opened; nothing was changed.").format(
            address=address.shown()
        ),
        detail=str(exc),
    )


def open_team(text: str, password: str | None = None) -> Catalogue:
    """Open the team catalogue at the address ``text`` (the member is whoever the address
    and libpq's password sources sign in, or ``password`` when given)."""
    address = parse_address(text)
    if password is not None:
        address = ServerAddress(address.url.set(password=password))
    engine = make_server_engine(address, writer=False)
    try:
        with engine.connect() as conn:
            state = probe(conn)
            if not is_catalogue(state.tables):
                raise not_a_catalogue(address, state)
            if not state.groups:
                raise no_rights(address)
            meta: dict[str, str] = {
                str(k): str(v) for k, v in conn.exec_driver_sql("SELECT key, value FROM meta")
            }
    except SQLAlchemyError as exc:
        raise _refusal(exc, address) from exc
    finally:
        engine.dispose()
    if meta.get(APPLICATION_META) != APPLICATION:
        raise not_a_catalogue(address, state)
    migrations.check_openable(int(meta.get(SCHEMA_META, "0")))
    cat = Catalogue(_desktop_folder(str(meta.get("catalogue_id", ""))), server=address)
    cat.member = state.member
    if "belarchive_admin" in state.groups:
        # The program's own data migrations (a newer gazetteer, say) write under its name,
        # which the server lets only an admin do: they run when an admin opens it.
        from belarchive.services import data_migrations

        try:
            data_migrations.run_all(cat)
        except BaseException:
            cat.close()
            raise
    return cat


def not_a_catalogue(address: ServerAddress, state: ServerState) -> CatalogueError:
    if not state.tables:
        return CatalogueError(
            _(
                "The database {address} holds no belarchive catalogue yet. A team admin "
                "creates one with: belarchive init {address}"
            ).format(address=address.shown())
        )
    return CatalogueError(
        _(
            "The database {address} belongs to another application (it holds tables belarchive "
            "did not make); belarchive leaves it alone. Use an empty database of its own."
        ).format(address=address.shown())
    )


def _desktop_folder(catalogue_id: str) -> Path:
    """This desktop's folder for one team catalogue (index, throttle), made on first use."""
    if not re.fullmatch(r"[0-9a-f-]{36}", catalogue_id):
        raise CatalogueError(_("The team catalogue has no valid id; it cannot be opened."))
    folder = cache_dir() / "team" / catalogue_id
    (folder / "index").mkdir(parents=True, exist_ok=True)
    (data_dir() / "team-backups" / catalogue_id).mkdir(parents=True, exist_ok=True)
    return folder


def create_team(text: str, *, passphrase: str, language: str = "el") -> Catalogue:
    """A new team catalogue in the empty database at ``text``, made by the member the
    address signs in, who becomes its first admin and is returned signed in. Everything is
    one transaction: a failure leaves the database as it was."""
    from belarchive.services.accounts import new_credentials

    address = parse_address(text)
    engine = make_server_engine(address, writer=False)
    try:
        with engine.begin() as conn:
            state = probe(conn)
            if is_catalogue(state.tables):
                raise CatalogueError(
                    _("{address} already holds a belarchive catalogue; nothing was changed.")
                    .format(address=address.shown())
                )  # fmt: skip
            if state.tables:
                raise not_a_catalogue(address, state)
            admin = validation.user_name(state.member)
            founder = new_credentials(admin, passphrase)
            _install(conn, address, admin)
            meta = {
                "catalogue_id": str(uuid.uuid4()),
                "default_language": language,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "created_with": __version__,
                APPLICATION_META: APPLICATION,
                SCHEMA_META: str(migrations.LATEST_VERSION),
            }
            founding.found(conn, founder, meta)
    except (SQLAlchemyError, psycopg.Error) as exc:
        raise _install_refusal(exc, address) from exc
    finally:
        engine.dispose()
    cat = Catalogue(_desktop_folder(meta["catalogue_id"]), server=address)
    cat.member = admin
    cat.keep_signer(founder.signer)
    return cat


def _install(conn: Connection, address: ServerAddress, admin: str) -> None:
    driver: Any = conn.connection.driver_connection
    for name in ("schema.sql", "rules.sql", "files.sql"):
        driver.execute((db_dir() / "postgresql" / name).read_text(encoding="utf-8"))
    from psycopg import sql

    driver.execute(sql.SQL("GRANT belarchive_admin TO {}").format(sql.Identifier(admin)))


def _install_refusal(exc: BaseException, address: ServerAddress) -> BelarchiveError:
    text = str(getattr(exc, "orig", None) or exc)
    if "permission denied for schema public" in text or "must have createrole" in text.lower():
        return CatalogueError(
            _(
                "{user} may not set up a catalogue in {address}: they need to own the database "
                "and to create roles (as the server's administrator: createuser --createrole "
                "{user}; createdb -O {user} DATABASE). Nothing was changed."
            ).format(user=address.user or "(no user)", address=address.shown()),
            detail=text,
        )
    return _refusal(exc, address)
