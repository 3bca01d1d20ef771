"""Several desktops writing to one team catalogue at once: separate processes, each its own
connection, all through the services. No write is lost and the chain stays one line."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import team_support
from support import PASSPHRASE
from team_support import ADMIN

from belarchive.services import seals, users
from belarchive.services.audit import verify_chain

WRITERS = ("olga", "viktor", "vera", "petr", ADMIN)
EACH = 25


def test_five_writer_processes_lose_nothing_and_keep_one_chain(team: Any, tmp_path: Path) -> None:
    users.add_user(team.as_member(ADMIN), ADMIN, "petr", "archivist", PASSPHRASE)
    spawn = multiprocessing.get_context("spawn")
    with spawn.Pool(len(WRITERS)) as pool:
        jobs = [
            pool.apply_async(
                team_support.write_events,
                (team.address(m), m, EACH, str(tmp_path / f"desk-{m}")),
            )
            for m in WRITERS
        ]
        made = {m: job.get(timeout=300) for m, job in zip(WRITERS, jobs, strict=True)}
    with team.as_member(ADMIN).reader.connect() as conn:
        stored = dict(
            conn.exec_driver_sql(
                "SELECT uuid, created_by FROM event WHERE deleted = false"
            ).fetchall()
        )
        report = verify_chain(conn)
        seal_problems = seals.compare_all(seals.sqlalchemy_runner(conn))
        authors = conn.exec_driver_sql(
            "SELECT \"user\", count(*) FROM auditentry WHERE action = 'event.create' "
            'GROUP BY "user"'
        ).fetchall()
    assert report.ok, report.problem
    assert seal_problems == []
    for member, uuids in made.items():
        assert len(uuids) == EACH
        assert all(stored[u] == member for u in uuids)
    assert len(stored) == EACH * len(WRITERS)
    assert dict(authors) == {m: EACH for m in WRITERS}
