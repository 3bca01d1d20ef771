"""The search box: debounced typing, syntax help, "did you mean", inline query errors,
and the search's options (word families, names across scripts).

Queries run on the thread pool (the index may still be catching up); a generation number
drops answers to queries the user has already typed past. Each query is answered twice
when it must be: a quick first answer (its best matches, or for a costly phrase or prefix
the part of the catalogue searched within ~100 ms) lists at once, marked "still
searching"; the complete answer, every match exactly counted, replaces it when ready.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from belarchive.errors import BelarchiveError, SearchTooCostly
from belarchive.gui.i18n import tr
from belarchive.gui.latest import LatestOnly
from belarchive.search.results import expansion_text

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250
QUICK_LIMIT = 2000  # the first answer's best matches; the complete answer lists them all
# While a bulk edit's process indexes its batch, the complete answer is asked again this
# often, and listed once the batch is searchable.
RECHECK_MS = 2000


def syntax_help() -> str:
    return tr(
        "<b>Search</b><br>"
        'words — all must match; <tt>"a phrase"</tt> — words in this order<br>'
        "<tt>a OR b</tt>, <tt>NOT x</tt> or <tt>-x</tt>, ( ) groups<br>"
        "<tt>συλλ*</tt> — prefix<br>"
        "<tt>tag:detention place:Минск status:verified actor:name lang:el</tt><br>"
        "<tt>date:2020-11..2020-12</tt>, <tt>date:2020-11-15</tt>, <tt>date:..2020-10</tt><br>"
        "Names match across scripts (Minsk = Μινσκ = Мінск), in quotes too.<br>"
        "A word also finds its other forms and its word family (συλληψη: συνελήφθη, "
        "προσήχθησαν) and the events tagged with it; turn this off under Options."
    )


class SearchBox(QWidget):
    """Emits ``results(uuids or None, total)``: None means "no query, show everything";
    ``answered(SearchResults)`` before it, with the snippets and whether it is complete."""

    results = Signal(object, int)
    answered = Signal(object)
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
        self.options = self._options_button()
        line = QHBoxLayout()
        line.setSpacing(2)
        line.addWidget(self.edit, 1)
        line.addWidget(self.options)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        for w in (self.suggestion, self.message):
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
        self._quick_for = -1  # the query whose quick (partial) answer is listed
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._ask_again)
        self._recheck_of = -1  # the query asked again until the index has caught up

    def _options_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("searchOptions")
        button.setText(tr("Options"))
        button.setAccessibleName(tr("Search options"))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.families_action = QAction(tr("&Word families (other forms, related words, tags)"),
                                       menu)  # fmt: skip
        self.scripts_action = QAction(tr("&Names across scripts (Minsk = Минск = Μινσκ)"), menu)
        for action in (self.families_action, self.scripts_action):
            action.setCheckable(True)
            action.setChecked(True)
            action.toggled.connect(lambda _on: self.run_now())
            menu.addAction(action)
        button.setMenu(menu)
        return button

    @property
    def word_families(self) -> bool:
        return self.families_action.isChecked()

    @property
    def cross_script(self) -> bool:
        return self.scripts_action.isChecked()

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
            self._show_note("")
            self._show_suggestion(None)
            self.results.emit(None, 0)
            self.searching.emit(False)  # a search still running is now of no interest
            return
        self.searching.emit(True)
        self._ask(generation, text, complete=False)

    def _ask_again(self) -> None:
        if self._recheck_of == self._generation and self.query:
            self._ask(self._generation, self.query, complete=True)

    def _ask(self, generation: int, text: str, *, complete: bool) -> None:
        fn = self._search_fn
        assert fn is not None
        options = {"complete": complete, "word_families": self.word_families,
                   "cross_script": self.cross_script,
                   "limit": None if complete else QUICK_LIMIT}  # fmt: skip
        self._reads.request(lambda: fn(text, **options),
                            lambda res: self._done(generation, text, res),
                            lambda exc: self._failed(generation, exc))  # fmt: skip

    @staticmethod
    def is_complete(res: Any) -> bool:
        return bool(res.total_exact) and len(res.uuids) == int(res.total)

    def _done(self, generation: int, text: str, res: Any) -> None:
        if generation != self._generation:
            return  # the user typed on; a newer query is running
        complete = self.is_complete(res)
        behind = complete and bool(getattr(res, "behind", 0))
        if behind and self._recheck_of == generation:
            self._recheck.start()  # still not searchable: what is listed stays
            return
        self._recheck_of = generation if behind else -1
        if behind:
            self._recheck.start()
        self._show_problem("")
        # Complete: its notes (a broken word family table, a tag that does not exist) and
        # what the words were widened to; a quick answer's notes say what the complete one
        # will do, which it says better.
        if complete:
            widened = [expansion_text(e) for e in getattr(res, "expansions", ())]
            self._show_note(" ".join([*res.notes, *widened]))
        else:
            self._show_note(self._still_searching(res))
        self._show_suggestion(res.suggestion)
        self.answered.emit(res)
        self.results.emit(list(res.uuids), int(res.total))
        self._quick_for = -1 if complete else generation
        if complete:
            self.searching.emit(False)
        else:
            self._ask(generation, text, complete=True)

    @staticmethod
    def _still_searching(res: Any) -> str:
        if res.total_exact:
            return tr("Still searching: the best {shown} of {total} matches are listed; the "
                      "rest follow.").format(shown=len(res.uuids), total=res.total)  # fmt: skip
        return tr("Still searching: about {total} matches so far.").format(total=res.total)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self.searching.emit(False)
        if isinstance(exc, SearchTooCostly) and self._quick_for == generation:
            # The quick answer stays listed; the complete one was refused, and says why.
            self._show_note(exc.message + " " + tr("The list shows the part searched."))
            return
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
