"""Chips: a wrapping row of removable values with a completing entry (tags, places, actors)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPoint,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCompleter,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from belarchive.gui.i18n import tr


class FlowLayout(QLayout):
    """Lays children left to right and wraps (Qt ships no such layout)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        gap = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            line = max(line, hint.height())
        return y + line - rect.y()


CHIP_STYLE = ("QToolButton { border: 1px solid #b8c4d6; border-radius: 9px; padding: 1px 6px;"
              " background: #e8eef7; } QToolButton:focus { border-color: #2a6fdb; }")  # fmt: skip


class ChipsEdit(QWidget):
    """``resolve(text)`` turns what was typed into a value (None: unknown, refused);
    ``display(value)`` is the chip's text."""

    changed = Signal()
    unknown = Signal(str)  # Enter on a text that matches nothing known

    def __init__(self, resolve: Callable[[str], str | None], display: Callable[[str], str],
                 placeholder: str = "", parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._resolve = resolve
        self._display = display
        self._values: list[str] = []
        self._chips: list[QToolButton] = []
        self._layout = FlowLayout(self)
        self.entry = QLineEdit(self)
        self.entry.setPlaceholderText(placeholder)
        self.entry.setMinimumWidth(160)
        self.entry.returnPressed.connect(self._commit_entry)
        self.entry.installEventFilter(self)
        self._completions = QStringListModel(self)
        completer = QCompleter(self._completions, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._commit_text)
        self.entry.setCompleter(completer)
        self._layout.addWidget(self.entry)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setFocusProxy(self.entry)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Backspace in the empty field removes the last chip, as in a mail client."""
        if (watched is self.entry and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Backspace
                and not self.entry.text() and self._values):  # fmt: skip
            self.remove_value(self._values[-1])
            return True
        return super().eventFilter(watched, event)

    def set_completions(self, words: list[str]) -> None:
        self._completions.setStringList(sorted(set(words), key=str.casefold))

    def values(self) -> list[str]:
        return list(self._values)

    def set_values(self, values: list[str]) -> None:
        for chip in self._chips:
            self._layout.removeWidget(chip)
            chip.deleteLater()
        self._chips, self._values = [], []
        for value in values:
            self._add_chip(value)

    def add_value(self, value: str) -> bool:
        if value in self._values:
            return False
        self._add_chip(value)
        self.changed.emit()
        return True

    def _add_chip(self, value: str) -> None:
        chip = QToolButton(self)
        chip.setText(f"{self._display(value)}  ✕")
        chip.setToolTip(tr("Remove (click, or Backspace in the empty field)"))
        chip.setStyleSheet(CHIP_STYLE)
        # Not in the Tab order: a chip made after the window would be reached after the
        # timeline, far from where it is shown. The keyboard removes chips from the field.
        chip.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        chip.clicked.connect(lambda _=False, v=value: self.remove_value(v))
        # Chips go before the entry, which stays last in the flow.
        self._layout.takeAt(self._layout.count() - 1)
        self._layout.addWidget(chip)
        self._layout.addWidget(self.entry)
        self._chips.append(chip)
        self._values.append(value)
        self.updateGeometry()

    def accept_new(self, value: str) -> None:
        """A value just added to the vocabulary for the text typed: the chip, a clear entry."""
        self.entry.setStyleSheet("")
        self.entry.setToolTip("")
        self.entry.clear()
        self.add_value(value)

    def remove_value(self, value: str) -> None:
        if value not in self._values:
            return
        i = self._values.index(value)
        chip = self._chips.pop(i)
        self._values.pop(i)
        self._layout.removeWidget(chip)
        chip.deleteLater()
        self.updateGeometry()
        self.changed.emit()

    def _commit_entry(self) -> None:
        self._commit_text(self.entry.text())

    def _commit_text(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        value = self._resolve(text)
        if value is None:
            self.entry.setStyleSheet("QLineEdit { border: 1px solid #b00020; }")
            self.entry.setToolTip(tr("Unknown: choose one of the suggestions."))
            self.unknown.emit(text)  # the editor may offer to add it to the vocabulary
            return
        self.entry.setStyleSheet("")
        self.entry.setToolTip("")
        self.add_value(value)
        # The completer writes the chosen text back after this slot; clear once it has.
        self.entry.clear()
        QTimer.singleShot(0, self.entry.clear)
