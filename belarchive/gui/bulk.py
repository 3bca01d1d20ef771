"""Bulk edits from the main window: the selected events tagged, untagged, given a place or
sent to review, in one service transaction on the writer thread, with progress and Cancel,
and one undo step that applies the exact inverse to the events that changed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QProgressDialog

from belarchive.domain.values import Status
from belarchive.errors import Cancelled
from belarchive.gui.dialogs.bulk_dialog import PLACE, REVIEW, TAG, UNTAG, BulkDialog, titles
from belarchive.gui.errors import show_error
from belarchive.gui.i18n import current_language, tr
from belarchive.services import merging
from belarchive.services.bulk_apart import BulkOp, perform
from belarchive.services.bulk_edit import BulkResult
from belarchive.storage import detail as detail_reads

if TYPE_CHECKING:
    from belarchive.gui.dialogs.merge_dialog import MergeDialog
    from belarchive.gui.main_window import MainWindow
    from belarchive.services.catalogue import Catalogue

# job(catalogue, user, uuids, progress, cancel) -> BulkResult
Job = Callable[..., BulkResult]
UNDONE_NOTE = "Review request undone."


def jobs(kind: str, value: str) -> tuple[Job, Job]:
    """The edit and its inverse, for the events it changed (a large batch runs apart:
    services.bulk_apart)."""
    forward, inverse = operations(kind, value)
    return partial(perform, op=forward), partial(perform, op=inverse)


def operations(kind: str, value: str) -> tuple[BulkOp, BulkOp]:
    if kind == TAG:
        return BulkOp("tag_events", {"add": [value]}), BulkOp("tag_events", {"remove": [value]})
    if kind == UNTAG:
        return BulkOp("tag_events", {"remove": [value]}), BulkOp("tag_events", {"add": [value]})
    if kind == PLACE:
        return BulkOp("add_place", {"place": value}), BulkOp("remove_place", {"place": value})
    undo = {"source": Status.IN_REVIEW.value, "target": Status.UNVERIFIED.value,
            "note": UNDONE_NOTE}  # fmt: skip
    return BulkOp("request_review", {"note": value}), BulkOp("move_status", undo)


def choices(cat: Catalogue, kind: str) -> list[tuple[str, str]]:
    lang = current_language()
    with cat.session() as session:
        if kind in (TAG, UNTAG):
            return list(detail_reads.tag_labels(session, lang).items())
        if kind == PLACE:
            return [(p.key, p.display_name) for p in detail_reads.list_places(session)]
    return []


def summary(kind: str, result: BulkResult) -> str:
    n, same = len(result.changed), result.unchanged
    words = {TAG: tr("Tagged {n} events; {same} already had the tag."),
             UNTAG: tr("Removed the tag from {n} events; {same} did not have it."),
             PLACE: tr("Added the place to {n} events; {same} already had it."),
             REVIEW: tr("Sent {n} events to review; {same} were not unverified and stay as "
                        "they were.")}  # fmt: skip
    text = words[kind].format(n=n, same=same)
    if result.reopened:
        text += " " + tr("{n} verified events went back to review.").format(n=result.reopened)
    return text


class _Bridge(QObject):
    progress = Signal(int, int)


class BulkCommand(QUndoCommand):
    """One undo step for a whole batch. The first redo is the edit already made."""

    def __init__(self, window: MainWindow, text: str, forward: Job, inverse: Job,
                 changed: Sequence[str]) -> None:  # fmt: skip
        super().__init__(text)
        self.window, self.forward, self.inverse = window, forward, inverse
        self.changed, self._first = tuple(changed), True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._submit(self.forward)

    def undo(self) -> None:
        self._submit(self.inverse)

    def _submit(self, job: Job) -> None:
        ctx, ids = self.window.ctx, self.changed
        assert ctx is not None
        cat, user = ctx.catalogue, ctx.user
        ctx.write(lambda: job(cat, user, ids), lambda _r: None, self._refused,
                  label=self.text())  # fmt: skip

    def _refused(self, exc: BaseException) -> None:
        self.window.undo_stack.clear()  # the history no longer matches the catalogue
        show_error(self.window, exc, tr("Undo was refused; the undo history was cleared"))


class BulkEdits(QObject):
    finished = Signal(object)  # BulkResult, after the batch committed

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.progress: QProgressDialog | None = None
        self._cancel = threading.Event()
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self._progress)

    def ask(self, kind: str) -> BulkDialog | None:
        """Open the dialog for the selected events (None: nothing to do, and why is said)."""
        browser, ctx = self.window.browser, self.window.ctx
        if browser is None or ctx is None:
            return None
        uuids = browser.selected_uuids()
        bar = self.window.statusBar()
        if uuids is None:
            bar.showMessage(tr("The list is still loading; try again in a moment."), 5000)
            return None
        if not uuids:
            bar.showMessage(tr("Select events in the list first."), 5000)
            return None
        dialog = BulkDialog(kind, len(uuids), choices(ctx.catalogue, kind), self.window)
        dialog.accepted.connect(lambda: self.run(kind, dialog.value(), uuids))
        dialog.open()
        return dialog

    def run(self, kind: str, value: str, uuids: list[str]) -> None:
        ctx = self.window.ctx
        assert ctx is not None
        forward, inverse = jobs(kind, value)
        self._cancel.clear()
        self.progress = QProgressDialog(titles()[kind], tr("Cancel"), 0, len(uuids), self.window)
        self.progress.setObjectName("bulkProgress")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self._cancel.set)
        cat, user, emit, flag = ctx.catalogue, ctx.user, self._bridge.progress.emit, self._cancel
        ctx.write(lambda: forward(cat, user, uuids, progress=emit, cancel=flag.is_set),
                  lambda result: self._done(kind, value, forward, inverse, result),
                  self._failed, label=titles()[kind])  # fmt: skip

    def _progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(1, total))
            self.progress.setValue(min(done, total - 1))  # closes only when committed

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, kind: str, value: str, forward: Job, inverse: Job, result: Any) -> None:
        self._close_progress()
        if result.changed:
            text = f"{titles()[kind]}: {value}" if value else titles()[kind]
            self.window.undo_stack.push(BulkCommand(self.window, text, forward, inverse,
                                                    result.changed))  # fmt: skip
        self.window.statusBar().showMessage(summary(kind, result), 15_000)
        self.finished.emit(result)

    # -- merging ----------------------------------------------------------------------------
    def ask_merge(self) -> MergeDialog | None:
        """Merge the selected events (2 to MAX_EVENTS), asking which one and which fields."""
        from belarchive.gui.dialogs.merge_dialog import MAX_EVENTS, MergeDialog

        browser, ctx, bar = self.window.browser, self.window.ctx, self.window.statusBar()
        if browser is None or ctx is None:
            return None
        uuids = browser.selected_uuids() or []
        if not 2 <= len(uuids) <= MAX_EVENTS:
            bar.showMessage(tr("Select from 2 to {n} events in the list to merge them.").format(
                n=MAX_EVENTS), 8000)  # fmt: skip
            return None
        with ctx.catalogue.session() as session:
            details = [detail_reads.load_event_detail(session, u) for u in uuids]
        dialog = MergeDialog(details, self.window)
        dialog.accepted.connect(lambda: self.merge(dialog.kept(), dialog.others(), dialog.take()))
        dialog.open()
        return dialog

    def merge(self, keep: str, others: list[str], take: dict[str, str]) -> None:
        ctx = self.window.ctx
        assert ctx is not None
        cat, user = ctx.catalogue, ctx.user
        ctx.write(lambda: merging.merge_events(cat, user, keep, others, take),
                  lambda out: self._merged(out.uuid, len(others)),
                  self._merge_failed,
                  label="merge")  # fmt: skip

    def _merge_failed(self, exc: BaseException) -> None:
        show_error(self.window, exc, tr("Nothing was merged"))

    def _merged(self, keep: str, count: int) -> None:
        # The undo history ends here: moving the evidence back is not an edit Undo can
        # replay, and an Undo after a merge must not silently undo something older.
        self.window.undo_stack.clear()
        self.window._on_saved(keep)
        merged = tr("Merged {n} events into the one selected. Undo cannot reverse a merge; a "
                    "merged event can be restored from the withdrawn events.")  # fmt: skip
        self.window.statusBar().showMessage(merged.format(n=count + 1), 15_000)

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, Cancelled):
            self.window.statusBar().showMessage(tr("Cancelled; no event was changed."), 10_000)
        else:
            show_error(self.window, exc, tr("No event was changed"))
