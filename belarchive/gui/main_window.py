"""The main window: browser | editor in a splitter, the timeline in a dock, menus, status bar.

The window is built in two steps so it can be shown before the heavy modules load: the
constructor makes only Qt chrome; ``attach(ctx)`` builds the browser and editor once the
catalogue is open (see app.py).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, QThreadPool, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QToolButton,
    QWidget,
)
from shiboken6 import isValid

from belarchive.gui.actions import build_menus, build_toolbar, icon, make_actions
from belarchive.gui.dialogs.user_dialog import role_label
from belarchive.gui.geometry import clamp_to_screen, fit_to_screen
from belarchive.gui.i18n import tr
from belarchive.gui.settings import GuiSettings

if TYPE_CHECKING:
    from datetime import date

    from belarchive.gui.context import AppContext
    from belarchive.gui.editor.editor import EventEditor
    from belarchive.gui.views.browser import EventBrowser

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    def __init__(self, settings: GuiSettings | None = None) -> None:
        super().__init__()
        self.settings = settings or GuiSettings()
        self.ctx: AppContext | None = None
        self.browser: EventBrowser | None = None
        self.editor: EventEditor | None = None
        self.timeline: QWidget | None = None
        self.lock: Any = None
        self.setObjectName("mainWindow")
        self.setWindowTitle("belarchive")
        self.setWindowIcon(icon("app"))
        self.undo_stack = QUndoStack(self)
        undo = self.undo_stack.createUndoAction(self, tr("&Undo"))
        undo.setShortcut("Ctrl+Z")
        redo = self.undo_stack.createRedoAction(self, tr("&Redo"))
        redo.setShortcut("Ctrl+Shift+Z")
        self.actions_ = make_actions(self)
        build_menus(self, self.actions_, undo, redo)
        build_toolbar(self, self.actions_)
        self._build_status_bar()
        self.placeholder = QLabel(tr("Opening the catalogue…"), self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setCentralWidget(self.placeholder)
        for action in self.actions_.needs_catalogue:
            action.setEnabled(False)
        fit_to_screen(self)
        geometry = self.settings.blob("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            clamp_to_screen(self)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.period_button = QToolButton(self)
        self.period_button.setAutoRaise(True)
        self.period_button.setToolTip(tr("Clear the timeline period"))
        self.period_button.hide()
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("busyLabel")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("userLabel")
        # A demo catalogue says how its users sign in (the passphrase is public).
        self.demo_label = QLabel(self)
        self.demo_label.setObjectName("demoLabel")
        self.demo_label.hide()
        # Permanent widgets stay visible while progress messages show on the left.
        for w in (self.count_label, self.period_button, self.progress, self.busy_label,
                  self.demo_label, self.user_label):  # fmt: skip
            bar.addPermanentWidget(w)

    # -- attaching a catalogue --------------------------------------------------------------
    def attach(self, ctx: AppContext) -> None:
        """Build the working area for ``ctx`` (first catalogue of this window)."""
        from belarchive.gui.editor.editor import EventEditor
        from belarchive.gui.views.browser import EventBrowser

        self.ctx = ctx
        self.browser = EventBrowser(ctx, self)
        self.editor = EventEditor(ctx, self.undo_stack, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([900, 440])
        self.setCentralWidget(self.splitter)
        self.placeholder = None  # type: ignore[assignment]
        self._add_timeline(ctx)
        self._add_map(ctx)
        self._restore_state()
        self._connect(ctx)
        for action in self.actions_.needs_catalogue:
            action.setEnabled(True)
        self.refresh_user()
        self.show_count(self.browser.model.rowCount())
        self._focus_order()

    def _focus_order(self) -> None:
        """Tab goes as the window reads: toolbar, facets, search, list, editor, timeline."""
        from belarchive.gui.focus import chain, show_focus

        browser, editor = self.browser, self.editor
        assert browser is not None and editor is not None
        timeline = getattr(self.timeline, "bucket_box", None)
        chain(self.actions_.user_combo, browser.saved.save_button, browser.saved.list,
              browser.facets, browser.search.edit, browser.search.options,
              browser.clear_button, browser.table, editor.tabs, editor.restore_button,
              editor.revert_button, editor.save_button, timeline)  # fmt: skip
        for view in (browser.table, browser.facets):
            show_focus(view)

    def _add_timeline(self, ctx: AppContext) -> None:
        try:
            module = importlib.import_module("belarchive.gui.widgets.timeline")
            self.timeline = module.TimelineWidget(ctx)
        except Exception:  # the timeline is optional: the window works without it
            log.exception("timeline unavailable")
            self.actions_.timeline.setEnabled(False)
            return
        dock = QDockWidget(tr("Timeline"), self)
        dock.setObjectName("timelineDock")
        dock.setWidget(self.timeline)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)  # fmt: skip
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.resizeDocks([dock], [170], Qt.Orientation.Vertical)
        self.timeline_dock = dock
        self.actions_.timeline.toggled.connect(dock.setVisible)
        dock.visibilityChanged.connect(self.actions_.timeline.setChecked)
        getattr(self.timeline, "period_selected").connect(self.set_period)  # noqa: B009
        assert self.browser is not None
        self.browser.filter_changed.connect(self._timeline_filter)

    def _add_map(self, ctx: AppContext) -> None:
        try:
            from belarchive.gui.views.map_view import add_map_dock

            self.map_dock = add_map_dock(self, ctx)
        except Exception:  # the map is optional: the window works without it
            log.exception("map unavailable")
            self.actions_.map.setEnabled(False)

    def _server_banner(self) -> Any:
        if getattr(self, "server_banner", None) is None:
            from belarchive.gui.widgets.server_banner import ServerBanner

            self.server_banner = ServerBanner(self)
        return self.server_banner

    def _timeline_filter(self, f: Any) -> None:
        from dataclasses import replace

        # The chart shows the whole span of the other filters, so a period can be changed;
        # its summary counts what the list shows (dates, months and search included).
        around = replace(f, date_from=None, date_to=None, periods=())
        self.timeline.set_filter(around, f)  # type: ignore[union-attr]

    def _connect(self, ctx: AppContext) -> None:
        a, browser, editor = self.actions_, self.browser, self.editor
        assert browser is not None and editor is not None
        browser.event_selected.connect(self._on_selected)
        browser.listing_changed.connect(self._keep_editor_in_step)
        self._server_banner().show_status(True)
        ctx.server_status.connect(self._server_banner().show_status)
        browser.filters_cleared.connect(lambda: self.set_period(None, None))
        browser.count_changed.connect(self.show_count)
        browser.counting.connect(lambda: self.count_label.setText(tr("Counting…")))
        editor.saved.connect(self._on_saved)
        editor.restored.connect(self._on_restored)
        a.new_event.triggered.connect(self.new_event)
        a.save.triggered.connect(editor.save)
        a.delete.triggered.connect(self.delete_event)
        # Delete acts on the table's event only: in a text field the key deletes text.
        a.delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        browser.table.addAction(a.delete)
        a.find.triggered.connect(browser.focus_search)
        a.refresh.triggered.connect(browser.refresh)
        a.syntax.triggered.connect(self.show_syntax)
        a.about.triggered.connect(self.show_about)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        a.clear_filters.triggered.connect(browser.clear_filters)
        a.review.triggered.connect(self.open_review_queue)
        from belarchive.gui.bulk import BulkEdits
        from belarchive.gui.dialogs.bulk_dialog import PLACE, REVIEW, TAG, UNTAG

        self.bulk = BulkEdits(self)
        for action, kind in zip(a.bulk()[:4], (TAG, UNTAG, PLACE, REVIEW), strict=True):
            action.triggered.connect(lambda _=False, k=kind: self.bulk.ask(k))
        a.merge_selected.triggered.connect(self.bulk.ask_merge)
        from belarchive.gui.views.copying import copy_selected

        a.copy_csv.triggered.connect(lambda: copy_selected(browser, False, self.say))
        a.copy_citation.triggered.connect(lambda: copy_selected(browser, True, self.say))
        # Ctrl+C copies rows in the list only: in a text field it copies the text.
        for action in (a.copy_csv, a.copy_citation):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # The list's own menu (right click, or the Menu key) offers the same actions.
        browser.table.addActions(a.bulk())
        browser.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        from belarchive.gui.review.count import ReviewCount

        self.review_count = ReviewCount(ctx, self)
        self.review_count.clicked.connect(self.open_review_queue)
        self.statusBar().insertPermanentWidget(0, self.review_count)
        from belarchive.gui.catalogue_care import CatalogueCare

        self.care = CatalogueCare(self)
        a.backup.triggered.connect(self.care.backup)
        a.restore.triggered.connect(self.care.restore)
        a.check.triggered.connect(self.care.check)
        a.anchor.triggered.connect(self.care.save_anchor)
        from belarchive.gui.locking import Locker

        self.locker = Locker(self, self.settings.lock_minutes)
        a.lock.triggered.connect(lambda: self.locker.lock())
        reminder = self.care.anchor_reminder()
        if reminder:
            self.statusBar().showMessage(reminder, 15_000)
        self.period_button.clicked.connect(lambda: self.set_period(None, None))
        ctx.writer.busy_changed.connect(self._on_busy)
        ctx.index.progress.connect(self._on_index_progress)
        ctx.index.changed.connect(self._on_index_state)
        ctx.user_changed.connect(lambda _u: self.refresh_user())
        ctx.catalogue_changed.connect(lambda _c: self._on_catalogue_changed())
        ctx.error.connect(self.show_error)
        ctx.changed.connect(lambda change: self.refresh_user() if change.users else None)
        assert a.user_combo is not None
        a.user_combo.activated.connect(self._on_user_chosen)

    # -- status -----------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A sentence in the status bar for a few seconds."""
        self.statusBar().showMessage(text, 8000)

    def show_count(self, n: int) -> None:
        text = tr("1 event matches") if n == 1 else tr("{n} events match").format(
            n=f"{n:,}".replace(",", "\u202f"))  # fmt: skip
        self.count_label.setText(text)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText(tr("Saving…") if busy else "")

    def _on_index_progress(self, done: int, total: int) -> None:
        text = tr("Indexing {done} / {total}…").format(done=f"{done:,}", total=f"{total:,}")
        self.show_progress(text, done, total)

    def _on_index_state(self, state: str) -> None:
        from belarchive.gui.indexing import FAILED, READY

        if state == READY:
            self.show_progress("", 1, 1)
        elif state == FAILED and self.ctx is not None:
            self.show_progress("", 1, 1)
            self.statusBar().showMessage(tr("Search is unavailable: {error}").format(
                error=self.ctx.index.error), 10_000)  # fmt: skip

    def show_progress(self, text: str, done: int, total: int) -> None:
        self.progress.setVisible(total > 0 and done < total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.statusBar().showMessage(text if done < total else "", 0 if done < total else 3000)

    def refresh_user(self) -> None:
        ctx = self.ctx
        if ctx is None:
            return
        from belarchive.gui.opening import users_of

        who = f"{ctx.user} ({role_label(ctx.role.value)})"
        if not ctx.catalogue.is_signed_in(ctx.user):
            who = tr("{who}, signed out: choose a user to sign in").format(who=who)
        self.user_label.setText(who)
        from belarchive.gui.dialogs.sign_in import demo_note

        note = demo_note(ctx.catalogue)
        self.user_label.setToolTip(note)
        demo = ctx.catalogue.meta.get("demo_passphrase", "")
        self.demo_label.setText(
            tr("Demo catalogue: every user's passphrase is “{passphrase}”").format(
                passphrase=demo) if note else ""
        )  # fmt: skip
        self.demo_label.setToolTip(note)
        self.demo_label.setVisible(bool(note))
        name = ctx.catalogue.path.stem
        self.setWindowTitle(f"belarchive — {name} — {who}")
        combo = self.actions_.user_combo
        assert combo is not None
        combo.blockSignals(True)
        combo.clear()
        for user, role in users_of(ctx.catalogue):
            combo.addItem(f"{user} ({role_label(role)})", (user, role))
            if user == ctx.user:
                combo.setCurrentIndex(combo.count() - 1)
        combo.blockSignals(False)

    def _on_user_chosen(self, index: int) -> None:
        """Switching user needs that user's passphrase; the previous user is signed out."""
        from belarchive.gui.dialogs.sign_in import SignInDialog
        from belarchive.gui.opening import users_of

        combo = self.actions_.user_combo
        if self.ctx is None or combo is None:
            return
        name, role = combo.itemData(index)
        cat, previous = self.ctx.catalogue, self.ctx.user
        if name == previous and cat.is_signed_in(name):
            return
        dialog = SignInDialog(cat, users_of(cat), name, self)
        if not dialog.exec() or dialog.signed_in is None:
            self.refresh_user()  # back to the user who is still signed in
            return
        name = dialog.signed_in
        role = dict(users_of(cat))[name]
        cat.forget_signer(previous)
        self.ctx.set_user(name, role)
        self.settings.remember_user(cat.catalogue_id, name)

    def set_period(self, first: date | None, last: date | None) -> None:
        if self.browser is None:
            return
        self.browser.set_period(first, last)
        if first and last:
            self.period_button.setText(f"{first.isoformat()} – {last.isoformat()}  ✕")
            self.period_button.show()
        else:
            self.period_button.hide()

    # -- editing ----------------------------------------------------------------------------
    def _confirm_discard(self) -> bool:
        """True when the editor has no unsaved edits or the user agrees to drop them."""
        editor = self.editor
        if editor is None or not editor.dirty:
            return True
        answer = QMessageBox.question(
            self, tr("Unsaved changes"), tr("Discard your unsaved changes to this event?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)  # fmt: skip
        return answer == QMessageBox.StandardButton.Discard

    # The row selected in the list is the one thing that decides which event the editor
    # shows. Every path that changes either keeps them in step: a click or a key in the
    # list, a new event, a save, discard or cancel, any new listing (filter, sort, search,
    # refresh after a change here or elsewhere), a delete, an undo or a redo. Unsaved
    # edits stay with their own event: the editor never loads another over them unasked.
    def _on_selected(self, uuid: str | None) -> None:
        # None comes while the table reloads: _keep_editor_in_step settles it afterwards.
        if uuid is None or self.editor is None or uuid == self.editor.uuid:
            return
        if self._confirm_discard():
            self.editor.load(uuid)
        else:
            self._select_editor_event()  # the highlight goes back to the event being edited

    def _select_editor_event(self) -> None:
        browser, editor = self.browser, self.editor
        if browser is None or editor is None:
            return
        if editor.is_new or editor.uuid is None or not browser.select_event(editor.uuid):
            browser.clear_selection()

    def _keep_editor_in_step(self) -> None:
        """After a new listing: the selected row and the editor show the same event."""
        browser, editor = self.browser, self.editor
        if browser is None or editor is None:
            return
        if editor.is_new:
            browser.clear_selection()
            return
        shown = editor.uuid
        if shown is None:
            current = browser.current_uuid()
            if current is not None:
                editor.load(current)
            return
        if browser.current_uuid() == shown or browser.select_event(shown):
            editor.set_outside_list(False)
            return
        browser.clear_selection()
        if editor.dirty:
            editor.set_outside_list(True)
        else:
            editor.load(None)

    def new_event(self) -> None:
        if self.editor is not None and self._confirm_discard():
            self.editor.new_event()
            if self.browser is not None:
                self.browser.clear_selection()

    def _on_saved(self, uuid: str) -> None:
        """A save, a status change, an undo or a redo committed for ``uuid``."""
        browser, editor = self.browser, self.editor
        if browser is None or editor is None:
            return
        browser.refresh()
        if editor.dirty and editor.uuid != uuid:
            return  # an undo of another event while this one has unsaved edits: stay here
        if editor.uuid != uuid:
            editor.load(uuid)
        if not browser.select_event(uuid):
            browser.clear_selection()
            editor.load(None)
            self.statusBar().showMessage(self._not_listed(uuid), 10_000)

    def _on_restored(self, uuid: str) -> None:
        """A withdrawn event is back: shown where it now lists (the Withdrawn view lists it
        no longer), or named in the status bar."""
        browser = self.browser
        if browser is None or self.editor is None:
            return
        browser.refresh()
        title = self.editor.detail.title if self.editor.detail else ""
        self.statusBar().showMessage(tr("“{title}” is restored.").format(title=title), 10_000)
        if not browser.select_event(uuid):
            browser.clear_selection()
            self.editor.load(None)

    def _not_listed(self, uuid: str) -> str:
        """Why the event just saved (or undone) is not selected in the list."""
        assert self.ctx is not None
        from belarchive.storage import detail

        with self.ctx.catalogue.session() as session:
            saved = detail.load_event_detail(session, uuid)
        if saved.deleted:
            return tr("“{title}” is withdrawn.").format(title=saved.title)
        return tr("“{title}” is saved; it is not in the list under the current filters.").format(
            title=saved.title
        )

    def delete_event(self) -> None:
        editor = self.editor
        if editor is None or editor.detail is None:
            return
        reason, ok = QInputDialog.getText(
            self, tr("Delete event"), tr("Why is “{title}” deleted? (It stays in the audit "
                                         "log and can be restored.)").format(
                                             title=editor.detail.title))  # fmt: skip
        if ok and reason.strip():
            editor.delete(reason.strip())

    # -- catalogue ------------------------------------------------------------------------------
    def _on_catalogue_changed(self) -> None:
        self.undo_stack.clear()
        if self.editor is not None:
            self.editor.load_vocabulary()
            self.editor.load(None)
        self.refresh_user()

    def show_error(self, exc: BaseException) -> None:
        from belarchive.gui.errors import show_error

        show_error(self, exc)

    def open_review_queue(self) -> None:
        """One queue window per main window, raised if already open."""
        from belarchive.gui.review.queue import ReviewQueue

        queue = getattr(self, "review_queue", None)
        if queue is None or not isValid(queue):
            assert self.ctx is not None
            queue = self.review_queue = ReviewQueue(self.ctx, self)
            queue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            queue.refresh()
        queue.show()
        queue.raise_()
        queue.activateWindow()

    def show_syntax(self) -> None:
        from belarchive.gui.views.search_box import syntax_help

        QMessageBox.information(self, tr("Search syntax"), syntax_help())

    def show_shortcuts(self) -> None:
        from belarchive.gui.dialogs.shortcuts import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        from belarchive.gui.dialogs.about import show_about

        show_about(self)

    # -- state ------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        state = self.settings.blob("state")
        if state is not None:
            self.restoreState(state)
        columns = self.settings.blob("columns")
        if columns is not None and self.browser is not None:
            from belarchive.gui.views.columns import apply_layout

            with contextlib.suppress(ValueError):
                apply_layout(self.browser.table.horizontalHeader(),
                             json.loads(bytes(columns.data()).decode("utf-8")))  # fmt: skip
        inner = self.browser.splitter if self.browser else None
        for key, splitter in (("splitter", self.splitter), ("browserSplitter", inner)):
            blob = self.settings.blob(key)
            if blob is not None and splitter is not None:
                splitter.restoreState(blob)

    def save_state(self) -> None:
        self.settings.set_blob("geometry", self.saveGeometry())
        self.settings.set_blob("state", self.saveState())
        if self.browser is not None:
            self.settings.set_blob("splitter", self.splitter.saveState())
            self.settings.set_blob("browserSplitter", self.browser.splitter.saveState())
            from belarchive.gui.views.columns import layout_state

            state = layout_state(self.browser.table.horizontalHeader())
            self.settings.set_blob("columns", QByteArray(json.dumps(state).encode("utf-8")))
        self.settings.qs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx is None:  # already shut down (or no catalogue was ever opened)
            event.accept()
            return
        if not self._confirm_discard():
            event.ignore()
            return
        self.save_state()
        self.shutdown()
        event.accept()

    def _quiesce(self) -> None:
        # No more timed refreshes (debounced search, coalesced timeline reloads) after this...
        for timer in self.findChildren(QTimer):
            timer.stop()
        # ...and background reads finish before the catalogue they read closes (a late answer
        # for a deleted widget is dropped by its owner check: background.run_read, latest.py).
        QThreadPool.globalInstance().waitForDone(10_000)
        for pool in self.findChildren(QThreadPool):  # the map's own reading thread
            pool.waitForDone(10_000)
        QCoreApplication.processEvents()

    def hand_over(self) -> tuple[AppContext, Any] | None:
        """Let go of the open catalogue without closing it, for a new window to take over
        (the caller has asked about unsaved edits). Returns the context and the lock."""
        ctx = self.ctx
        if ctx is None:
            return None
        self.save_state()
        ctx.writer.wait_idle()
        self._quiesce()  # queued changes reach these views before they are disconnected
        ctx.detach_views()
        lock, self.ctx, self.lock = self.lock, None, None
        return ctx, lock

    def shutdown(self) -> None:
        """Finish queued writes, close the index and the catalogue, release the lock."""
        self._quiesce()
        ctx, self.ctx = self.ctx, None
        if ctx is not None:
            ctx.shutdown()
            try:
                from belarchive.services import search_sync

                search_sync.detach(ctx.catalogue)
            except Exception:  # closing must go on even if the index is unwell
                log.exception("closing the search index failed")
            ctx.catalogue.close()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None
