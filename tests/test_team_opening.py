"""Opening and creating team catalogues: each bad case gets its own clear message, and
nothing on the server is half-made."""

from __future__ import annotations

from typing import Any

import pg_cluster
import pytest
import team_support
from support import PASSPHRASE
from team_support import ADMIN

from belarchive.errors import BelarchiveError, CatalogueError, PermissionDenied, SchemaTooNewError
from belarchive.services import events
from belarchive.services.audit import verify_chain
from belarchive.services.inputs import EventInput
from belarchive.services.team import create_team, open_team


def _tables(cluster: Any, database: str) -> set[str]:
    address = cluster.address(database, pg_cluster.SUPERUSER, cluster.password)
    import psycopg

    with psycopg.connect(address) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {r[0] for r in rows}


def test_a_wrong_password_is_named_as_such(team: Any) -> None:
    with pytest.raises(CatalogueError, match="wrong user name or password") as refused:
        open_team(team.address("olga", "not her password"))
    assert "not her password" not in str(refused.value)


def test_a_server_that_is_not_running(pg_server: Any) -> None:
    address = f"postgresql://olga:x@127.0.0.1:{pg_cluster._free_port()}/team"
    with pytest.raises(CatalogueError, match="cannot be reached"):
        open_team(address)


@pytest.mark.parametrize("address", ["postgresql://host-only", "postgresql:///", "mysql://h/db"])
def test_an_address_that_is_not_one(address: str) -> None:
    with pytest.raises(CatalogueError, match="not a team catalogue address"):
        open_team(address)


def test_a_role_without_belarchive_rights(team: Any) -> None:
    with team_support.superuser(team.cluster) as conn:
        conn.execute("DROP ROLE IF EXISTS outsider")
        conn.execute("CREATE ROLE outsider LOGIN PASSWORD 'outsider-pass'")
    with pytest.raises(PermissionDenied, match="outsider has no belarchive rights"):
        open_team(team.address("outsider", "outsider-pass"))


def test_a_database_of_another_application_is_left_alone(pg_server: Any) -> None:
    address = team_support.new_database(pg_server)
    import psycopg

    with psycopg.connect(address, autocommit=True) as conn:
        conn.execute("CREATE TABLE customers (id integer PRIMARY KEY, name text)")
    database = address.rsplit("/", 1)[1]
    with pytest.raises(CatalogueError, match="belongs to another application"):
        open_team(address)
    with pytest.raises(CatalogueError, match="belongs to another application"):
        create_team(address, passphrase=PASSPHRASE)
    assert _tables(pg_server, database) == {"customers"}


def test_an_empty_database_says_how_to_make_a_catalogue(pg_server: Any) -> None:
    address = team_support.new_database(pg_server)
    with pytest.raises(CatalogueError, match="belarchive init"):
        open_team(address)


def test_a_catalogue_cannot_be_made_twice(team: Any) -> None:
    with pytest.raises(CatalogueError, match="already holds a belarchive catalogue"):
        create_team(team.address(ADMIN), passphrase=PASSPHRASE)


def test_a_schema_newer_than_the_program(team: Any) -> None:
    import psycopg

    super_address = team.cluster.address(team.database, pg_cluster.SUPERUSER, team.cluster.password)
    with psycopg.connect(super_address, autocommit=True) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaTooNewError, match="newer belarchive"):
        open_team(team.address("olga"))


def test_a_member_without_rights_to_set_up_changes_nothing(pg_server: Any) -> None:
    address = team_support.new_database(pg_server)
    database = address.rsplit("/", 1)[1]
    with team_support.superuser(pg_server) as conn:
        conn.execute("DROP ROLE IF EXISTS helper")
        conn.execute(f"CREATE ROLE helper LOGIN PASSWORD '{PASSPHRASE}'")
        conn.execute(f"GRANT CONNECT ON DATABASE {database} TO helper")
    with pytest.raises(CatalogueError, match="may not set up a catalogue"):
        create_team(pg_server.address(database, "helper", PASSPHRASE), passphrase=PASSPHRASE)
    assert _tables(pg_server, database) == set()


def test_a_server_restarting_mid_work_loses_nothing_and_the_write_can_be_redone() -> None:
    """Its own server: stopping the shared one would fail other tests of this worker."""
    cluster = pg_cluster.start_cluster()
    try:
        t = team_support.Team(cluster, team_support.new_database(cluster))
        olga = t.as_member("olga")
        events.create_event(olga, "olga", EventInput(title="Before the restart"))
        cluster.stop("fast")
        with pytest.raises(BelarchiveError, match="cannot be reached or went away"):
            events.create_event(olga, "olga", EventInput(title="During the restart"))
        cluster.start()
        events.create_event(olga, "olga", EventInput(title="After the restart"))
        with olga.reader.connect() as conn:
            titles = [r[0] for r in conn.exec_driver_sql("SELECT title FROM event ORDER BY id")]
            report = verify_chain(conn)
        assert titles == ["Before the restart", "After the restart"]
        assert report.ok, report.problem
        t.close()
    finally:
        cluster.remove()
