"""Live updates between desktops of a team catalogue (LISTEN/NOTIFY and the audit log)."""

from __future__ import annotations

import queue
import time
from typing import Any

import pg_cluster
import team_support

from belarchive.services import events
from belarchive.services.changes import Change
from belarchive.services.inputs import EventInput, EventPatch
from belarchive.services.live import ChangeFeed

WITHIN_S = 2.0


class Heard:
    """What a desktop's listeners heard, in order, with when."""

    def __init__(self) -> None:
        self.changes: queue.Queue[tuple[float, Change]] = queue.Queue()
        self.status: queue.Queue[bool] = queue.Queue()

    def change(self, change: Change) -> None:
        self.changes.put((time.perf_counter(), change))

    def next_change(self, timeout: float = 5.0) -> tuple[float, Change]:
        return self.changes.get(timeout=timeout)


def _desktop(team: Any, member: str) -> tuple[Any, ChangeFeed, Heard]:
    cat = team.as_member(member)
    heard = Heard()
    cat.add_listener(heard.change)
    feed = ChangeFeed(cat, on_status=heard.status.put)
    feed.start()
    assert heard.status.get(timeout=10) is True
    return cat, feed, heard


def test_another_desktops_save_arrives_within_two_seconds_with_its_author(team: Any) -> None:
    _olga, feed, heard = _desktop(team, "olga")
    viktor = team.as_member("viktor")
    try:
        start = time.perf_counter()
        uuid = events.create_event(viktor, "viktor", EventInput(title="Search of a flat")).uuid
        at, change = heard.next_change()
        assert uuid in change.created and change.authors == {"viktor"}
        assert at - start < WITHIN_S
        version = int(events.event_detail(viktor, uuid)["version"])
        events.update_event(viktor, "viktor", uuid, version, EventPatch(title="Search (2)"))
        _at, edited = heard.next_change()
        assert uuid in edited.events and not edited.created
    finally:
        feed.stop()


def test_a_desktop_does_not_hear_its_own_writes_twice(team: Any) -> None:
    olga, feed, heard = _desktop(team, "olga")
    try:
        uuid = events.create_event(olga, "olga", EventInput(title="Own event")).uuid
        _at, own = heard.next_change()  # told once, at its commit
        assert uuid in own.created and own.authors == frozenset()
        time.sleep(1.5)  # the announcement has come and gone by now
        assert heard.changes.empty()
    finally:
        feed.stop()


def test_a_dropped_listening_connection_catches_up_on_what_it_missed(team: Any) -> None:
    _olga, feed, heard = _desktop(team, "olga")
    vera = team.as_member("vera")
    try:
        with team_support.superuser(team.cluster) as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'belarchive-live'"
            )
        assert heard.status.get(timeout=10) is False
        uuid = events.create_event(vera, "vera", EventInput(title="Written meanwhile")).uuid
        assert heard.status.get(timeout=15) is True
        _at, change = heard.next_change(timeout=10)
        assert uuid in change.created and change.authors == {"vera"}
    finally:
        feed.stop()


def test_a_server_that_stops_is_reported_offline_and_then_online_again() -> None:
    cluster = pg_cluster.start_cluster()
    try:
        team = team_support.Team(cluster, team_support.new_database(cluster))
        _olga, feed, heard = _desktop(team, "olga")
        try:
            cluster.stop("fast")
            assert heard.status.get(timeout=10) is False
            cluster.start()
            assert heard.status.get(timeout=20) is True
        finally:
            feed.stop()
            team.close()
    finally:
        cluster.remove()
