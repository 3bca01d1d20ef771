"""The editor's Verification tab: status, history, and the workflow actions.

Every action asks ``rules.can_transition`` first: an action the rules forbid is disabled and
its reason is written beside it (the four-eyes rule, a missing citation, a missing reason).
Reviewer-only actions are hidden from archivists.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from belarchive.config import resource
from belarchive.domain import rules
from belarchive.domain.review_story import review_story
from belarchive.domain.values import Role, Status
from belarchive.gui.i18n import tr
from belarchive.gui.models.event_table import STATUS_COLOURS, status_label
from belarchive.storage.detail import EventDetail


@dataclass(frozen=True)
class Action:
    key: str
    label: str
    target: Status
    reviewer_only: bool
    icon: str = ""


def actions() -> tuple[Action, ...]:
    return (
        Action("request", tr("Request &review"), Status.IN_REVIEW, False),
        Action("verify", tr("Mark &verified"), Status.VERIFIED, True, "verify.svg"),
        Action("dispute", tr("D&ispute"), Status.DISPUTED, True, "dispute.svg"),
        Action("reject", tr("Re&ject"), Status.REJECTED, True),
        Action("send_back", tr("Send &back with a note"), Status.UNVERIFIED, True),
        Action("reopen", tr("Re&open"), Status.IN_REVIEW, False),
    )


DECIDED = {Status.VERIFIED, Status.DISPUTED, Status.REJECTED}


def story_text(d: EventDetail) -> str:
    """Who brought the event to its status, in words (domain/review_story.py)."""
    story = review_story(d.status, d.status_history)
    if story.kind == "none" or story.when is None:
        return tr("No review recorded.")
    when = story.when.strftime("%Y-%m-%d")
    if story.kind == "reopened" and story.reopened_at is not None:
        return tr("Verified by {who} on {when}; sent back to review by {by} on {then} after "
                  "an edit.").format(who=story.who, when=when, by=story.reopened_by,
                                     then=story.reopened_at.strftime("%Y-%m-%d"))  # fmt: skip
    if story.kind == "decided":
        return tr("Decided by {who} on {when}.").format(who=story.who, when=when)
    return tr("Sent to review by {who} on {when}.").format(who=story.who, when=when)


class VerificationTab(QWidget):
    action_requested = Signal(str, str)  # target status, note

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail: EventDetail | None = None
        self._user, self._role = "", Role.ARCHIVIST
        self._blocked = ""
        self._hidden: set[str] = set()
        self.status = QLabel(self)
        self.status.setObjectName("statusBadge")
        self.story = QLabel(self)
        self.story.setObjectName("reviewStory")
        self.story.setWordWrap(True)
        self.note = QLineEdit(self)
        self.note.setObjectName("verificationNote")
        self.note.setPlaceholderText(
            tr("Note or reason (required to dispute, reject or send back)")
        )
        self.note.textChanged.connect(lambda _t: self.update_actions())
        self.buttons: dict[str, QPushButton] = {}
        self.reasons: dict[str, QLabel] = {}
        box = QGroupBox(tr("Actions"), self)
        grid = QGridLayout(box)
        grid.addWidget(QLabel(tr("&Note:"), box), 0, 0)
        grid.itemAtPosition(0, 0).widget().setBuddy(self.note)  # type: ignore[union-attr]
        grid.addWidget(self.note, 0, 1)
        for row, action in enumerate(actions(), start=1):
            button = QPushButton(action.label, box)
            button.setObjectName(f"action_{action.key}")
            if action.icon:
                button.setIcon(QIcon(str(resource("icons", action.icon))))
            button.clicked.connect(lambda _=False, a=action: self._request(a))
            reason = QLabel(box)
            reason.setObjectName(f"reason_{action.key}")
            reason.setWordWrap(True)
            reason.setStyleSheet("color: #5f6368;")
            grid.addWidget(button, row, 0)
            grid.addWidget(reason, row, 1)
            self.buttons[action.key], self.reasons[action.key] = button, reason
        grid.setColumnStretch(1, 1)
        self.history = QTreeWidget(self)
        self.history.setObjectName("statusHistory")
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels([tr("When"), tr("Change"), tr("By"), tr("Note")])
        self.history.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addStretch(1)
        layout.addLayout(status_row)
        layout.addWidget(self.story)
        layout.addWidget(box)
        self.history_label = QLabel(tr("History"), self)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)

    def compact(self) -> None:
        """The decisions on an event in review only, without the status history (the review
        queue shows its own): requesting review and reopening do not apply there."""
        self._hidden = {"request", "reopen"}
        for widget in (self.history_label, self.history, self.story):
            widget.hide()
        self.update_actions()

    def set_user(self, user: str, role: Role) -> None:
        self._user, self._role = user, role
        self.update_actions()

    def set_blocked(self, reason: str) -> None:
        """Unsaved edits (or a new event) block decisions: the decision must be on what is saved."""
        self._blocked = reason
        self.update_actions()

    def load(self, d: EventDetail | None) -> None:
        self._detail = d
        self.note.clear()
        self.history.clear()
        self.story.setText(story_text(d) if d is not None else "")
        if d is None:
            self.status.setText("")
        else:
            fg, bg = STATUS_COLOURS.get(d.status, ("#000", "#eee"))
            self.status.setText(tr("Status: {status}").format(status=status_label(d.status)))
            self.status.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; padding: 4px "
                                      "10px; border-radius: 8px; font-weight: bold; }")  # fmt: skip
            self.status.setAlignment(Qt.AlignmentFlag.AlignLeft)
            for h in reversed(d.status_history):
                change = f"{status_label(h.from_status)} → {status_label(h.to_status)}"
                when = h.at.strftime("%Y-%m-%d %H:%M")
                QTreeWidgetItem(self.history, [when, change, h.reviewer, h.note])
            for column in range(3):
                self.history.resizeColumnToContents(column)
        self.update_actions()

    def decision(self, action: Action) -> rules.Decision:
        d = self._detail
        if d is None:
            return rules.Decision(False, tr("Save the event first."))
        if self._blocked:
            return rules.Decision(False, self._blocked)
        current = Status(d.status)
        if action.key == "request" and current in DECIDED:
            return rules.Decision(False, tr("The event has a decision: use Reopen."))
        if action.key == "send_back" and current != Status.IN_REVIEW:
            return rules.Decision(False, tr("Only an event in review can be sent back."))
        if action.key == "reopen" and current not in DECIDED:
            return rules.Decision(False, tr("Only a decided event can be reopened."))
        decision = rules.can_transition(current=current, target=action.target, role=self._role,
                                        user=self._user, substance_by=d.substance_by,
                                        citation_count=len(d.citations),
                                        note=self.note.text())  # fmt: skip
        if decision.reason:
            return rules.Decision(decision.allowed, tr(decision.reason))
        return decision

    def update_actions(self) -> None:
        reviewer = self._role in (Role.REVIEWER, Role.ADMIN)
        for action in actions():
            button, reason = self.buttons[action.key], self.reasons[action.key]
            visible = (reviewer or not action.reviewer_only) and action.key not in self._hidden
            button.setVisible(visible)
            reason.setVisible(visible)
            decision = self.decision(action)
            button.setEnabled(decision.allowed)
            reason.setText(decision.reason)
            button.setToolTip(decision.reason)

    def _request(self, action: Action) -> None:
        if self.decision(action).allowed:
            self.action_requested.emit(action.target.value, self.note.text().strip())
