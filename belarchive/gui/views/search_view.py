"""What a search adds to the event list.

- The "Found in text" column, shown exactly while a search lists the events: each row's
  snippet with the matching words in bold on a marker colour. The best matches come with
  the answer; other rows get theirs from the pool as they scroll into view.
- Relevance as a sort: that column's header sorts by it, and shows the indicator while
  the list is in relevance order (the default for a new search).
- A note over the empty list that says nothing matches and what to try: the spelling
  the index suggests, searching without the other filters, the word families or names
  across scripts if they are off, the words without their quotes.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QLabel, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from belarchive.gui.i18n import tr
from belarchive.gui.latest import LatestOnly
from belarchive.gui.models.event_table import COLUMNS, SnippetRole

if TYPE_CHECKING:
    from belarchive.gui.views.browser import EventBrowser

log = logging.getLogger(__name__)
MATCH = COLUMNS.index("match")
MARKER = "#fff0a8"  # the highlighter's yellow, readable under black text
MATCH_SHARE = 0.45  # of the width the title and the snippet share


class SnippetDelegate(QStyledItemDelegate):
    """Draws a snippet on one line, matching words bold on the marker colour."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        snippet = index.data(SnippetRole)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        if snippet is None or not snippet.text:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pen = (
            option.palette.highlightedText().color() if selected else option.palette.text().color()
        )
        rect = option.rect.adjusted(4, 0, -4, 0)
        bold = QFont(option.font)
        bold.setBold(True)
        x = rect.left()
        shown, marks = _lead_trimmed(snippet.text.replace("\n", " "), snippet.highlights,
                                     QFontMetrics(option.font), rect.width() // 4)  # fmt: skip
        for text, marked in _pieces(shown, marks):
            font = bold if marked else option.font
            width = QFontMetrics(font).horizontalAdvance(text)
            piece = QRect(x, rect.top(), min(width, rect.right() - x), rect.height())
            if marked and not selected:
                painter.fillRect(piece.adjusted(0, 3, 0, -3), QColor(MARKER))
            painter.setFont(font)
            painter.setPen(QColor("#000000") if marked and not selected else pen)
            painter.drawText(piece, int(Qt.AlignmentFlag.AlignVCenter), text)
            x += width
            if x >= rect.right():
                break
        painter.restore()


def _lead_trimmed(
    text: str, marks: tuple[tuple[int, int], ...], metrics: QFontMetrics, room: int
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """``text`` starting a few words before its first match, so that the match is seen in
    a narrow column (at most ``room`` pixels of text before it)."""
    if not marks or metrics.horizontalAdvance(text[: marks[0][0]]) <= room:
        return text, marks
    start = marks[0][0]
    cut = start
    while cut > 0:
        space = text.rfind(" ", 0, cut - 1)
        if space < 0 or metrics.horizontalAdvance("…" + text[space + 1 : start]) > room:
            break
        cut = space + 1
    shift = cut - 1  # one character for the ellipsis
    return "…" + text[cut:], tuple((a - shift, b - shift) for a, b in marks)


def _pieces(text: str, highlights: tuple[tuple[int, int], ...]) -> list[tuple[str, bool]]:
    out, last = [], 0
    for start, end in highlights:
        out += [(text[last:start], False), (text[start:end], True)]
        last = end
    out.append((text[last:], False))
    return [(t, m) for t, m in out if t]


class SearchView(QObject):
    """The browser's search presentation (see the module's docstring)."""

    def __init__(self, browser: EventBrowser) -> None:
        super().__init__(browser)
        self.browser = browser
        table = browser.table
        table.setItemDelegateForColumn(MATCH, SnippetDelegate(table))
        table.horizontalHeader().setSectionHidden(MATCH, True)
        self.empty = QLabel(table.viewport())
        self.empty.setObjectName("noMatches")
        self.empty.setTextFormat(Qt.TextFormat.RichText)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setContentsMargins(24, 24, 24, 24)
        self.empty.linkActivated.connect(self._follow)
        self.empty.hide()
        self._reads = LatestOnly(self)
        self._last: Any = None  # the newest complete or quick answer
        self._wanted: set[str] = set()  # rows in view still without their snippet
        browser.search.answered.connect(self._on_answer)
        browser.model.want_snippets.connect(self._fetch)
        browser.model.count_changed.connect(lambda _n: self.update_empty())

    # -- the column ---------------------------------------------------------------------------
    def listing(self, searching: bool, by_relevance: bool) -> None:
        """A new listing: the column is there while searching; the indicator on it while
        the order is relevance."""
        header = self.browser.table.horizontalHeader()
        was_hidden = header.isSectionHidden(MATCH)
        header.setSectionHidden(MATCH, not searching)
        if not searching:
            self._last = None
            self.browser.model.set_snippets({}, replace_all=True)
        if by_relevance:
            header.blockSignals(True)
            header.setSortIndicator(MATCH, Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
        if was_hidden == searching:
            self.browser.fit_title()

    def widths(self, available: int, title_min: int) -> tuple[int, int]:
        """(title, snippet) widths sharing ``available`` pixels."""
        if self.browser.table.horizontalHeader().isSectionHidden(MATCH):
            return max(title_min, available), 0
        match = max(160, int(available * MATCH_SHARE))
        return max(title_min, available - match), match

    def _on_answer(self, res: Any) -> None:
        self._last = res
        self._wanted.clear()
        self.browser.model.set_snippets(
            {h.uuid: h.snippet for h in res.hits if h.snippet.text}, replace_all=True
        )
        self.update_empty()

    def _fetch(self, uuids: list[str]) -> None:
        res, box = self._last, self.browser.search
        if res is None or not box.query:
            return
        # A newer request replaces one still waiting, whose answer is then dropped: each
        # request asks for every row still without its snippet.
        self._wanted.update(uuids)
        uuids = sorted(self._wanted)
        ctx = self.browser.ctx
        query, options = res.query, {"word_families": box.word_families,
                                     "cross_script": box.cross_script}  # fmt: skip

        def work() -> dict[str, Any]:
            from belarchive.search import api

            return api.snippets(ctx.catalogue, query, uuids, **options)

        def done(found: dict[str, Any]) -> None:
            if self._last is res:
                self._wanted.difference_update(uuids)
                self.browser.model.set_snippets(found)

        self._reads.request(work, done, lambda exc: log.warning("snippets: %s", exc))

    # -- nothing matches ----------------------------------------------------------------------
    def update_empty(self) -> None:
        model, box = self.browser.model, self.browser.search
        res = self._last
        nothing = model.exact and model.rowCount() == 0
        if not nothing or (box.query and (res is None or not box.is_complete(res))):
            self.empty.hide()
            return
        self.empty.setText(self._empty_text(res if box.query else None))
        self.empty.setGeometry(self.browser.table.viewport().rect())
        self.empty.show()

    def _empty_text(self, res: Any) -> str:
        box, browser = self.browser.search, self.browser
        lines = []
        if res is None:
            lines.append(tr("No events match the filters."))
        else:
            query = html.escape(box.query)
            lines.append(tr("No events match “{query}”.").format(query=query))
            if res.suggestion:
                fix = html.escape(res.suggestion, quote=True)
                lines.append(tr("Did you mean: {link}?").format(
                    link=f'<a href="query:{fix}">{fix}</a>'))  # fmt: skip
        if browser.has_list_filters():
            lines.append(_link("unfilter", tr("Search without the other filters")))
        if res is not None and not box.word_families:
            lines.append(_link("families", tr("Also find other forms and related words")))
        if res is not None and not box.cross_script:
            lines.append(_link("scripts", tr("Also find names written in other scripts")))
        if res is not None and '"' in box.query:
            lines.append(_link("unquote", tr("Search for the words without the quotes")))
        return "<br>".join(lines)

    def _follow(self, link: str) -> None:
        box = self.browser.search
        if link.startswith("query:"):
            box.set_query(link.removeprefix("query:"))
        elif link == "unfilter":
            self.browser.clear_list_filters()
        elif link == "families":
            box.families_action.setChecked(True)
        elif link == "scripts":
            box.scripts_action.setChecked(True)
        elif link == "unquote":
            box.set_query(box.query.replace('"', " ").strip())

    def resized(self, viewport: QWidget) -> None:
        if self.empty.isVisible():
            self.empty.setGeometry(viewport.rect())


def _link(target: str, text: str) -> str:
    return f'<a href="{target}">{html.escape(text)}</a>'
