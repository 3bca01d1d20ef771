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
from belarchive.gui.dialogs.import_csv import COL_ROW as COL_CSV_ROW
from belarchive.gui.dialogs.import_csv import COL_TITLE as COL_CSV_TITLE
from belarchive.gui.dialogs.import_model import COL_ACCEPT, COL_TITLE
from belarchive.gui.dialogs.import_proposals import ProposalList, sentences_of
from belarchive.gui.dialogs.import_wizard import (
    PAGE_COMMIT,
    PAGE_CSV,
    PAGE_CSV_PREVIEW,
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
    """The wizard reads, checks and writes through importing.csv_io: bad rows are listed with
    their row number and reason and cannot be ticked; unticked good rows are left out."""
    path = tmp_path / "events.csv"
    path.write_text("Date;Title;Places;Tags;Detained;Notes\n"
                    "2020-11-08;Sunday march;minsk;protest, detention;340;x\n"
                    "2020-11-15;March after Bandarenka's death;minsk;protest;390;y\n"
                    "2020-11-3x;Bad date row;;;;\n"
                    "2020-11-22;Unknown tag;minsk;no-such-tag;;\n"
                    "2020-11-29;Left out by hand;minsk;protest;10;\n",
                    encoding="utf-8")  # fmt: skip
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    assert wizard.currentId() == PAGE_CSV
    page = wizard.csv_page
    # csv_io's header recognition fills the mapping; its first records are shown raw.
    assert page.boxes["detained"].currentData() == "Detained"
    assert page.boxes["title"].currentData() == "Title"
    assert page.boxes["description"].currentData() == ""
    assert page.sample.rowCount() == 5 and page.sample.item(2, 0).text() == "2020-11-3x"
    # Unmapping a recognised column means it is not read at all.
    page.boxes["tags"].setCurrentIndex(0)
    assert page.isComplete()
    page.boxes["tags"].setCurrentIndex(page.boxes["tags"].findData("Tags"))
    wizard.next()
    assert wizard.currentId() == PAGE_CSV_PREVIEW
    preview = wizard.csv_preview_page
    qtbot.waitUntil(lambda: not preview.loading and preview.model.rowCount() == 5,
                    timeout=10_000)  # fmt: skip
    model = preview.model
    bad = dict(model.bad_rows())
    assert set(bad) == {4, 5}
    assert "not a date" in bad[4] and "no-such-tag" in bad[5]
    assert model.index(2, COL_CSV_ROW).data() == "4"
    assert bad[4] in model.index(2, COL_CSV_TITLE).data()
    assert not model.flags(model.index(2, COL_ACCEPT)) & Qt.ItemFlag.ItemIsUserCheckable
    assert "2 rows cannot be imported" in preview.header.text()
    assert "Notes" in preview.header.text()  # a column nothing is read from
    model.setData(model.index(4, COL_ACCEPT), Qt.CheckState.Unchecked.value,
                  Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    assert model.accepted_rows() == [2, 3]
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as done:
        wizard.next()
    assert wizard.currentId() == PAGE_COMMIT
    assert len(done.args[0].event_uuids) == 2
    with ctx.catalogue.reader.connect() as conn:
        rows = queries.list_events(conn, EventFilter())
    assert sorted((r.title, r.detained) for r in rows) == [
        ("March after Bandarenka's death", 390),
        ("Sunday march", 340),
    ]
    with ctx.catalogue.session() as session:
        sql = "SELECT after_json FROM auditentry WHERE action = 'import.csv'"
        entry = session.connection().exec_driver_sql(sql).scalar_one()
    assert '"rows_chosen": 2' in entry or '"rows_chosen":2' in entry


def test_csv_import_can_be_cancelled(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    lines = ["title,date"] + [f"Event {i},2020-11-{1 + i % 28:02d}" for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.csv_preview_page.loading, timeout=20_000)
    assert len(wizard.csv_preview_page.model.accepted_rows()) == 3000
    wizard.next()
    wizard.commit_page.cancel()  # queued before the writer's first check
    qtbot.waitUntil(lambda: wizard.commit_page.isComplete(), timeout=30_000)
    assert "cancelled" in wizard.commit_page.status.text()
    assert _count(ctx.catalogue) == 0


CHRONICLES = Path(__file__).parent / "fixtures" / "chronicles"


def test_the_wizard_offers_the_same_incident_side_by_side(
    qtbot: QtBot, ctx: AppContext, catalogue: Catalogue
) -> None:
    from belarchive.gui.dialogs.import_model import COL_SAME
    from belarchive.services.importing import commit_chronicle, preview_chronicle
    from belarchive.storage.detail import load_event_detail

    first = commit_chronicle(
        catalogue, "anna", preview_chronicle(catalogue, CHRONICLES / "ru-digest-2020-11.md")
    )
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    _to_preview(qtbot, wizard, CHRONICLES / "en-daily-2020-11.md")
    page, proposals = wizard.preview_page, wizard.proposals
    asked = [row for row, same in enumerate(proposals.same) if same.asked]
    assert len(asked) >= 3 and not page.table.isColumnHidden(COL_SAME)
    march = next(r for r in asked if proposals.items[r].title.startswith("Sunday's March"))
    page.table.selectRow(march)
    assert page.same_box.isVisible() and "Марш против террора" in page.other.toPlainText()
    assert "Sunday's March Against Terror" in page.details.toPlainText()  # side by side
    assert page.model.index(march, COL_SAME).data().startswith("→ Марш против террора")
    keep, skip = [r for r in asked if r != march][:2]
    page.table.selectRow(keep)
    page.buttons["new"].click()
    page.table.selectRow(skip)
    page.buttons["skip"].click()
    assert page.model.index(keep, COL_SAME).data() == "keep as new"
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as done:
        wizard.next()
    result = done.args[0]
    assert result.skipped == 1 and len(result.event_uuids) == len(proposals) - len(asked) + 1
    target = proposals.same[march].choice.removeprefix("link:")
    assert target in result.linked and target in first.event_uuids
    with catalogue.session() as s:
        linked = load_event_detail(s, target)
    assert {c.source.publisher for c in linked.citations} >= {"Вясна", "Viasna"}
