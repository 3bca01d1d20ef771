"""The annotation thread of one event: who said what when, and a box to add a note.

Annotations are working notes between archivists and reviewers; they are appended (never
edited) and each one is an audit entry, so the thread reads like a log.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, QTimeZone, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from belarchive.gui.context import AppContext
from belarchive.services import events
from belarchive.services.changes import Change
from belarchive.services.inputs import Outcome
from belarchive.storage.detail import AnnotationInfo, EventDetail, load_event_detail


def local_time(value: object) -> str:
    """A stored UTC timestamp in the user's local time and locale format."""
    if not isinstance(value, datetime):
        return str(value)
    stamp = value if value.tzinfo else value.replace(tzinfo=UTC)
    qdt = QDateTime.fromSecsSinceEpoch(int(stamp.timestamp()), QTimeZone.systemTimeZone())
    # ISO order in every language: an archive's timestamps must never be ambiguous.
    return qdt.toString("yyyy-MM-dd HH:mm")


def annotation_html(note: AnnotationInfo) -> str:
    quote = (f'<blockquote style="color:#555; margin:2px 0 2px 12px;"><i>'
             f"{html.escape(note.passage)}</i></blockquote>") if note.passage else ""  # fmt: skip
    body = html.escape(note.text).replace("\n", "<br>")
    return (f'<p style="margin:0 0 2px 0;"><b>{html.escape(note.author)}</b> '
            f'<span style="color:#777;">{html.escape(local_time(note.created_at))}</span></p>'
            f'{quote}<p style="margin:0 0 10px 0;">{body}</p>')  # fmt: skip


class AnnotationsPanel(QWidget):
    """Shows ``detail.annotations``; adding one runs ``events.annotate`` on the writer."""

    annotated = Signal(str)  # the new annotation's UUID

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: EventDetail | None = None
        self.notes_view = QTextBrowser(self)
        self.notes_view.setOpenLinks(False)
        self.passage = QLineEdit(self)
        self.passage.setPlaceholderText(self.tr("Passage this note is about (optional)"))
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(self.tr("Write a note for the other archivists…"))
        self.text.setMaximumHeight(90)
        self.text.textChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("Add note"), self)
        self.add_button.clicked.connect(self.submit)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self._build()
        self.set_event(None)
        ctx.changed.connect(self._reload)

    def _build(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignRight)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.notes_view, 1)
        box.addWidget(self.passage)
        box.addWidget(self.text)
        box.addLayout(row)

    def set_event(self, detail: EventDetail | None) -> None:
        self.detail = detail
        notes = detail.annotations if detail else ()
        if detail is None:
            self.notes_view.setHtml(_italic(self.tr("No event selected.")))
        elif not notes:
            self.notes_view.setHtml(_italic(self.tr("No notes yet.")))
        else:
            self.notes_view.setHtml("".join(annotation_html(n) for n in notes))
            self.notes_view.verticalScrollBar().setValue(
                self.notes_view.verticalScrollBar().maximum()
            )
        for w in (self.passage, self.text):
            w.setEnabled(detail is not None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(
            self.detail is not None and bool(self.text.toPlainText().strip())
        )

    def submit(self) -> None:
        if self.detail is None or not self.text.toPlainText().strip():
            return
        cat, user, uuid = self.ctx.catalogue, self.ctx.user, self.detail.uuid
        body, passage = self.text.toPlainText(), self.passage.text()
        self.add_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.ctx.write(lambda: events.annotate(cat, user, uuid, body, passage),
                       self._saved, self._failed, label="annotate")  # fmt: skip

    def _saved(self, outcome: Outcome) -> None:
        self.text.clear()
        self.passage.clear()
        self.status.setText(self.tr("Note added."))
        self.annotated.emit(outcome.uuid)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self._update_buttons()

    def _reload(self, change: Change) -> None:
        # Reloading here keeps the panel right on its own (a detached editor, tests, a note
        # added elsewhere); one event's detail is a cheap read.
        if self.detail is None or self.detail.uuid not in change.events:
            return
        with self.ctx.catalogue.session() as session:
            self.set_event(load_event_detail(session, self.detail.uuid))


def _italic(text: str) -> str:
    return f"<p><i>{html.escape(text)}</i></p>"
