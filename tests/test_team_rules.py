"""The server enforces the rules itself: forbidden SQL, tried as a member's own role with a
plain connection (as any SQL editor would), is refused and changes nothing."""

from __future__ import annotations

import contextlib
from typing import Any

import psycopg
import pytest
from team_support import ADMIN

from belarchive.services import events, verification
from belarchive.services.audit import verify_chain
from belarchive.services.inputs import EventInput

REFUSED = (psycopg.errors.InsufficientPrivilege, psycopg.errors.RaiseException)


def _event_in_review(team: Any) -> str:
    olga = team.as_member("olga")
    uuid = events.create_event(olga, "olga", EventInput(title="March", date="2020-11-15")).uuid
    verification.set_status(olga, "olga", uuid, "in_review")
    return uuid


def _refused(conn: psycopg.Connection[Any], sql: str, *params: Any) -> str:
    with pytest.raises(REFUSED) as refused:
        conn.execute(sql, params or None)
    return str(refused.value)


def _chain_ok(team: Any) -> None:
    with team.as_member(ADMIN).reader.connect() as conn:
        report = verify_chain(conn)
    assert report.ok, report.problem


@pytest.mark.parametrize("member", ["olga", "viktor", ADMIN])
def test_nobody_may_change_or_remove_history(team: Any, member: str) -> None:
    _event_in_review(team)
    with team.sql_as(member) as conn:
        count = conn.execute("SELECT count(*) FROM auditentry").fetchone()
        # Members lack the grant; the admin owns the tables, and the trigger stops them.
        message = _refused(conn, "UPDATE auditentry SET action = 'x' WHERE seq = 1")
        expected = "only ever added to" if member == ADMIN else "permission denied"
        assert expected in message
        _refused(conn, "DELETE FROM auditentry WHERE seq > 1")
        _refused(conn, "TRUNCATE auditentry")
        # Row-level security shows the verification history to nobody for changing: the
        # statement is refused, or (for the tables' owner) finds no row to change.
        for sql in ("DELETE FROM verificationentry",
                    "UPDATE verificationentry SET to_status = 'verified'"):  # fmt: skip
            with contextlib.suppress(REFUSED):
                assert conn.execute(sql).rowcount == 0
        assert conn.execute("SELECT count(*) FROM verificationentry").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM auditentry").fetchone() == count
    _chain_ok(team)


def test_an_archivist_may_not_decide_by_sql(team: Any) -> None:
    uuid = _event_in_review(team)
    with team.sql_as("olga") as conn:
        message = _refused(conn, "UPDATE event SET status = 'verified' WHERE uuid = %s", uuid)
        assert "only reviewers may mark an event verified" in message
        _refused(
            conn,
            "INSERT INTO verificationentry (event_id, from_status, to_status, reviewer, at, "
            "note) SELECT id, 'in_review', 'verified', 'olga', now(), '' FROM event "
            "WHERE uuid = %s",
            uuid,
        )
        status = conn.execute("SELECT status FROM event WHERE uuid = %s", (uuid,)).fetchone()
    assert status == ("in_review",)


def test_nobody_decides_in_another_members_name(team: Any) -> None:
    uuid = _event_in_review(team)
    with team.sql_as("vera") as conn:
        _refused(
            conn,
            "INSERT INTO verificationentry (event_id, from_status, to_status, reviewer, at, "
            "note) SELECT id, 'in_review', 'verified', 'viktor', now(), '' FROM event "
            "WHERE uuid = %s",
            uuid,
        )


def test_a_reviewer_who_edited_last_may_not_verify_even_by_sql(team: Any) -> None:
    uuid = _event_in_review(team)
    with team.sql_as("viktor") as conn:
        conn.execute("UPDATE event SET substance_by = 'viktor' WHERE uuid = %s", (uuid,))
        assert "another reviewer" in _refused(
            conn, "UPDATE event SET status = 'verified' WHERE uuid = %s", uuid
        )


def test_history_is_written_only_in_ones_own_name_and_only_at_the_end_of_the_chain(
    team: Any,
) -> None:
    _event_in_review(team)
    with team.sql_as("olga") as conn:
        seq, head = conn.execute(
            "SELECT seq, hash FROM auditentry ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        insert = (
            'INSERT INTO auditentry (seq, ts, "user", action, entity_type, entity_id, '
            "prev_hash, hash) VALUES (%s, '2020-01-01', %s, 'event.delete', 'event', 'x', %s, "
            "'f00d')"
        )
        assert "in the name of viktor" in _refused(conn, insert, seq + 1, "viktor", head)
        assert "does not follow" in _refused(conn, insert, seq + 5, "olga", head)
        assert "does not follow" in _refused(conn, insert, seq + 1, "olga", "0" * 64)
    _chain_ok(team)


def test_only_admins_change_members(team: Any) -> None:
    with team.sql_as("olga") as conn:
        _refused(conn, "UPDATE \"user\" SET role = 'admin' WHERE name = 'olga'")
        _refused(conn, "GRANT belarchive_admin TO olga")
        # Her own passphrase and key she may change; nobody else's (row-level security).
        stolen = conn.execute("UPDATE \"user\" SET passphrase_hash = 'x' WHERE name = 'viktor'")
        assert stolen.rowcount == 0
        role = conn.execute("SELECT role FROM \"user\" WHERE name = 'olga'").fetchone()
    assert role == ("archivist",)


def test_a_role_outside_the_groups_cannot_even_connect(team: Any) -> None:
    import team_support

    with team_support.superuser(team.cluster) as conn:
        conn.execute("DROP ROLE IF EXISTS stranger")
        conn.execute("CREATE ROLE stranger LOGIN PASSWORD 'stranger-pass'")
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        psycopg.connect(team.address("stranger", "stranger-pass"))
