"""The search box: debounced typing, syntax help, "did you mean", inline query errors.

Queries run on the thread pool (the index may still be catching up); a generation number
drops answers to queries the user has already typed past.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from belarchive.errors import BelarchiveError
from belarchive.gui.i18n import tr
from belarchive.gui.latest import LatestOnly

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
SEARCH_LIMIT = 2000  # the best matches; more would cost the search package snippet time


def syntax_help() -> str:
    return tr(
        "<b>Search</b><br>"
        'words — all must match; <tt>"a phrase"</tt> — words in this order<br>'
        "<tt>a OR b</tt>, <tt>NOT x</tt> or <tt>-x</tt>, ( ) groups<br>"
        "<tt>συλλ*</tt> — prefix<br>"
        "<tt>tag:detention place:Минск status:verified actor:name lang:el</tt><br>"
        "<tt>date:2020-11..2020-12</tt>, <tt>date:2020-11-15</tt>, <tt>date:..2020-10</tt><br>"
        "Names match across scripts (Minsk = Μινσκ = Мінск)."
    )


class SearchBox(QWidget):
    """Emits ``results(uuids or None, total)``: None means "no query, show everything"."""

    results = Signal(object, int)
    searching = Signal(bool)

    def __init__(self, search_fn: Callable[[str], Any] | None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._search_fn = search_fn
        self._generation = 0
        self._reads = LatestOnly(self)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("searchEdit")
        self.edit.setAccessibleName(tr("Search events"))
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText(tr("Search events (Ctrl+F)…"))
        self.edit.setToolTip(syntax_help())
        self.suggestion = QLabel(self)
        self.suggestion.setObjectName("didYouMean")
        self.suggestion.setTextFormat(Qt.TextFormat.RichText)
        self.suggestion.linkActivated.connect(self.set_query)
        self.message = QLabel(self)
        self.message.setObjectName("searchError")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for w in (self.edit, self.suggestion, self.message):
            layout.addWidget(w)
        self.suggestion.hide()
        self.message.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_now)
        self.edit.textChanged.connect(lambda _t: self._timer.start())
        self.edit.returnPressed.connect(self.run_now)
        if search_fn is None:
            self.edit.setEnabled(False)
            self.edit.setToolTip(tr("Search is not available in this installation."))
        self.filters: Any = None  # the facet filter the search is combined with
        self._waiting = ""  # why searches wait (the index is being built), or ""

    @property
    def query(self) -> str:
        return self.edit.text().strip()

    def set_query(self, text: str) -> None:
        self.edit.setText(text)
        self.run_now()

    def set_search_fn(self, fn: Callable[[str], Any] | None) -> None:
        self._search_fn = fn
        self.edit.setEnabled(fn is not None)

    def set_waiting(self, why: str) -> None:
        """Searches wait while ``why`` is set (the index is being built) and run once it is
        cleared; the listing stays as it is meanwhile."""
        was, self._waiting = self._waiting, why
        if why:
            if self.query:
                self._show_note(why)
        elif was:
            self._show_note("")
            if self.query:
                self.run_now()

    @property
    def waiting(self) -> bool:
        return bool(self._waiting)

    def run_now(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.query
        if text and self._waiting:
            self._show_suggestion(None)
            self._show_note(self._waiting)
            return
        if not text or self._search_fn is None:
            self._show_problem("")
            self._show_suggestion(None)
            self.results.emit(None, 0)
            return
        fn = self._search_fn
        self.searching.emit(True)
        self._reads.request(lambda: fn(text), lambda res: self._done(generation, res),
                            lambda exc: self._failed(generation, exc))  # fmt: skip

    def _done(self, generation: int, res: Any) -> None:
        if generation != self._generation:
            return  # the user typed on; a newer query is running
        self.searching.emit(False)
        self._show_problem("")
        # e.g. "a costly phrase was searched in part; the count is an estimate"
        self._show_note(" ".join(getattr(res, "notes", ())))
        self._show_suggestion(getattr(res, "suggestion", None))
        self.results.emit(list(res.uuids), int(res.total))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.searching.emit(False)
        self._show_suggestion(None)
        if isinstance(exc, BelarchiveError):
            self._show_problem(exc.message)
        else:
            log.error("search failed", exc_info=exc)
            self._show_problem(tr("The search failed: {error}").format(error=exc))
        self.results.emit([], 0)

    def _show_note(self, text: str) -> None:
        """A message that is not an error (grey, no red border)."""
        self.message.setStyleSheet("color: palette(placeholder-text);")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.edit.setStyleSheet("")

    def _show_problem(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020;")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.edit.setStyleSheet("QLineEdit { border: 1px solid #b00020; }" if text else "")

    def _show_suggestion(self, text: str | None) -> None:
        if not text:
            self.suggestion.hide()
            return
        link = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        self.suggestion.setText(tr("Did you mean: {link}?").format(
            link=f'<a href="{link}">{link}</a>'))  # fmt: skip
        self.suggestion.show()
