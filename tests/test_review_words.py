"""The verified flow in words: a substantive edit to a verified event asks first and says
it sends the event back to review; afterwards the editor and the dossier say who verified
it and who reopened it, never "decided by" the person whose edit reopened it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window, wait_idle
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from test_dossier_fixtures import needs_poppler, pdftotext, squash

from belarchive.domain.review_story import review_story
from belarchive.exporting.pdf import DossierOptions, build_dossier
from belarchive.services import events, verification
from belarchive.services.catalogue import Catalogue
from belarchive.storage.detail import load_event_detail


@pytest.fixture
def verified(catalogue: Catalogue) -> str:
    uuid = make_event(catalogue, "olga", "Detentions in Grodno", date="2020-11-08",
                      places=("Grodno",), language="en", cited=True)  # fmt: skip
    for who, status in (("olga", "in_review"), ("viktor", "verified")):
        version = events.event_detail(catalogue, uuid)["version"]
        verification.set_status(catalogue, who, uuid, status, "", expected_version=version)
    return uuid


def _answer(button_text: str | None) -> list[str]:
    asked: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox) and box.objectName() == "reopenBox"
        asked.append(box.text())
        if button_text is None:
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(50, press)
    return asked


@pytest.mark.gui
def test_an_edit_to_a_verified_event_asks_and_then_says_who_reopened_it(
    qtbot: QtBot, catalogue: Catalogue, verified: str, tmp_path: Path
) -> None:
    w = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        assert w.browser is not None and w.editor is not None
        editor = w.editor
        assert w.browser.select_uuid(verified)
        assert editor.verification.story.text().startswith("Decided by viktor on ")
        editor.details.title.setText("Mass detentions in Grodno")
        asked = _answer(None)
        w.actions_.save.trigger()
        assert asked and "sends it back to review" in asked[0]
        assert editor.dirty and editor.details.title.text() == "Mass detentions in Grodno"
        with catalogue.session() as session:
            assert load_event_detail(session, verified).status == "verified"
        _answer("Save and send to review")
        w.actions_.save.trigger()
        wait_idle(qtbot, w)
        qtbot.waitUntil(lambda: not editor.dirty, timeout=WAIT_MS)
        with catalogue.session() as session:
            assert load_event_detail(session, verified).status == "in_review"
        story = editor.verification.story.text()
        assert story.startswith("Verified by viktor on ") and "sent back to review by olga" in story
    finally:
        close_window(w)


def test_an_edit_that_changes_nothing_of_substance_does_not_ask(
    catalogue: Catalogue, verified: str
) -> None:
    from belarchive.gui.editor.editor import reopens
    from belarchive.services.inputs import EventPatch

    assert reopens(EventPatch(title="x")) and reopens(EventPatch(clear_date=True))
    assert not reopens(EventPatch(tags=("protest",)))


@needs_poppler
def test_the_dossier_says_verified_then_reopened_not_decided(
    catalogue: Catalogue, verified: str, tmp_path: Path
) -> None:
    version = events.event_detail(catalogue, verified)["version"]
    from belarchive.services.inputs import EventPatch

    events.update_event(catalogue, "olga", verified, version, EventPatch(title="Renamed"))
    with catalogue.session() as session:
        detail = load_event_detail(session, verified)
    story = review_story(detail.status, detail.status_history)
    assert (story.kind, story.who, story.reopened_by) == ("reopened", "viktor", "olga")
    out = tmp_path / "reopened.pdf"
    build_dossier(catalogue, DossierOptions(template="chronicle"), out)
    text = squash(pdftotext(out))
    assert "verified by viktor on" in text and "sent back to review by olga on" in text
    assert "decided by olga" not in text
