"""Asking what a bulk edit should do: which tag or place (typed with completion, in any of
its names), or the note sent with a review request; and saying what it will touch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from belarchive.gui.i18n import tr

TAG, UNTAG, PLACE, REVIEW = "tag", "untag", "place", "review"


def titles() -> dict[str, str]:
    return {TAG: tr("Tag the selected events"), UNTAG: tr("Remove a tag from the selected events"),
            PLACE: tr("Add a place to the selected events"),
            REVIEW: tr("Request review for the selected events")}  # fmt: skip


class BulkDialog(QDialog):
    """``choices``: (value, label) pairs for a tag or a place; none for a review request."""

    def __init__(self, kind: str, count: int, choices: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("bulkDialog")
        self.kind = kind
        self.setWindowTitle(titles()[kind])
        self.choice = QComboBox(self)
        self.choice.setObjectName("bulkChoice")
        self.choice.setEditable(True)
        self.choice.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for value, label in choices:
            self.choice.addItem(label, value)
        self.choice.setCurrentIndex(-1)
        completer = self.choice.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.note = QLineEdit(self)
        self.note.setObjectName("bulkNote")
        self.note.setPlaceholderText(tr("Optional: what the reviewer should look at"))
        what = QLabel(self._what(count), self)
        what.setWordWrap(True)
        form = QFormLayout()
        if kind == REVIEW:
            form.addRow(tr("&Note:"), self.note)
            self.choice.hide()  # not in the layout: it would sit over the text, top left
        else:
            form.addRow(tr("&Place:") if kind == PLACE else tr("&Tag:"), self.choice)
            self.note.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        # Wide enough that the explanation wraps to a few lines rather than a narrow column.
        self.setMinimumWidth(max(460, what.fontMetrics().averageCharWidth() * 60))
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _what(self, count: int) -> str:
        n = f"{count:,}".replace(",", "\u202f")
        text = tr("This applies to the {n} selected events, in one step that Undo reverses, "
                  "and is recorded in each event's history.").format(n=n)  # fmt: skip
        if self.kind in (TAG, UNTAG, PLACE):
            text += " " + tr("It changes what they assert: a verified event among them goes "
                             "back to review.")  # fmt: skip
        if self.kind == REVIEW:
            text += " " + tr("Only unverified events are sent; the others stay as they are.")
        return text

    def value(self) -> str:
        """The chosen tag or place key (what was typed, if it matched no item), or the note."""
        if self.kind == REVIEW:
            return self.note.text().strip()
        typed = self.choice.currentText().strip()
        index = self.choice.findText(typed, Qt.MatchFlag.MatchFixedString)
        return str(self.choice.itemData(index)) if index >= 0 else typed

    def _accept(self) -> None:
        if self.kind != REVIEW and not self.value():
            self.error.setText(tr("Choose a place.") if self.kind == PLACE else
                               tr("Choose a tag."))  # fmt: skip
            return
        self.accept()
