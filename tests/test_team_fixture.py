"""A team catalogue as schema 7 wrote it (db/fixtures/team-v7.sql, made once): restored the
way docs/team-mode.md says, it opens, its signed history and seals check, and it takes new
writes under the same rules."""

from __future__ import annotations

import itertools
import subprocess
from pathlib import Path
from typing import Any

import pg_cluster
import team_support
from support import PASSPHRASE

from belarchive.services import events, maintenance
from belarchive.services.inputs import EventInput
from belarchive.services.team import open_team
from belarchive.storage import queries

FIXTURES = Path(__file__).resolve().parent.parent / "db" / "fixtures"
MEMBERS = {"anna": "belarchive_admin", "viktor": "belarchive_reviewer",
           "olga": "belarchive_archivist"}  # fmt: skip
_numbers = itertools.count(1)


def _restore(cluster: Any, version: int) -> str:
    name = f"restored_v{version}_{next(_numbers)}"
    with team_support.superuser(cluster) as conn:
        for group, parent in (("belarchive_archivist", None),
                              ("belarchive_reviewer", "belarchive_archivist"),
                              ("belarchive_admin", "belarchive_reviewer")):  # fmt: skip
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
                conn.execute(f"CREATE ROLE {group} NOLOGIN")
                if parent:
                    conn.execute(f"GRANT {parent} TO {group}")
        for member, group in MEMBERS.items():
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (member,)).fetchone():
                conn.execute(f"CREATE ROLE {member} LOGIN CREATEROLE PASSWORD '{PASSPHRASE}'")
            conn.execute(f"GRANT {group} TO {member}")
        conn.execute(f"CREATE DATABASE {name} OWNER anna")
    restored = subprocess.run(
        [str(pg_cluster.server_bin_dir() / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
         "-f", str(FIXTURES / f"team-v{version}.sql"),
         cluster.address(name, pg_cluster.SUPERUSER, cluster.password)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert restored.returncode == 0, restored.stderr[-2000:]
    with team_support.superuser(cluster) as conn:  # database grants are not in a dump
        conn.execute(f"REVOKE ALL ON DATABASE {name} FROM PUBLIC")
        conn.execute(f"GRANT CONNECT, TEMPORARY ON DATABASE {name} TO belarchive_archivist")
    return name


def test_the_schema_7_team_fixture_opens_checks_and_takes_new_writes(pg_server: Any) -> None:
    name = _restore(pg_server, 7)
    olga = open_team(pg_server.address(name, "olga", PASSPHRASE))
    try:
        olga.sign_in("olga", PASSPHRASE)
        assert olga.meta["schema_version"] == "7"
        report = maintenance.check(olga)
        assert report.audit is not None and report.audit.ok, report.audit
        assert report.evidence_problems == [] and report.evidence_checked == 3
        assert report.file_problems == []  # the archived copy, re-hashed from its chunks
        with olga.reader.connect() as conn:
            rows = queries.list_events(conn, queries.EventFilter())
        assert {(r.title, r.status) for r in rows} == {
            ("Συλλήψεις στο Μινσκ", "verified"), ("Марш у Гомелі", "unverified")
        }  # fmt: skip
        events.create_event(olga, "olga", EventInput(title="After the restore"))
        assert maintenance.check(olga).audit.ok  # type: ignore[union-attr]
    finally:
        olga.close()
