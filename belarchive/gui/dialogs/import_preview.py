"""Import wizard, page 2: the proposed events, to accept, reject, correct, split or merge.

The file is parsed on the thread pool (parsing only reads), with progress and Cancel; the
table then edits the wizard's local ``ProposalList`` — nothing is written on this page.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from belarchive.gui.dialogs.import_model import (
    COL_ACCEPT,
    COL_CONF,
    COL_DATE,
    COL_DETAINED,
    COL_PLACES,
    COL_SAME,
    COL_TAGS,
    COL_TITLE,
    ProposalModel,
)
from belarchive.gui.dialogs.import_proposals import ProposalList, sentences_of
from belarchive.gui.widgets.background import BackgroundTask, CancelFn, ProgressFn
from belarchive.importing.chronicle import ProposedEvent, ProposedFigure

COLUMN_CAPS = {
    COL_ACCEPT: 90,
    COL_DATE: 200,
    COL_DETAINED: 70,
    COL_SAME: 200,
    COL_PLACES: 120,
    COL_TAGS: 150,
    COL_CONF: 80,
}
# fn(progress, cancel) -> (ProposalList, header html, blocking problem or "")
Loader = Callable[[ProgressFn, CancelFn], tuple[ProposalList, str, str]]


class PreviewPage(QWizardPage):
    def __init__(self, make_loader: Callable[[], Loader], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.make_loader = make_loader
        self.task: BackgroundTask | None = None
        self.blocking = ""
        self._loading = False
        self.setTitle(self.tr("Check the proposed events"))
        self.setSubTitle(
            self.tr(
                "Untick what should not be imported; double-click a date or a "
                "title to correct it. Grey rows are undated background passages."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("Import"))
        self.model = ProposalModel()
        self.model.edit_failed.connect(self._show_problem)
        self.model.accepted_changed.connect(self._counts_changed)
        self.header = QLabel(self)
        self.header.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton(self.tr("Cancel reading"), self)
        self.cancel_button.clicked.connect(self.cancel)
        self.table = QTableView(self)
        self.details = QTextBrowser(self)
        self.details.setAccessibleName(self.tr("The proposal's text"))
        # The incident already in the catalogue (or earlier in the file), beside the proposal.
        self.other = QTextBrowser(self)
        self.other.setAccessibleName(self.tr("The incident it may repeat"))
        self.same_box = QWidget(self)
        self.candidates = QComboBox(self.same_box)
        self.candidates.setAccessibleName(self.tr("Same incident as"))
        self.candidates.currentIndexChanged.connect(lambda *_: self._show_other())
        self.message = QLabel(self)
        self.message.setStyleSheet("color:#b00020")
        self.buttons: dict[str, QPushButton] = {}
        self._build()

    def _build(self) -> None:
        t = self.table
        t.setModel(self.model)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        t.setWordWrap(False)
        t.verticalHeader().setDefaultSectionSize(24)
        head = t.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        t.selectionModel().currentRowChanged.connect(lambda *_: self._show_details())
        actions = QHBoxLayout()
        for key, text, slot in (
            ("all", self.tr("Accept all"), lambda: self.model.set_all(True)),
            ("none", self.tr("Reject all"), lambda: self.model.set_all(False)),
            ("split", self.tr("Split…"), self.split_current),
            ("merge", self.tr("Merge with next"), self.merge_current),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(slot)
            self.buttons[key] = button
            actions.addWidget(button)
        actions.addStretch(1)
        same_row = QHBoxLayout(self.same_box)
        same_row.setContentsMargins(0, 0, 0, 0)
        same_row.addWidget(QLabel(self.tr("Same incident as:"), self.same_box))
        same_row.addWidget(self.candidates, 1)
        for key, text, slot in (
            ("link", self.tr("&Link to it"), self.link_current),
            ("new", self.tr("Keep as &new"), lambda: self._choose("new")),
            ("skip", self.tr("S&kip"), lambda: self._choose("skip")),
        ):
            button = QPushButton(text, self.same_box)
            button.clicked.connect(slot)
            self.buttons[key] = button
            same_row.addWidget(button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        side_by_side = QSplitter(Qt.Orientation.Horizontal, self)
        side_by_side.addWidget(self.details)
        side_by_side.addWidget(self.other)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(t)
        split.addWidget(side_by_side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        box = QVBoxLayout(self)
        box.addWidget(self.header)
        box.addLayout(progress_row)
        box.addLayout(actions)
        box.addWidget(split, 1)
        box.addWidget(self.same_box)
        box.addWidget(self.message)

    # -- loading ---------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.model.set_proposals(ProposalList([]))
        self.blocking = ""
        self.message.setText("")
        self.header.setText(self.tr("Reading the file…"))
        self._set_loading(True)
        self.task = BackgroundTask(self.make_loader())
        self.task.progress.connect(self._progress)
        self.task.finished.connect(self._loaded)
        self.task.failed.connect(self._load_failed)
        self.task.start()

    def cleanupPage(self) -> None:
        self.cancel()

    def cancel(self) -> None:
        if self.task is not None and self.loading:
            self.task.cancel()

    @property
    def loading(self) -> bool:
        # Set and cleared on the GUI thread, so "not loading" means the results are shown.
        return self._loading

    def _set_loading(self, loading: bool) -> None:
        self._loading = loading
        self.progress.setVisible(loading)
        self.cancel_button.setVisible(loading)
        self.progress.setRange(0, 0)
        for button in self.buttons.values():
            button.setEnabled(not loading)
        self.completeChanged.emit()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _loaded(self, result: tuple[ProposalList, str, str]) -> None:
        proposals, header, self.blocking = result
        self.model.set_proposals(proposals)
        self.header.setText(header)
        self.message.setText(self.blocking)
        self._set_loading(False)
        self.table.setColumnHidden(COL_SAME, not any(s.asked for s in proposals.same))
        self._fit_columns()
        if len(proposals):
            self.table.selectRow(0)

    def _fit_columns(self) -> None:
        # Fit the short columns to their text, within limits, and give the rest to the title
        # (Stretch), so that every column is visible without scrolling sideways.
        for col, cap in COLUMN_CAPS.items():
            self.table.resizeColumnToContents(col)
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), cap))

    def _load_failed(self, exc: BaseException) -> None:
        self._set_loading(False)
        self.header.setText("")
        self.blocking = str(exc)
        self.message.setText(self.blocking)

    # -- editing ---------------------------------------------------------------------------
    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def split_current(self) -> None:
        row = self.current_row()
        if row < 0 or not self.model.proposals.can_split(row):
            self._show_problem(self.tr("Select a proposal with more than one sentence."))
            return
        event = self.model.proposals.items[row]
        choices = [s.of(event.text)[:90] for s in sentences_of(event.text)[1:]]
        choice, ok = QInputDialog.getItem(
            self, self.tr("Split the proposal"), self.tr("Start a new event at:"), choices, 0, False
        )
        if ok:
            self.model.split(row, choices.index(choice) + 1)
            self.table.selectRow(row)

    def merge_current(self) -> None:
        row = self.current_row()
        if row < 0 or row >= len(self.model.proposals) - 1:
            self._show_problem(self.tr("Select a proposal that has another one after it."))
            return
        self.model.merge_with_next(row)
        self.table.selectRow(row)

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)

    def _counts_changed(self) -> None:
        self.completeChanged.emit()

    def _show_details(self) -> None:
        row = self.current_row()
        if row < 0:
            self.details.clear()
            self.same_box.setVisible(False)
            self.other.setVisible(False)
            return
        self.details.setHtml(details_html(self.model.proposals.items[row]))
        self._fill_candidates(row)

    # -- the same incident -------------------------------------------------------------------
    def _fill_candidates(self, row: int) -> None:
        same = self.model.proposals.same[row]
        self.same_box.setVisible(same.asked)
        self.other.setVisible(same.asked)
        self.candidates.blockSignals(True)
        self.candidates.clear()
        if same.repeat_of is not None:
            self.candidates.addItem(self.tr("an earlier item of this file"), f"#{same.repeat_of}")
        for m in same.candidates:
            when = f"{m.day} · " if m.day else ""
            self.candidates.addItem(f"{when}{m.title} — {'; '.join(m.reasons)}", m.key)
        chosen = same.choice.removeprefix("link:")
        self.candidates.setCurrentIndex(max(0, self.candidates.findData(chosen)))
        self.candidates.blockSignals(False)
        self._show_other()

    def _show_other(self) -> None:
        row = self.current_row()
        key = self.candidates.currentData()
        if row < 0 or key is None:
            self.other.clear()
            return
        same = self.model.proposals.same[row]
        if str(key).startswith("#"):
            original = next(
                (
                    e
                    for e, o in zip(
                        self.model.proposals.items, self.model.proposals.origin, strict=True
                    )
                    if o == int(str(key)[1:])
                ),
                None,
            )
            self.other.setHtml(details_html(original) if original else "")
            return
        match = next((m for m in same.candidates if m.key == key), None)
        if match is not None:
            self.other.setHtml(
                f"<p style='color:#666'>{html.escape(str(match.day or ''))}"
                f" · {html.escape('; '.join(match.reasons))}</p>"
                f"<p><b>{html.escape(match.title)}</b></p>"
                f"<p>{html.escape(match.text)}</p>"
            )

    def link_current(self) -> None:
        key = self.candidates.currentData()
        if key is not None:
            self._choose(f"link:{key}")

    def _choose(self, choice: str) -> None:
        row = self.current_row()
        if row >= 0 and self.model.proposals.same[row].asked:
            self.model.set_choice(row, choice)

    def isComplete(self) -> bool:
        return not self.loading and not self.blocking and self.model.proposals.accepted_count() > 0


def details_html(e: ProposedEvent) -> str:
    """The proposal's text with the evidence the parser used highlighted."""
    text = html.escape(e.text).replace("\n", "<br>")
    marks = [e.date_evidence] + [f.evidence for f in e.figures] + [p.matched for p in e.places]
    for mark in sorted({m for m in marks if m}, key=len, reverse=True):
        escaped = html.escape(mark)
        text = text.replace(escaped, f'<span style="background:#fff2a8">{escaped}</span>', 1)
    facts = "".join(
        f"<li>{html.escape(f.kind.value)} {html.escape(f.qualifier.value)} "
        f"{f.value_min}{'–' + str(f.value_max) if f.value_max else ''} — "
        f"«{html.escape(f.evidence)}»{_scope_words(f)}</li>"
        for f in e.figures
    )
    facts += "".join(
        f"<li>source: {html.escape(link.publisher)} {html.escape(link.url)}</li>"
        for link in e.links
    )
    if e.date_derivation:
        facts = f"<li>date: {html.escape(e.date_derivation)}</li>" + facts
    lines = (
        f"lines {e.line_start}–{e.line_end}"
        if e.line_end != e.line_start
        else f"line {e.line_start}"
    )
    return f"<p style='color:#666'>{lines}</p><p>{text}</p>" + (
        f"<ul>{facts}</ul>" if facts else ""
    )


def _scope_words(f: ProposedFigure) -> str:
    if f.scope.value != "incident":
        period = html.escape(f.period or "a period not stated")
        return f" — <i>running total over {period}, never added up</i>"
    if f.part_of is not None:
        return " — <i>part of the figure before</i>"
    return ""
