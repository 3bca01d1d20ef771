"""The import wizard over a real temporary catalogue: the sample chronicle and a CSV table."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from belarchive.config import sample_chronicle_path
from belarchive.gui.context import AppContext
from belarchive.gui.dialogs.import_model import COL_ACCEPT, COL_TITLE
from belarchive.gui.dialogs.import_proposals import ProposalList, sentences_of
from belarchive.gui.dialogs.import_wizard import (
    PAGE_COMMIT,
    PAGE_CSV,
    PAGE_PREVIEW,
    ImportWizard,
)
from belarchive.importing.chronicle import parse_chronicle, read_chronicle_file
from belarchive.services.catalogue import Catalogue
from belarchive.storage import queries
from belarchive.storage.queries import EventFilter

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(catalogue: Catalogue) -> Iterator[AppContext]:
    context = AppContext(catalogue, "anna", "admin")
    yield context
    context.shutdown()


def _count(cat: Catalogue) -> int:
    with cat.reader.connect() as conn:
        return queries.count_events(conn, EventFilter())


def _to_preview(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    wizard.show()
    wizard.file_page.path.setText(str(path))
    assert wizard.file_page.isComplete()
    wizard.next()
    if wizard.currentId() == PAGE_CSV:
        wizard.next()
    assert wizard.currentId() == PAGE_PREVIEW
    qtbot.waitUntil(lambda: not wizard.preview_page.loading and len(wizard.proposals) > 0,
                    timeout=15_000)  # fmt: skip


def test_import_sample_chronicle_accept_all(qtbot: QtBot, ctx: AppContext) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    _to_preview(qtbot, wizard, sample_chronicle_path())
    page = wizard.preview_page
    n = len(wizard.proposals)
    assert n > 20
    assert "2020" in page.header.text()
    page.buttons["all"].click()
    assert wizard.proposals.accepted_count() == n
    assert page.isComplete()
    # An inline title edit through the model, as a double-click edit would do it.
    model = page.model
    assert model.setData(model.index(3, COL_TITLE), "Sunday march in Minsk, 340 detained")
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as done:
        wizard.next()
    assert wizard.currentId() == PAGE_COMMIT
    result = done.args[0]
    assert len(result.event_uuids) == n
    assert _count(ctx.catalogue) == n
    assert wizard.commit_page.isComplete()
    assert str(n) in wizard.commit_page.summary.toPlainText()
    with ctx.catalogue.reader.connect() as conn:
        rows = queries.list_events(conn, EventFilter(), limit=500)
    titles = {r.title for r in rows}
    assert "Sunday march in Minsk, 340 detained" in titles
    edited = next(r for r in rows if r.title.startswith("Sunday march"))
    assert edited.detained == 340  # the edit kept the parser's figure and its citation
    wizard.button(QWizard.WizardButton.FinishButton).click()
    # The same file again: the preview says so and will not commit.
    again = ImportWizard(ctx)
    qtbot.addWidget(again)
    _to_preview(qtbot, again, sample_chronicle_path())
    assert "already imported" in again.preview_page.message.text()
    assert not again.preview_page.isComplete()


def test_reject_split_merge_then_commit(qtbot: QtBot, ctx: AppContext) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    _to_preview(qtbot, wizard, sample_chronicle_path())
    model = wizard.preview_page.model
    n = len(wizard.proposals)
    model.set_all(False)
    assert not wizard.preview_page.isComplete()
    row = next(i for i, e in enumerate(wizard.proposals.items) if len(sentences_of(e.text)) > 2)
    model.split(row, 1)
    assert len(wizard.proposals) == n + 1
    model.merge_with_next(row)
    assert len(wizard.proposals) == n
    for r in (0, 1):
        model.setData(model.index(r, COL_ACCEPT), Qt.CheckState.Checked.value,
                      Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    assert wizard.proposals.accepted_count() == 2
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        wizard.next()
    assert _count(ctx.catalogue) == 2


def test_split_shares_out_figures() -> None:
    report = parse_chronicle(read_chronicle_file(sample_chronicle_path()).text)
    proposals = ProposalList(report.events)
    row = next(i for i, e in enumerate(proposals.items) if e.figures and e.edtf == "2020-11-08")
    event = proposals.items[row]
    parts = sentences_of(event.text)
    at = next(k for k, s in enumerate(parts) if "340" in s.of(event.text))
    proposals.split(row, at)
    first, second = proposals.items[row], proposals.items[row + 1]
    assert not first.figures and [f.value_min for f in second.figures] == [340]
    assert first.edtf == second.edtf == "2020-11-08"
    assert first.line_start == event.line_start and second.line_end == event.line_end
    with pytest.raises(Exception, match="EDTF"):
        proposals.set_date(row, "8 Nov")


def test_import_csv_table(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("Date;Title;Places;Tags;Detained\n"
                    "2020-11-08;Sunday march;minsk;protest, detention;340\n"
                    "2020-11-15;March after Bandarenka's death;minsk;protest;390\n"
                    "2020-11-3x;Bad date row;;;\n", encoding="utf-8")  # fmt: skip
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    assert wizard.currentId() == PAGE_CSV
    assert wizard.csv_page.boxes["detained"].currentData() == "Detained"
    assert wizard.csv_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.preview_page.loading and len(wizard.proposals) == 3,
                    timeout=10_000)  # fmt: skip
    assert "no valid EDTF date" in wizard.preview_page.header.text()
    wizard.preview_page.model.setData(wizard.preview_page.model.index(2, COL_ACCEPT),
                                      Qt.CheckState.Unchecked.value,
                                      Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        wizard.next()
    with ctx.catalogue.reader.connect() as conn:
        rows = queries.list_events(conn, EventFilter())
    assert [(r.title, r.detained) for r in rows] == [
        ("Sunday march", 340),
        ("March after Bandarenka's death", 390),
    ]
