"""The import wizard: file and options → preview (accept, edit, split, merge) → commit.

Chronicles go through ``services.importing`` (preview reads on the thread pool; commit
writes through ``ctx.write``). CSV tables are mapped column by column, previewed row by row
and written by ``importing.csv_io.import_csv`` in one transaction (see ``import_csv``).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from belarchive.gui.context import AppContext
from belarchive.gui.dialogs import import_csv
from belarchive.gui.dialogs.import_commit import CommitPage, Writer
from belarchive.gui.dialogs.import_csv_preview import CsvPreviewPage
from belarchive.gui.dialogs.import_pages import FilePage, ImportOptions
from belarchive.gui.dialogs.import_preview import Loader, PreviewPage
from belarchive.gui.dialogs.import_proposals import ProposalList
from belarchive.gui.widgets.background import CancelFn, ProgressFn
from belarchive.services import importing

PAGE_FILE, PAGE_CSV, PAGE_PREVIEW, PAGE_COMMIT, PAGE_CSV_PREVIEW = range(5)


class ImportWizard(QWizard):
    """Emits ``imported(result)`` after a successful commit (``ImportResult``)."""

    imported = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.import_options = ImportOptions()
        self.preview: importing.ChroniclePreview | None = None
        self.setWindowTitle(self.tr("Import events"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.file_page = FilePage(self.import_options, self)
        self.csv_page = import_csv.CsvMappingPage(self.import_options, self)
        self.preview_page = PreviewPage(self._make_loader, self)
        self.csv_preview_page = CsvPreviewPage(ctx, self.import_options, self)
        self.commit_page = CommitPage(ctx, self._make_writer, self._summary, self)
        self.commit_page.committed.connect(self.imported.emit)
        self.setPage(PAGE_FILE, self.file_page)
        self.setPage(PAGE_CSV, self.csv_page)
        self.setPage(PAGE_PREVIEW, self.preview_page)
        self.setPage(PAGE_COMMIT, self.commit_page)
        self.setPage(PAGE_CSV_PREVIEW, self.csv_preview_page)
        self.resize(1000, 700)

    @property
    def proposals(self) -> ProposalList:
        return self.preview_page.model.proposals

    def nextId(self) -> int:
        current = self.currentId()
        if current == PAGE_FILE:
            return PAGE_CSV if self.import_options.kind == "csv" else PAGE_PREVIEW
        if current == PAGE_CSV:
            return PAGE_CSV_PREVIEW
        if current in (PAGE_PREVIEW, PAGE_CSV_PREVIEW):
            return PAGE_COMMIT
        return -1

    def reject(self) -> None:
        # Closing mid-commit would abandon a transaction the user still sees: cancel it and
        # close only once the writer has rolled back.
        if self.commit_page.running:
            self.commit_page.cancel()
            return
        self.preview_page.cancel()
        self.csv_preview_page.cancel()
        super().reject()

    # -- reading (thread pool) ---------------------------------------------------------
    def _make_loader(self) -> Loader:
        opts, cat = self.import_options, self.ctx.catalogue

        def load(progress: ProgressFn, cancel: CancelFn) -> tuple[ProposalList, str, str]:
            assert opts.path is not None
            preview = importing.preview_chronicle(
                cat, opts.path, year=opts.year, language=opts.language, encoding=opts.encoding,
                progress=progress, cancel=cancel)  # fmt: skip
            self.preview = preview  # read back on the GUI thread only after ``finished``
            return (ProposalList(preview.events, preview.matches), self._header(preview),
                    self._blocking(preview))  # fmt: skip

        return load

    def _header(self, p: importing.ChroniclePreview) -> str:
        r = p.report
        n_bg = sum(e.is_background for e in r.events)
        head = self.tr("<b>{name}</b>: {n} proposed events ({bg} background passages), "
                       "encoding {enc}, language {lang}, year {year} ({how}).").format(
            name=html.escape(p.path.name), n=len(r.events), bg=n_bg, enc=p.encoding,
            lang=r.language, year=r.year_used or "?", how=html.escape(r.year_source))  # fmt: skip
        same = len(p.matches) + sum(e.duplicate_of is not None for e in r.events)
        if same:
            head += " " + self.tr("<b>{n}</b> may report incidents already in the catalogue or "
                                  "earlier in the file: see the column “Same incident”.").format(
                n=same)  # fmt: skip
        if r.warnings:
            items = "".join(f"<li>{html.escape(w)}</li>" for w in r.warnings[:5])
            more = len(r.warnings) - 5
            extra = f"<li>… {more}</li>" if more > 0 else ""
            check = self.tr("Please check:")
            head += f"<br>{check}<ul style='margin:0'>{items}{extra}</ul>"
        return head

    def _blocking(self, p: importing.ChroniclePreview) -> str:
        if p.already_imported:
            return self.tr("This file was already imported ({when}); importing it again would "
                           "add nothing.").format(when=p.previous_import)  # fmt: skip
        return ""

    # -- writing (writer thread) -------------------------------------------------------
    def _make_writer(self) -> Writer:
        cat, user = self.ctx.catalogue, self.ctx.user
        if self.import_options.kind == "csv":
            rows = self.csv_preview_page.model.accepted_rows()
            return import_csv.make_writer(cat, user, self.import_options, rows)
        assert self.preview is not None
        edited, accepted, decisions = self.proposals.to_preview(self.preview)

        def write(progress: ProgressFn, cancel: CancelFn) -> importing.ImportResult:
            return importing.commit_chronicle(cat, user, edited, accepted=accepted,
                                              decisions=decisions, progress=progress,
                                              cancel=cancel)  # fmt: skip

        return write

    def _summary(self, result: Any) -> str:
        n = len(getattr(result, "event_uuids", []) or [])
        text = self.tr("<p><b>{n} events were added</b> to the catalogue as <i>unverified</i>."
                       "</p>").format(n=n)  # fmt: skip
        linked = len(set(getattr(result, "linked", []) or []))
        if linked:
            text += self.tr("<p>{n} existing incidents gained this file's sources and "
                            "figures.</p>").format(n=linked)  # fmt: skip
        if getattr(result, "source_uuid", None):
            text += self.tr("<p>The original file is archived as a source and every event "
                            "cites the lines it came from.</p>")  # fmt: skip
        warnings = getattr(result, "warnings", ()) or ()
        if warnings:
            text += self.tr("<p>Left out:</p>") if self.import_options.kind == "csv" else ""
            text += "<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul>"
        return text
