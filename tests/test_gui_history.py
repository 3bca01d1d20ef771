"""The History tab in words: field names and statuses as the interface calls them, old →
new, dates as people write them, in the interface language; and history that came with an
event from another catalogue shown with its origin."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot
from support import PASSPHRASE

from belarchive.exporting.json_io import export_json
from belarchive.gui import i18n
from belarchive.gui.editor.history_tab import HistoryTab, Words
from belarchive.importing.json_io import import_json
from belarchive.services import events, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventPatch
from belarchive.storage.detail import event_audit

pytestmark = pytest.mark.gui


@pytest.fixture
def edited(catalogue: Catalogue) -> str:
    uuid = make_event(catalogue, "olga", "Detentions in Grodno", date="2020-11-08",
                      tags=("detention",), places=("Grodno",), language="en")  # fmt: skip
    version = events.event_detail(catalogue, uuid)["version"]
    renamed = EventPatch(title="Mass detentions in Grodno", date="2020-11-15")
    events.update_event(catalogue, "olga", uuid, version, renamed)
    version = events.event_detail(catalogue, uuid)["version"]
    verification.set_status(catalogue, "viktor", uuid, "in_review", "", expected_version=version)
    return uuid


def _lines(tab: HistoryTab) -> list[str]:
    tree = tab.tree
    found = []
    for i in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(i)
        assert item is not None
        found += [item.child(k).text(0) for k in range(item.childCount())]  # type: ignore[union-attr]
    return found


def test_changes_read_as_words_not_field_names(
    qtbot: QtBot, catalogue: Catalogue, edited: str
) -> None:
    tab = HistoryTab()
    qtbot.addWidget(tab)
    tab.set_tag_labels({"detention": "Detention"})
    with catalogue.session() as session:
        tab.load(event_audit(session, edited))
    lines = "\n".join(_lines(tab))
    assert "Title: Detentions in Grodno → Mass detentions in Grodno" in lines
    assert "Date: 8 November 2020 → 15 November 2020" in lines
    assert "Status: unverified → in review" in lines
    assert "Tags: Detention" in lines
    for raw in ("date_edtf", "in_review", "date_earliest", "title:"):
        assert raw not in lines
    when = tab.tree.topLevelItem(0).text(0)  # type: ignore[union-attr]
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    assert any(month in when for month in months) and "T" not in when


def test_the_history_reads_in_russian(qtbot: QtBot, catalogue: Catalogue, edited: str) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    i18n.install(app, "ru")
    try:
        tab = HistoryTab()
        qtbot.addWidget(tab)
        with catalogue.session() as session:
            tab.load(event_audit(session, edited))
        lines = "\n".join(_lines(tab))
        assert i18n.tr("Title") != "Title" and f"{i18n.tr('Title')}: " in lines
        assert "ноября 2020" in lines  # dates in words, in Russian
        assert i18n.tr("in review") in lines and "in_review" not in lines
    finally:
        i18n.uninstall(app)


def test_history_imported_from_another_catalogue_names_its_origin(
    qtbot: QtBot, catalogue: Catalogue, edited: str, tmp_path: Path
) -> None:
    exported = tmp_path / "field-laptop.json"
    export_json(catalogue, exported)
    team = Catalogue.create(tmp_path / "Team.belarchive", admin="anna", passphrase=PASSPHRASE)
    import_json(team, "anna", exported)
    w = open_window(qtbot, team, "anna", tmp_path)
    try:
        assert w.browser is not None and w.editor is not None
        assert w.browser.select_uuid(edited)
        tree = w.editor.history.tree
        users = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]  # type: ignore[union-attr]
        origin = catalogue.catalogue_id[:8]
        assert f"olga (catalogue {origin})" in users and f"viktor (catalogue {origin})" in users
        assert any(u == "anna" for u in users)  # the import itself, in this catalogue's chain
        assert "Mass detentions in Grodno" in "\n".join(_lines(w.editor.history))
    finally:
        close_window(w)


def test_a_running_total_and_a_withdrawal_read_as_such() -> None:
    words = Words()
    figures = [{"kind": "detained", "value_min": 25000, "value_max": None,
                "qualifier": "more_than", "scope": "period"}]  # fmt: skip
    assert words.diff(None, '{"title": "x", "figures": ' + str(figures).replace("'", '"')
                      .replace("None", "null") + "}")[1] == (
        "Figures: detained >25000 (running total)")  # fmt: skip
    assert words.diff('{"deleted": false}', '{"deleted": true, "reason": "duplicate"}') == [
        "Withdrawn: no → yes", "Reason: duplicate"]  # fmt: skip
