"""The event editor: tabs (Details, Figures, Sources, Notes, Verification, History), save,
new, delete, and the stale-copy prompt. Every write goes through ``ctx.write``."""

from __future__ import annotations

import importlib
import json
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain import rules
from belarchive.errors import StaleVersionError
from belarchive.gui.editor.details_tab import DetailsTab
from belarchive.gui.editor.figures_tab import FiguresTab
from belarchive.gui.editor.history_tab import HistoryTab
from belarchive.gui.editor.patches import build_input, build_patch
from belarchive.gui.editor.undo import (
    CreateCommand,
    DeleteCommand,
    EditCommand,
    StatusCommand,
    inverse_patch,
)
from belarchive.gui.editor.verification_tab import VerificationTab
from belarchive.gui.errors import show_error
from belarchive.gui.i18n import current_language, tr
from belarchive.gui.models.event_table import status_label
from belarchive.services import events, verification
from belarchive.services.inputs import EventPatch, Outcome
from belarchive.storage import detail as detail_reads
from belarchive.storage.detail import EventDetail

if TYPE_CHECKING:
    from belarchive.gui.context import AppContext
    from belarchive.services.changes import Change

log = logging.getLogger(__name__)


def optional_panel(module: str, name: str, ctx: AppContext, missing: str) -> QWidget:
    """Another engineer's panel, or a placeholder if it is not importable (yet)."""
    try:
        return getattr(importlib.import_module(module), name)(ctx)  # type: ignore[no-any-return]
    except Exception:  # a broken optional panel must not stop the editor
        log.exception("panel %s.%s unavailable", module, name)
        label = QLabel(missing)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label


