"""CSV tables in the import wizard: map columns to fields, preview rows as proposals, write.

The bytes are decoded by the chronicle decoder (same encoding detection), rows become
``ProposedEvent`` values so the preview page, its edits and its checks are shared, and the
accepted rows are written by ``services.bulk.create_events_bulk`` — all or nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from belarchive.domain.edtf_dates import is_valid
from belarchive.domain.text import fold
from belarchive.domain.values import FigureKind, Qualifier
from belarchive.errors import Cancelled
from belarchive.gui.dialogs.import_commit import Writer
from belarchive.gui.dialogs.import_pages import ImportOptions
from belarchive.gui.dialogs.import_preview import Loader
from belarchive.gui.dialogs.import_proposals import ProposalList
from belarchive.gui.widgets.background import CancelFn, ProgressFn
from belarchive.importing.chronicle import (
    ProposedEvent,
    ProposedFigure,
    ProposedPlace,
    ProposedTag,
    read_chronicle_file,
)
from belarchive.services import bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.inputs import EventInput, FigureInput

# field -> names a column may have (folded), first match wins
FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "edtf", "ημερομηνια", "дата", "day"),
    "title": ("title", "τιτλος", "заголовок", "event", "summary"),
    "description": ("description", "text", "περιγραφη", "описание", "details"),
    "places": ("places", "place", "τοποθεσια", "τοπος", "место", "city", "location"),
    "tags": ("tags", "tag", "ετικετες", "теги", "type", "category"),
    "detained": ("detained", "συλληψεις", "задержано", "arrests", "detentions"),
    "language": ("language", "lang", "γλωσσα", "язык"),
}
REQUIRED = ("date", "title")


@dataclass(frozen=True, slots=True)
class CsvTable:
    headers: list[str]
    rows: list[list[str]]
    encoding: str


def read_table(path: Path, encoding: str | None) -> CsvTable:
    decoded = read_chronicle_file(path, encoding)
    text = decoded.text
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
    if not rows:
        return CsvTable([], [], decoded.encoding)
    return CsvTable([h.strip() for h in rows[0]], rows[1:], decoded.encoding)


def guess_mapping(headers: Sequence[str]) -> dict[str, str]:
    folded = {fold(h): h for h in headers}
    mapping: dict[str, str] = {}
    for name, synonyms in FIELDS.items():
        hit = next((folded[s] for s in synonyms if s in folded), None)
        if hit:
            mapping[name] = hit
    return mapping


def _split_list(cell: str) -> list[str]:
    sep = ";" if ";" in cell else ","
    return [p.strip() for p in cell.split(sep) if p.strip()]


def row_proposal(index: int, line: int, get: dict[str, str]) -> ProposedEvent:
    raw_date = get.get("date", "").strip()
    edtf = raw_date if raw_date and is_valid(raw_date) else None
    detained = get.get("detained", "").strip().replace(" ", "")
    figures = []
    if detained.isdigit():
        figures.append(ProposedFigure(FigureKind.DETAINED, int(detained), None, Qualifier.EXACT,
                                      detained, detained, line, 1.0))  # fmt: skip
    return ProposedEvent(
        index=index, edtf=edtf, date_evidence=raw_date, date_confidence=1.0 if edtf else 0.0,
        is_background=False, title=" ".join(get.get("title", "").split()) or f"Row {line}",
        text=get.get("description", "").strip(), line_start=line, line_end=line,
        figures=figures,
        places=[ProposedPlace(p, p, line) for p in _split_list(get.get("places", ""))],
        tags=[ProposedTag(t, "column") for t in _split_list(get.get("tags", ""))],
        confidence=1.0 if edtf else 0.3,
    )  # fmt: skip


def make_loader(opts: ImportOptions) -> Loader:
    def load(progress: ProgressFn, cancel: CancelFn) -> tuple[ProposalList, str, str]:
        assert opts.path is not None
        table = read_table(opts.path, opts.encoding)
        col = {h: i for i, h in enumerate(table.headers)}
        proposals = []
        for n, row in enumerate(table.rows):
            if cancel():
                raise Cancelled("Reading the table was cancelled.")
            get = {f: row[col[c]] for f, c in opts.csv_mapping.items()
                   if c in col and col[c] < len(row)}  # fmt: skip
            proposals.append(row_proposal(n, n + 2, get))
            progress(n + 1, len(table.rows))
        undated = sum(p.edtf is None for p in proposals)
        head = (f"<b>{opts.path.name}</b>: {len(proposals)} rows, encoding {table.encoding}"
                + (f"; {undated} rows have no valid EDTF date" if undated else ""))  # fmt: skip
        return ProposalList(proposals), head, ""

    return load


def make_writer(cat: Catalogue, user: str, proposals: ProposalList, opts: ImportOptions) -> Writer:
    language = opts.language or "und"
    inputs = [EventInput(title=p.title, date=p.edtf, description=p.text, language=language,
                         tags=tuple(t.key for t in p.tags), places=tuple(x.key for x in p.places),
                         figures=tuple(FigureInput(f.kind, f.value_min, f.value_max, f.qualifier)
                                       for f in p.figures))
              for p, ok in zip(proposals.items, proposals.accepted, strict=True) if ok]  # fmt: skip

    def write(progress: ProgressFn, cancel: CancelFn) -> CsvResult:
        change = bulk.create_events_bulk(cat, user, inputs, progress=progress, cancel=cancel)
        return CsvResult(change, sorted(change.created), None)

    return write


@dataclass(frozen=True, slots=True)
class CsvResult:
    """Shaped like ``ImportResult`` so the summary page reads both."""

    change: Change
    event_uuids: list[str]
    source_uuid: str | None
    warnings: tuple[str, ...] = ()


class CsvMappingPage(QWizardPage):
    """Which column holds which field; the first rows are shown to help choose."""

    def __init__(self, options: ImportOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.setTitle(self.tr("Match the columns"))
        self.setSubTitle(self.tr("Say which column holds each field. Date (EDTF) and title "
                                 "are required."))  # fmt: skip
        self.boxes: dict[str, QComboBox] = {}
        self.sample = QTableWidget(self)
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color:#b00020")
        form = QFormLayout()
        for name in FIELDS:
            box = QComboBox(self)
            box.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
            self.boxes[name] = box
            form.addRow(self.tr(name.capitalize()), box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sample, 1)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:
        assert self.options.path is not None
        try:  # a small file read to show the header; the full parse runs off the GUI thread
            table = read_table(self.options.path, self.options.encoding)
        except Exception as exc:
            self.problem.setText(str(exc))
            table = CsvTable([], [], "")
        guess = guess_mapping(table.headers)
        for name, box in self.boxes.items():
            box.clear()
            box.addItem(self.tr("(none)"), "")
            for h in table.headers:
                box.addItem(h, h)
            box.setCurrentIndex(max(0, box.findData(guess.get(name, ""))))
        self.sample.setColumnCount(len(table.headers))
        self.sample.setHorizontalHeaderLabels(table.headers)
        self.sample.setRowCount(min(5, len(table.rows)))
        for r, row in enumerate(table.rows[:5]):
            for c, cell in enumerate(row[: len(table.headers)]):
                self.sample.setItem(r, c, QTableWidgetItem(cell))

    def isComplete(self) -> bool:
        return all(self.boxes[f].currentData() for f in REQUIRED)

    def validatePage(self) -> bool:
        self.options.csv_mapping = {f: str(b.currentData()) for f, b in self.boxes.items()
                                    if b.currentData()}  # fmt: skip
        return True
