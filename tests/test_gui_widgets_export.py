"""The export dialog over a real temporary catalogue: PDF, CSV and JSON, and cancelling."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from belarchive.gui.context import AppContext
from belarchive.gui.dialogs.export_dialog import ExportDialog
from belarchive.gui.dialogs.export_jobs import PdfChoices, dossier_options
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput
from belarchive.storage.queries import EventFilter

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(catalogue: Catalogue) -> Iterator[AppContext]:
    for day, n in (("2020-11-08", 340), ("2020-11-15", 390), ("2020-12-06", 340)):
        events.create_event(
            catalogue,
            "anna",
            EventInput(
                title=f"Σύλληψεις στο Μινσκ {day}",
                date=day,
                tags=("protest", "detention"),
                places=("minsk",),
                figures=(FigureInput("detained", n, qualifier="at_least"),),
            ),
        )
    context = AppContext(catalogue, "anna", "admin")
    yield context
    context.shutdown()


NOVEMBER = EventFilter(date_from=date(2020, 11, 1), date_to=date(2020, 11, 30), tags=("protest",))


def _export(qtbot: QtBot, dialog: ExportDialog, out: Path) -> None:
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=30_000):
        dialog.export_button.click()
    assert dialog.open_button.isEnabled()


def test_dialog_describes_filter_and_exports_pdf(qtbot: QtBot, ctx: AppContext,
                                                 tmp_path: Path) -> None:  # fmt: skip
    dialog = ExportDialog(ctx, NOVEMBER)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: "2 events" in dialog.selection.text(), timeout=5000)
    assert "2020-11-01" in dialog.selection.text() and "protest" in dialog.selection.text()
    assert dialog.format == "pdf" and dialog.path.text().endswith(".pdf")
    dialog.template.setCurrentIndex(dialog.template.findData("chronicle"))
    dialog.lang.setCurrentIndex(dialog.lang.findData("el"))
    dialog.pseudonymise.setChecked(True)
    out = tmp_path / "dossier.pdf"
    _export(qtbot, dialog, out)
    assert out.read_bytes().startswith(b"%PDF")
    assert "pages" in dialog.status.text()


def test_options_follow_the_choices() -> None:
    opts = dossier_options(NOVEMBER, "βία", "anna", PdfChoices(
        template="chronicle", lang="el", verified_only=True, pseudonymise=True))  # fmt: skip
    assert (opts.template, opts.lang, opts.query, opts.user) == ("chronicle", "el", "βία", "anna")
    assert opts.tags == ("protest",) and opts.date_to == date(2020, 11, 30)
    assert opts.verified_only and opts.pseudonymise and not opts.annotations


def test_csv_and_json(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = ExportDialog(ctx, NOVEMBER)
    qtbot.addWidget(dialog)
    dialog.set_format("csv")
    assert dialog.path.text().endswith(".csv") and not dialog.pdf_box.isEnabled()
    _export(qtbot, dialog, tmp_path / "events.csv")
    with (tmp_path / "events.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["date"] for r in rows] == ["2020-11-08", "2020-11-15"]
    dialog.set_format("json")
    _export(qtbot, dialog, tmp_path / "events.json")
    data = json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert len(data["events"]) == 2


def test_cancel_leaves_no_file(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    dialog = ExportDialog(ctx, EventFilter())
    qtbot.addWidget(dialog)
    out = tmp_path / "cancelled.pdf"
    dialog.path.setText(str(out))
    dialog.start()
    dialog.task.cancel()  # before the pool thread's first check: the export stops there
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert "cancelled" in dialog.status.text().lower()
    assert not out.exists()


def test_csv_is_the_exporting_packages_with_a_bom_choice(qtbot: QtBot, ctx: AppContext,
                                                        tmp_path: Path) -> None:  # fmt: skip
    from belarchive.exporting.csv_io import COLUMNS
    from belarchive.importing.csv_io import preview_csv

    dialog = ExportDialog(ctx, NOVEMBER)
    qtbot.addWidget(dialog)
    assert not dialog.bom.isEnabled()
    dialog.set_format("csv")
    assert dialog.bom.isEnabled() and dialog.bom.isChecked()
    _export(qtbot, dialog, tmp_path / "bom.csv")
    assert (tmp_path / "bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    dialog.bom.setChecked(False)
    _export(qtbot, dialog, tmp_path / "plain.csv")
    data = (tmp_path / "plain.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8").splitlines()[0]
    assert header.split(",") == list(COLUMNS)
    # The importer reads the exporter's file back: one CSV format both ways.
    preview = preview_csv(tmp_path / "plain.csv")
    assert [r.event.date for r in preview.rows if r.event] == ["2020-11-08", "2020-11-15"]
    assert not preview.bad_rows


def test_json_of_the_whole_catalogue_keeps_deleted_events(qtbot: QtBot, ctx: AppContext,
                                                         tmp_path: Path) -> None:  # fmt: skip
    from belarchive.services import events as ev

    with ctx.catalogue.reader.connect() as conn:
        gone, version = conn.exec_driver_sql("SELECT uuid, version FROM event LIMIT 1").one()
    ev.delete_event(ctx.catalogue, "anna", gone, version, "duplicate")
    dialog = ExportDialog(ctx, EventFilter())
    qtbot.addWidget(dialog)
    dialog.set_format("json")
    _export(qtbot, dialog, tmp_path / "all.json")
    data = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(data["events"]) == 3  # a complete export: the deleted event too
