"""Background reads where only the newest request matters (facet counts, listing order,
search as you type).

``LatestOnly`` runs at most one job at a time on the thread pool; a request made while one
runs replaces any request still waiting, and the answer to a superseded request is dropped.
Typing fast or ticking facets in a row therefore costs one query in flight plus one waiting,
never a queue of stale 0.5 s queries on a 100k catalogue.

Results come back through one long-lived bridge object, never through a per-job QObject:
a job's QObject could be deleted with its widget while the pool thread still emits on it.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Bridge(QObject):
    finished = Signal(int, object, object)  # ticket, result, error


_bridge: _Bridge | None = None
_tickets = itertools.count(1)
_waiting: dict[int, tuple[LatestOnly, Done, Failed | None]] = {}


def _the_bridge() -> _Bridge:
    global _bridge
    if _bridge is None:  # created on the GUI thread by the first request
        _bridge = _Bridge()
        _bridge.finished.connect(_deliver)
    return _bridge


def _run(ticket: int, fn: Callable[[], Any], bridge: _Bridge) -> None:
    try:
        result, error = fn(), None
    except Exception as exc:  # every failure goes back to the GUI thread
        result, error = None, exc
    try:
        bridge.finished.emit(ticket, result, error)
    except RuntimeError:  # the application quit while this ran: nobody wants the answer
        _waiting.pop(ticket, None)


def _deliver(ticket: int, result: object, error: object) -> None:
    runner, on_done, on_error = _waiting.pop(ticket)
    runner.running = False
    if not shiboken6.isValid(runner.owner):
        return  # the widget is gone: nobody wants the answer
    if runner.pending is None:  # nothing newer was asked for: this answer is current
        if error is None:
            on_done(result)
        elif on_error is not None:
            on_error(error)  # type: ignore[arg-type]
        else:
            log.error("background read failed: %s", error)
    runner.start_pending()


class LatestOnly:
    def __init__(self, owner: QObject, pool: QThreadPool | None = None) -> None:
        self.owner = owner
        self.pool = pool  # None: Qt's global pool, shared with the other reads
        self.running = False
        self.pending: tuple[Callable[[], Any], Done, Failed | None] | None = None

    def request(self, fn: Callable[[], Any], on_done: Done,
                on_error: Failed | None = None) -> None:  # fmt: skip
        self.pending = (fn, on_done, on_error)
        if not self.running:
            self.start_pending()

    def start_pending(self) -> None:
        if self.pending is None or not shiboken6.isValid(self.owner):
            return
        fn, on_done, on_error = self.pending
        self.pending = None
        self.running = True
        ticket = next(_tickets)
        _waiting[ticket] = (self, on_done, on_error)
        bridge = _the_bridge()
        (self.pool or QThreadPool.globalInstance()).start(lambda: _run(ticket, fn, bridge))

    @property
    def busy(self) -> bool:
        return self.running or self.pending is not None


class WhenSeen(QObject):
    """A view's refresh, run now if the view can be seen, else the next time it shows.

    A dock behind another's tab (the timeline behind the map, or the reverse) reads nothing
    on a filter change: on two cores its reads slowed the visible one's. Before the window
    is first shown, refreshes run as asked (start-up, widgets used on their own)."""

    def __init__(self, view: QWidget, refresh: Callable[[], None]) -> None:
        super().__init__(view)
        self.view, self.refresh, self.stale = view, refresh, False
        view.installEventFilter(self)

    def request(self) -> None:
        if self.view.window().isVisible() and not self.view.isVisible():
            self.stale = True
        else:
            self.stale = False
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self.refresh()
        return False
