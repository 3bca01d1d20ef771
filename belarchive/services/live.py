"""Other desktops' changes to a team catalogue, delivered as ``Change`` values.

The server announces every append to the audit log on the channel ``belarchive_changes``
(a trigger of db/postgresql/rules.sql, so a write by any program is announced). A thread
per open team catalogue listens on a connection of its own and, on each announcement, reads
the audit entries it has not seen yet: the log, not the announcement, says what changed, so
nothing is missed while the connection was down. This desktop's own writes are skipped (its
listeners heard of them at commit). The feed also tells whether the server is reachable:
the window shows a banner while it is not, and keeps unsaved edits in their editors.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change

log = logging.getLogger(__name__)

CHANNEL = "belarchive_changes"
# How long a wait for an announcement lasts before the thread looks at its stop flag.
POLL_SECONDS = 0.5
# Waits between attempts to reach a server that went away.
RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0)
Status = Callable[[bool], None]

_VOCABULARY = {"tag", "place", "actor"}


def change_of(rows: Iterable[tuple[Any, ...]]) -> Change:
    """The Change that audit rows (seq, user, action, entity_type, entity_id, after_json)
    describe, as the services' own ChangeBuilder would have recorded it."""
    events: set[str] = set()
    created: set[str] = set()
    deleted: set[str] = set()
    sources: set[str] = set()
    authors: set[str] = set()
    vocabulary = users = searches = False
    last = 0
    for seq, user, action, entity_type, entity_id, after_json in rows:
        last = max(last, int(seq))
        if entity_type == "evidence":  # seals ride along with the changes they seal
            continue
        authors.add(str(user))
        if entity_type == "event":
            events.add(str(entity_id))
            if action == "event.create":
                created.add(str(entity_id))
            elif action == "event.delete":
                deleted.add(str(entity_id))
            elif action == "event.merge" and after_json:
                merged = json.loads(str(after_json)).get("merged")
                if merged:
                    events.add(str(merged))
        elif entity_type == "source":
            sources.add(str(entity_id))
        elif entity_type in _VOCABULARY:
            vocabulary = True
        elif entity_type == "user":
            users = True
        elif entity_type == "savedsearch":
            searches = True
    return Change(
        events=frozenset(events | created | deleted),
        created=frozenset(created),
        deleted=frozenset(deleted),
        sources=frozenset(sources),
        vocabulary=vocabulary,
        users=users,
        searches=searches,
        audit_seq=last,
        authors=frozenset(authors),
    )


class ChangeFeed:
    """Listens to one team catalogue's server; ``start`` once, ``stop`` when closing."""

    def __init__(self, cat: Catalogue, on_status: Status | None = None) -> None:
        assert cat.server is not None
        self.cat = cat
        self.on_status = on_status
        self.online: bool | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="belarchive-live", daemon=True)
        with cat.reader.connect() as conn:
            self.last_seen = _head(conn)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    # -- the listening thread ------------------------------------------------------------------
    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                self._listen()
                attempt = 0
            except Exception as exc:  # the server went away (or never answered): retry
                log.info("team catalogue feed: %s", exc)
                self._set_online(False)
                wait = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                self._stop.wait(wait)

    def _listen(self) -> None:
        import psycopg

        assert self.cat.server is not None
        url = self.cat.server.url
        params: dict[str, Any] = {"host": url.host, "port": url.port, "dbname": url.database,
                                  "user": url.username, "password": url.password}  # fmt: skip
        # The address's own options (?sslmode=...) too: the feed is as protected as the rest.
        params.update({k: v for k, v in url.query.items() if isinstance(v, str)})
        with psycopg.connect(
            **{k: v for k, v in params.items() if v is not None}, connect_timeout=10,
            autocommit=True, application_name="belarchive-live",
        ) as conn:  # fmt: skip
            conn.execute(f"LISTEN {CHANNEL}")
            self._set_online(True)
            self.catch_up()  # what was written while this desktop was not listening
            while not self._stop.is_set():
                heard = any(True for _ in conn.notifies(timeout=POLL_SECONDS))
                if heard:
                    self.catch_up()
                else:
                    conn.execute("SELECT 1")  # notices a dead connection within a poll

    def _set_online(self, online: bool) -> None:
        if online == self.online:
            return
        self.online = online
        if self.on_status is not None:
            try:
                self.on_status(online)
            except Exception:
                log.exception("feed status listener failed")

    def catch_up(self) -> Change | None:
        """Read what others appended since the last look and tell the catalogue's listeners."""
        with self.cat.reader.connect() as conn:
            rows = conn.exec_driver_sql(
                'SELECT seq, "user", action, entity_type, entity_id, after_json FROM auditentry '
                "WHERE seq > ? ORDER BY seq",
                (self.last_seen,),
            ).all()
        if not rows:
            return None
        others = [r for r in rows if not self.cat.own_writes.holds(int(r[0]))]
        self.last_seen = int(rows[-1][0])
        self.cat.own_writes.forget(below=self.last_seen)
        change = change_of(others)
        if not others or change.empty:
            return None
        self.cat.notify_listeners(change)
        return change


def _head(conn: Any) -> int:
    return int(conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM auditentry").scalar())