def scrolled(widget: QWidget) -> QScrollArea:
    """A wide or tall panel scrolls instead of forcing its minimum size on the editor."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's fields, not to it
    return area


def reopens(patch: EventPatch) -> bool:
    """Whether saving ``patch`` sends a verified event back to review: it changes one of
    rules.SUBSTANCE_FIELDS (the patch calls date_edtf "date"). A change of type tag also
    does; the editor does not know which tags are types, so that case is not announced."""
    fields = {"date" if name == "date_edtf" else name for name in rules.SUBSTANCE_FIELDS}
    return patch.clear_date or any(getattr(patch, name) is not None for name in fields)


class EventEditor(QWidget):
    saved = Signal(str)  # uuid, after a save or a status change committed
    loaded = Signal(object)  # EventDetail | None
    restored = Signal(str)  # uuid of a withdrawn event brought back

    def __init__(self, ctx: AppContext, undo: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.undo = ctx, undo
        self.detail: EventDetail | None = None
        self.is_new = False
        self._baseline: Any = None
        self._saving = False
        self.stale_box: QMessageBox | None = None
        self._outside_list = False
        self.heading = QLabel(self)
        self.heading.setObjectName("editorHeading")
        self.heading.setWordWrap(True)
        self.details, self.figures = DetailsTab(self), FiguresTab(self)
        self.verification, self.history = VerificationTab(self), HistoryTab(self)
        self.sources = optional_panel("belarchive.gui.widgets.sources_panel", "SourcesPanel",
                                      ctx, tr("The sources panel is not available."))  # fmt: skip
        self.notes = optional_panel("belarchive.gui.widgets.annotations_panel", "AnnotationsPanel",
                                    ctx, tr("Notes are not available."))  # fmt: skip
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("editorTabs")
        # Every page scrolls: an event with many places, tags or citations must not make
        # the editor (and so the window) taller than a 1366×768 laptop's screen.
        self._pages: dict[QWidget, QScrollArea] = {}
        for widget, title in ((self.details, tr("Deta&ils")), (self.figures, tr("Fig&ures")),
                              (self.sources, tr("&Sources")), (self.notes, tr("&Notes")),
                              (self.verification, tr("Ve&rification")),
                              (self.history, tr("Histor&y"))):  # fmt: skip
            self._pages[widget] = scrolled(widget)
            self.tabs.addTab(self._pages[widget], title)
        for arrow in self.tabs.tabBar().findChildren(QToolButton):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the tab bar's scroll arrows
        self.save_button = QPushButton(tr("Save"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setToolTip(tr("Save (Ctrl+S)"))
        self.revert_button = QPushButton(tr("Revert"), self)
        self.restore_button = QPushButton(tr("Restore event"), self)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setToolTip(tr("Bring this withdrawn event back into the catalogue "
                                          "(recorded in its history)"))  # fmt: skip
        self.restore_button.clicked.connect(self.restore)
        self.restore_button.hide()
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self._layout()
        self.details.edited.connect(self._on_edited)
        from belarchive.gui.editor.new_entries import offer_new

        self.details.places.unknown.connect(lambda text: offer_new(self, "place", text))
        self.details.tags.unknown.connect(lambda text: offer_new(self, "tag", text))
        self.figures.edited.connect(self._on_edited)
        self.verification.action_requested.connect(self.set_status)
        ctx.changed.connect(self._on_change)
        ctx.user_changed.connect(lambda _u: self.verification.set_user(ctx.user, ctx.role))
        self.verification.set_user(ctx.user, ctx.role)
        self.load_vocabulary()
        self._show(None)

    def show_tab(self, panel: QWidget) -> None:
        """Bring ``panel`` (self.details, self.history, …) to the front."""
        self.tabs.setCurrentWidget(self._pages[panel])

    def _layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    def load_vocabulary(self) -> None:
        from sqlmodel import select

        from belarchive.domain.models import Actor

        with self.ctx.catalogue.session() as session:
            places = detail_reads.list_places(session)
            tags = detail_reads.list_tags(session)
            rows = session.exec(select(Actor.name, Actor.variants_json))
            actors = [(name, list(json.loads(variants or "[]"))) for name, variants in rows]
        self.details.set_vocabulary(places, tags, actors)
        lang = current_language()
        self.history.set_tag_labels({key: labels.get(lang) or labels.get("en") or key
                                     for key, _parent, labels, _rep in tags})  # fmt: skip

    # -- loading ----------------------------------------------------------------------------
    @property
    def uuid(self) -> str | None:
        return self.detail.uuid if self.detail else None

    def load(self, uuid: str | None) -> None:
        """Show the saved state of ``uuid`` (discarding unsaved edits: callers ask first)."""
        if uuid is None:
            self._show(None)
            return
        with self.ctx.catalogue.session() as session:
            d = detail_reads.load_event_detail(session, uuid)
            audit = detail_reads.event_audit(session, uuid)
        self.history.load(audit)
        self._show(d)

    def new_event(self) -> None:
        self._show(None, new=True)
        self.show_tab(self.details)
        self.details.title.setFocus()

    def _show(self, d: EventDetail | None, *, new: bool = False) -> None:
        self.detail, self.is_new, self._outside_list = d, new, False
        self.details.load(d)
        self.figures.load(d)
        self.verification.load(d)
        if d is None:
            self.history.load([])
        for panel in (self.sources, self.notes):
            if hasattr(panel, "set_event"):
                panel.set_event(d)
        self._baseline = self._form_state()
        self.setEnabled(d is not None or new)
        # A withdrawn event is read, not edited (the service refuses edits): restore it first.
        withdrawn = d is not None and d.deleted
        self.tabs.setEnabled(not withdrawn)
        self.restore_button.setVisible(withdrawn)
        self._update_heading()
        self._on_edited()
        self.loaded.emit(d)

    def set_outside_list(self, outside: bool) -> None:
        """Say so when the event shown, with unsaved edits, is not in the list any more
        (a filter, a search or another person's change took it out)."""
        self._outside_list = outside
        self._update_heading()

    def _update_heading(self) -> None:
        d = self.detail
        if d is not None:
            when = d.updated_at.strftime("%Y-%m-%d %H:%M")
            text = tr("Version {v}, last saved by {user} on {when}").format(
                v=d.version, user=d.updated_by, when=when
            )
            if d.deleted:
                text = tr("Deleted. ") + text
        else:
            text = tr("New event (not saved yet)") if self.is_new else tr("No event selected")
        if self._outside_list and d is not None:
            text = tr("Not in the list under the current filters; your unsaved edits are kept "
                      "here. Save or revert them.") + " " + text  # fmt: skip
        self.heading.setText(text)

    # -- state ------------------------------------------------------------------------------
    def _form_state(self) -> Any:
        return (self.details.values(), self.figures.values())

    @property
    def dirty(self) -> bool:
        return (self.detail is not None or self.is_new) and self._form_state() != self._baseline

    def _on_edited(self) -> None:
        dirty = self.dirty
        problem = self.details.date_problem()
        self.save_button.setEnabled(dirty and not problem and not self._saving)
        self.revert_button.setEnabled(dirty)
        blocked = tr("Save or revert your edits first.") if dirty else ""
        self.verification.set_blocked(blocked)

    def revert(self) -> None:
        if self.is_new:
            self._show(None, new=True)
        else:
            self.load(self.uuid)

    # -- saving -----------------------------------------------------------------------------
    def save(self) -> None:
        if not self.dirty or self._saving or self.details.date_problem():
            return
        values, figures = self._form_state()
        cat, user = self.ctx.catalogue, self.ctx.user
        self._set_saving(True)
        if self.is_new:
            data = build_input(values, figures)
            self.ctx.write(lambda: events.create_event(cat, user, data), self._created,
                           self._save_failed, label="create event")  # fmt: skip
            return
        d = self.detail
        assert d is not None
        patch = build_patch(d, values, figures)
        if d.status == "verified" and reopens(patch) and not self._confirm_reopen(d.title):
            self._set_saving(False)
            return  # the edits stay in the editor
        inverse = inverse_patch(d, patch)
        self.ctx.write(lambda: events.update_event(cat, user, d.uuid, d.version, patch),
                       lambda out: self._updated(out, patch, inverse), self._save_failed,
                       label="save event")  # fmt: skip

    def _confirm_reopen(self, title: str) -> bool:
        """A substantive edit to a verified event sends it back to review: say so first."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Send back to review?"),
                          tr("“{title}” is verified. Saving this change sends it back to review: "
                             "a reviewer will have to verify it again.").format(title=title),
                          parent=self)  # fmt: skip
        box.setObjectName("reopenBox")
        save = box.addButton(tr("Save and send to review"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        return box.clickedButton() is save

    def _set_saving(self, on: bool) -> None:
        self._saving = on
        self._on_edited()

    def _created(self, out: Outcome) -> None:
        self._set_saving(False)
        title = self.details.values().title
        self.undo.push(CreateCommand(self.ctx, out.uuid, tr("create “{t}”").format(t=title),
                                     self._applied, self._undo_failed))  # fmt: skip
        self.load(out.uuid)
        self.saved.emit(out.uuid)

    def _updated(self, out: Outcome, patch: Any, inverse: Any) -> None:
        self._set_saving(False)
        title = self.details.values().title
        self.undo.push(EditCommand(self.ctx, out.uuid, patch, inverse,
                                   tr("edit “{t}”").format(t=title), self._applied,
                                   self._undo_failed))  # fmt: skip
        self.load(out.uuid)
        self.saved.emit(out.uuid)

    def _applied(self, uuid: str) -> None:
        """An undo/redo committed: show its result if this event is open and untouched."""
        if uuid == self.uuid and not self.dirty:
            self.load(uuid)
        self.saved.emit(uuid)

    def _save_failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, StaleVersionError):
            self._ask_reload(exc)
        else:
            show_error(self, exc, tr("The event was not saved"))

    def _ask_reload(self, exc: StaleVersionError) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Someone else saved this event"),
                          exc.message, parent=self)  # fmt: skip
        box.setObjectName("staleBox")
        box.setInformativeText(tr("Reload shows their version; your edits here are discarded. "
                                  "Keep editing to copy your changes first."))  # fmt: skip
        reload_button = box.addButton(tr("Reload"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(reload_button)
        uuid = self.uuid
        box.buttonClicked.connect(
            lambda b: self.load(uuid) if b is reload_button else None)  # fmt: skip
        self.stale_box = box
        box.open()

    # -- verification and deletion ------------------------------------------------------------
    def set_status(self, target: str, note: str) -> None:
        d = self.detail
        if d is None:
            return
        cat, user = self.ctx.catalogue, self.ctx.user
        before = d.status
        self.ctx.write(lambda: verification.set_status(cat, user, d.uuid, target, note,
                                                       expected_version=d.version),
                       lambda out: self._status_done(out.uuid, before, target, note),
                       self._status_failed, label="set status")  # fmt: skip

    def _status_done(self, uuid: str, before: str, after: str, note: str) -> None:
        text = tr("status “{status}”").format(status=status_label(after))
        self.undo.push(StatusCommand(self.ctx, uuid, before, after, note, text, self._applied,
                                     self._undo_failed))  # fmt: skip
        self.load(uuid)
        self.saved.emit(uuid)

    def _status_failed(self, exc: BaseException) -> None:
        if isinstance(exc, StaleVersionError):
            self._ask_reload(exc)
        else:
            show_error(self, exc, tr("The status was not changed"))

    def delete(self, reason: str) -> None:
        d = self.detail
        if d is None:
            return
        cat, user = self.ctx.catalogue, self.ctx.user
        self.ctx.write(lambda: events.delete_event(cat, user, d.uuid, d.version, reason),
                       lambda _out: self._deleted(d.uuid, d.title, reason), self._save_failed,
                       label="delete")  # fmt: skip

    def restore(self) -> None:
        """Bring the withdrawn event shown back into listings (audited as a restore)."""
        d = self.detail
        if d is None or not d.deleted:
            return
        cat, user, uuid = self.ctx.catalogue, self.ctx.user, d.uuid
        self.ctx.write(lambda: events.restore_event(cat, user, uuid),
                       lambda _out: self._restored(uuid), self._save_failed,
                       label="restore")  # fmt: skip

    def _restored(self, uuid: str) -> None:
        self.load(uuid)
        self.restored.emit(uuid)

    def _deleted(self, uuid: str, title: str, reason: str) -> None:
        self.undo.push(DeleteCommand(self.ctx, uuid, reason, tr("delete “{t}”").format(t=title),
                                     self._applied, self._undo_failed))  # fmt: skip
        self._show(None)

    def _undo_failed(self, exc: BaseException) -> None:
        """An undo or redo was refused (the event changed in a way it cannot follow, say
        withdrawn or merged elsewhere): the history no longer matches the catalogue, so it
        is cleared rather than left to refuse again."""
        self.undo.clear()
        show_error(self, exc, tr("Undo was refused; the undo history was cleared"))

    # -- outside changes ----------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        # A save that created an actor (a name typed for the first time) says so: completion
        # and the cross-script look-up must know it at once. Another desktop's saves do not
        # say it (the audit has no entry for the actor), so they reload too; this desktop's
        # bulk edits of 10,000 events no longer pay 80 ms on the window's thread for it.
        if change.vocabulary or (change.events and change.authors):
            self.load_vocabulary()
        uuid = self.uuid
        if uuid and uuid in change.events and not self._saving:
            if self.dirty and change.authors:  # another desktop of a team catalogue
                who = ", ".join(sorted(change.authors))
                self.heading.setText(tr("{who} saved this event meanwhile: Revert loads their "
                                        "version; saving will ask you to reload.").format(
                                            who=who))  # fmt: skip
            elif self.dirty:
                self.heading.setText(tr("This event was changed elsewhere; saving will ask you "
                                        "to reload."))  # fmt: skip
            elif uuid not in change.deleted:
                self.load(uuid)
