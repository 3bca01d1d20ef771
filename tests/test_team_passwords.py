"""Members' server passwords travel as SCRAM verifiers: the server stores what it would
have stored, logs never see a password, and passphrases in any script sign in."""

from __future__ import annotations

import base64
from typing import Any

import psycopg
import pytest
import team_support
from support import PASSPHRASE

from belarchive.services import accounts, users
from belarchive.services.team import open_team
from belarchive.storage import scram


def test_the_verifier_is_the_one_postgresql_makes_for_the_same_salt(pg_server: Any) -> None:
    """PostgreSQL hashes a plain password itself when given one: our verifier, with its salt,
    must come out the same, byte for byte."""
    with team_support.superuser(pg_server) as conn:
        conn.execute("DROP ROLE IF EXISTS scram_probe")
        conn.execute("CREATE ROLE scram_probe PASSWORD 'Ωμέγα пароль 1'")
        stored = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'scram_probe'"
        ).fetchone()[0]
        conn.execute("DROP ROLE scram_probe")
    head, _keys = stored.split("$", 1)[1].split("$")
    iterations, salt = head.split(":")
    ours = scram.verifier("Ωμέγα пароль 1", base64.b64decode(salt), int(iterations))
    assert ours == stored


@pytest.mark.parametrize("passphrase", ["Свабода слова 2020", "ελευθερία του λόγου", PASSPHRASE])
def test_a_member_added_with_any_script_passphrase_signs_in(team: Any, passphrase: str) -> None:
    with team_support.superuser(team.cluster) as conn:  # a role the server does not have yet
        conn.execute("DROP ROLE IF EXISTS newcomer")
    users.add_user(team.as_member("anna"), "anna", "newcomer", "archivist", passphrase)
    cat = open_team(team.address("newcomer", passphrase))
    try:
        cat.sign_in("newcomer", passphrase)
        assert cat.member == "newcomer"
    finally:
        cat.close()
    with team_support.superuser(team.cluster) as conn:  # only the verifier reached the server
        stored = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = 'newcomer'"
        ).fetchone()
    assert stored[0].startswith("SCRAM-SHA-256$") and passphrase not in stored[0]


def test_a_changed_passphrase_is_sent_as_a_verifier_too(team: Any) -> None:
    olga = team.as_member("olga")
    accounts.change_passphrase(olga, "olga", "новая фраза для Ольги")
    with psycopg.connect(team.address("olga", "новая фраза для Ольги")) as conn:
        assert conn.execute("SELECT session_user").fetchone() == ("olga",)
