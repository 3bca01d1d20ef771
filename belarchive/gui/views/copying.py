"""Copying the selected events for use elsewhere: as CSV (the columns shown, in their order,
cells a spreadsheet will not run as formulas) or as citations a report can quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtGui import QGuiApplication

from belarchive.domain.edtf_dates import human_reading
from belarchive.exporting.csv_io import neutralise
from belarchive.gui.i18n import current_language, tr
from belarchive.gui.models.event_table import COLUMNS, column_titles, status_label
from belarchive.gui.widgets.background import run_read
from belarchive.storage import queries
from belarchive.storage.queries import EventRow

if TYPE_CHECKING:
    from belarchive.gui.views.browser import EventBrowser


def rows_csv(rows: Sequence[EventRow], columns: Sequence[tuple[str, str]],
             display: Callable[[EventRow, str], str]) -> str:  # fmt: skip
    """``columns``: (name, title) in the order shown; ``display`` is the list's own text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([neutralise(title) for _name, title in columns])
    for row in rows:
        writer.writerow([neutralise(display(row, name)) for name, _title in columns])
    return out.getvalue()


def citation(row: EventRow, catalogue: str) -> str:
    """'Title (15 November 2020; Minsk). belarchive catalogue “X”, event <uuid>, verified.'"""
    when = human_reading(row.date_edtf, current_language()) if row.date_edtf else tr("undated")
    where = f"; {row.places}" if row.places else ""
    return tr("{title} ({when}{where}). belarchive catalogue “{catalogue}”, event {uuid}, "
              "{status}.").format(title=row.title, when=when, where=where, catalogue=catalogue,
                                  uuid=row.uuid, status=status_label(row.status))  # fmt: skip


def rows_citations(rows: Sequence[EventRow], catalogue: str) -> str:
    return "\n".join(citation(row, catalogue) for row in rows) + "\n"


def copy_selected(browser: EventBrowser, as_citation: bool,
                  said: Callable[[str], None]) -> None:  # fmt: skip
    """Read the selected rows off the GUI thread, then put them on the clipboard; ``said``
    gets a sentence for the status bar."""
    uuids = browser.selected_uuids()
    if not uuids:
        said(tr("Select events in the list first."))
        return
    cat, wanted = browser.ctx.catalogue, replace(browser.model.filter, uuids=uuids)

    def read() -> list[EventRow]:
        with cat.reader.connect() as conn:
            return queries.list_events(conn, wanted, sort="rank", limit=len(uuids))

    def done(rows: list[EventRow]) -> None:
        header = browser.table.horizontalHeader()
        titles = column_titles()
        shown = [header.logicalIndex(v) for v in range(header.count())]
        columns = [(COLUMNS[i], titles[i]) for i in shown if not header.isSectionHidden(i)]
        data = QMimeData()
        if as_citation:
            data.setText(rows_citations(rows, cat.path.stem))
        else:
            text = rows_csv(rows, columns, browser.model.text)
            data.setText(text)
            data.setData("text/csv", QByteArray(text.encode("utf-8")))
        QGuiApplication.clipboard().setMimeData(data)
        said(tr("Copied {n} events.").format(n=len(rows)))

    run_read(read, done, lambda exc: said(str(exc)), owner=browser)
