"""Team catalogues for tests: a database per test on the run's own PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from typing import Any

import psycopg
from pg_cluster import SUPERUSER, Cluster
from support import PASSPHRASE

from belarchive.services import team as team_service
from belarchive.services import users
from belarchive.services.catalogue import Catalogue

ADMIN = "anna"
MEMBERS = {"viktor": "reviewer", "vera": "reviewer", "olga": "archivist"}
_numbers = itertools.count(1)


def superuser(cluster: Cluster) -> psycopg.Connection[Any]:
    return psycopg.connect(cluster.superuser_address(), autocommit=True)


# Each test database's cluster, for tests that act as its superuser (support.tamper).
_CLUSTERS: dict[str, Cluster] = {}


def superuser_engine(database: str) -> Any:
    from belarchive.storage.server import make_server_engine, parse_address

    cluster = _CLUSTERS[database]
    address = cluster.address(database, SUPERUSER, cluster.password)
    return make_server_engine(parse_address(address), writer=False)


def new_database(cluster: Cluster, owner: str = ADMIN) -> str:
    name = f"team_{os.getpid()}_{next(_numbers)}"
    _CLUSTERS[name] = cluster
    with superuser(cluster) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (owner,)).fetchone() is None:
            conn.execute(f"CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD '{PASSPHRASE}'")
        conn.execute(f"CREATE DATABASE {name} OWNER {owner}")
        # Roles are the server's, shared by this worker's tests: one that changed a
        # member's password must not lock the next test out.
        for member in (owner, *MEMBERS, "petr"):
            conn.execute(
                f"DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{member}') THEN "
                f"ALTER ROLE {member} PASSWORD '{PASSPHRASE}'; END IF; END $$"
            )
    return cluster.address(name, owner, PASSPHRASE)


class Team:
    """One team catalogue and the members' desktops opened on it so far."""

    def __init__(self, cluster: Cluster, address: str) -> None:
        self.cluster = cluster
        self.database = address.rsplit("/", 1)[1]
        admin = team_service.create_team(address, passphrase=PASSPHRASE)
        for name, role in MEMBERS.items():
            users.add_user(admin, ADMIN, name, role, PASSPHRASE)
        self._open: dict[str, Catalogue] = {ADMIN: admin}

    def address(self, member: str, password: str = PASSPHRASE) -> str:
        return self.cluster.address(self.database, member, password)

    def as_member(self, name: str) -> Catalogue:
        if name not in self._open:
            cat = team_service.open_team(self.address(name))
            cat.sign_in(name, PASSPHRASE)
            self._open[name] = cat
        return self._open[name]

    def sql_as(self, member: str) -> psycopg.Connection[Any]:
        """A plain connection as ``member``, as any SQL editor would make (autocommit)."""
        return psycopg.connect(self.address(member), autocommit=True)

    def close(self) -> None:
        for cat in self._open.values():
            cat.close()
        self._open.clear()


def write_events(address: str, member: str, count: int, data_dir: str) -> list[str]:
    """One desktop's process: open the team catalogue as ``member`` and save ``count``
    events one transaction each (run in a process of its own by the concurrency tests and
    bench/bench_team.py). Returns their UUIDs."""
    os.environ["BELARCHIVE_DATA_DIR"] = data_dir
    from belarchive.services import events
    from belarchive.services.inputs import EventInput, FigureInput

    cat = team_service.open_team(address)
    try:
        cat.sign_in(member, PASSPHRASE)
        made = []
        for i in range(count):
            data = EventInput(
                title=f"{member}: detentions at march {i}",
                date=f"2020-11-{1 + i % 28:02d}",
                tags=("detention",),
                figures=(FigureInput("detained", 1 + i, qualifier="at_least"),),
            )
            made.append(events.create_event(cat, member, data).uuid)
        return made
    finally:
        cat.close()
