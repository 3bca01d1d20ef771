"""What every window and widget shares: the open catalogue, the acting user, the writer.

Views refresh from ONE signal, ``changed(Change)``, emitted on the GUI thread after each
committed write — whoever made it (this window, an import, the CLI in the same process).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from belarchive.domain.values import Role
from belarchive.gui.indexing import IndexOpener
from belarchive.gui.workers import Failed, Job, WriterWorker
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change

log = logging.getLogger(__name__)


class AppContext(QObject):
    changed = Signal(object)  # Change
    user_changed = Signal(str)
    catalogue_changed = Signal(object)  # Catalogue
    error = Signal(object)  # BaseException from a background job nobody handled
    # A team catalogue's server reachable (True) or not (False); queued to the GUI thread.
    server_status = Signal(bool)

    def __init__(
        self, catalogue: Catalogue, user: str, role: Role | str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.writer = WriterWorker(self)
        self.index = IndexOpener(self)  # the search index, opened off the writer (indexing.py)
        self.catalogue = catalogue
        self.user = user
        self.role = Role(role)
        catalogue.add_listener(self._forward)
        self._feed: Any = None
        self._listen(catalogue)

    def _forward(self, change: Change) -> None:
        # Called on the writer thread; the queued signal lands on the GUI thread.
        self.changed.emit(change)

    def set_user(self, name: str, role: Role | str) -> None:
        self.user, self.role = name, Role(role)
        self.user_changed.emit(name)

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.index.stop()
        self.writer.wait_idle()
        self.catalogue.remove_listener(self._forward)
        try:
            from belarchive.services import search_sync

            search_sync.detach(self.catalogue)  # the old catalogue's index listener and files
        except Exception:
            log.exception("closing the search index failed")
        self._stop_listening()
        self.catalogue.close()
        self.catalogue = catalogue
        catalogue.add_listener(self._forward)
        self._listen(catalogue)
        self.catalogue_changed.emit(catalogue)

    def _listen(self, catalogue: Catalogue) -> None:
        """A team catalogue: hear other desktops' changes (services.live) on a thread of the
        feed's own; they arrive through ``changed`` like this window's own."""
        if not catalogue.is_team:
            return
        from belarchive.services.live import ChangeFeed

        self._feed = ChangeFeed(catalogue, on_status=self.server_status.emit)
        self._feed.start()

    def _stop_listening(self) -> None:
        if self._feed is not None:
            self._feed.stop()
            self._feed = None

    def detach_views(self) -> None:
        """Disconnect every view from this context's signals, so another window's views
        can take it over (a new interface language rebuilds the window). Every receiver of
        these signals is a widget of the window; none belongs to the context itself."""
        signals = (self.changed, self.user_changed, self.catalogue_changed, self.error,
                   self.server_status,
                   self.writer.busy_changed, self.index.progress, self.index.changed)  # fmt: skip
        for signal in signals:
            with contextlib.suppress(RuntimeError, TypeError):  # nothing was connected
                signal.disconnect()

    @property
    def is_reviewer(self) -> bool:
        return self.role in (Role.REVIEWER, Role.ADMIN)

    def write(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Failed | None = None,
        label: str = "",
    ) -> Job:
        """Run ``fn`` (a service call) on the writer thread; callbacks come back on the GUI."""
        return self.writer.submit(fn, on_done, on_error or self.error.emit, label)

    def shutdown(self) -> None:
        self._stop_listening()
        self.index.stop()  # cancels a rebuild; the old index (if any) stays as it was
        self.writer.wait_idle()
        self.writer.stop()
        self.catalogue.remove_listener(self._forward)
