"""The review queue over a real catalogue: order, what is shown beside each event, the
decisions with their rules, skipping, the status-bar count, and changes from elsewhere."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, open_window, wait_idle
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from belarchive.errors import PermissionDenied
from belarchive.gui.evidence.viewer import EvidenceViewer
from belarchive.gui.main_window import MainWindow
from belarchive.gui.review.queue import ReviewQueue
from belarchive.gui.review.summary import copy_link
from belarchive.services import events, sources, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, EventPatch, FigureInput, SourceInput
from belarchive.storage.detail import load_event_detail
from belarchive.storage.review import changes_since_decision, waiting_for_review

pytestmark = pytest.mark.gui
WAIT = 10_000


def in_review(cat: Catalogue, title: str, day: str, *, quote: str = "", by: str = "olga") -> str:
    """An event by ``by``, cited (with a figure from that citation), sent to review."""
    data = EventInput(title=title, date=day, tags=("protest",))
    uuid = events.create_event(cat, by, data).uuid
    source = sources.add_source(cat, by, SourceInput(title=f"Report on {title}",
                                                     kind="ngo_report")).uuid  # fmt: skip
    sources.cite(cat, by, uuid, source, locator="p. 2", quote=quote)
    with cat.session() as session:
        d = load_event_detail(session, uuid)
    figure = FigureInput("detained", 28, qualifier="at_least", citation=d.citations[0].uuid)
    events.update_event(cat, by, uuid, d.version, EventPatch(figures=(figure,)))
    verification.set_status(cat, by, uuid, "in_review")
    time.sleep(0.01)  # distinct request times: the queue's order
    return uuid


@pytest.fixture
def three(catalogue: Catalogue) -> list[str]:
    # Sent to review in this order; the queue shows the oldest request first.
    return [in_review(catalogue, "March in Minsk", "2020-11-15", quote="at least 28 detained"),
            in_review(catalogue, "Chain of solidarity", "2020-11-08"),
            in_review(catalogue, "Pensioners' march", "2020-11-02")]  # fmt: skip


@pytest.fixture
def window(qtbot: QtBot, catalogue: Catalogue, tmp_path: Path) -> Iterator[MainWindow]:
    w = open_window(qtbot, catalogue, "viktor", tmp_path)
    yield w
    close_window(w)


def queue_of(qtbot: QtBot, window: MainWindow, count: int) -> ReviewQueue:
    window.open_review_queue()
    queue = window.review_queue
    qtbot.waitUntil(lambda: queue.model.rowCount() == count and queue.detail is not None,
                    timeout=WAIT)  # fmt: skip
    return queue


def test_the_queue_lists_requests_oldest_first_and_skips_withdrawn(
    catalogue: Catalogue, three: list[str]
) -> None:
    gone = in_review(catalogue, "Duplicate", "2020-11-15")
    with catalogue.session() as session:
        version = load_event_detail(session, gone).version
    events.delete_event(catalogue, "anna", gone, version, "duplicate of the march")
    with catalogue.session() as session:
        waiting = waiting_for_review(session.connection())
    assert [w.uuid for w in waiting] == three
    assert all(w.sent_by == "olga" and w.is_for("viktor") and not w.is_for("olga")
               for w in waiting)  # fmt: skip


def test_each_event_shows_its_quotes_figures_sources_and_history(
    qtbot: QtBot, window: MainWindow, three: list[str]
) -> None:
    queue = queue_of(qtbot, window, 3)
    assert queue.current_uuid() == three[0]
    page = queue.page.toPlainText()
    assert "March in Minsk" in page and "“at least 28 detained”" in page
    assert "≥28" in page and "Report on March in Minsk, p. 2" in page  # the figure's source
    assert "first review" in page and "Status: unverified → in review" in page
    assert "1 of 3 waiting (3 for you)" in queue.position.text()


def test_verify_moves_on_to_the_next_event_and_the_decision_is_recorded(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, three: list[str]
) -> None:
    queue = queue_of(qtbot, window, 3)
    button = queue.verification.buttons["verify"]
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 2 and queue.current_uuid() == three[1]
                    and queue.detail is not None and queue.detail.uuid == three[1],
                    timeout=WAIT)  # fmt: skip
    with catalogue.session() as session:
        d = load_event_detail(session, three[0])
    assert d.status == "verified" and d.status_history[-1].reviewer == "viktor"


def test_dispute_and_send_back_need_a_note_said_beside_the_button(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, three: list[str]
) -> None:
    queue = queue_of(qtbot, window, 3)
    tab = queue.verification
    for key in ("dispute", "reject", "send_back"):
        assert not tab.buttons[key].isEnabled()
        assert "note" in tab.reasons[key].text() or "reason" in tab.reasons[key].text()
    qtbot.keyClicks(tab.note, "The figure is from a different day")
    assert tab.buttons["send_back"].isEnabled()
    qtbot.mouseClick(tab.buttons["send_back"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 2, timeout=WAIT)
    with catalogue.session() as session:
        d = load_event_detail(session, three[0])
    assert d.status == "unverified"
    assert d.status_history[-1].note == "The figure is from a different day"
    with pytest.raises(PermissionDenied, match="needs a note"):  # the same rule in the core
        verification.set_status(catalogue, "viktor", three[1], "unverified", "")


def test_four_eyes_the_reviewers_own_edit_cannot_be_verified_by_them(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue
) -> None:
    in_review(catalogue, "Edited by the reviewer", "2020-11-15", by="viktor")
    in_review(catalogue, "Edited by the archivist", "2020-11-16")
    queue = queue_of(qtbot, window, 2)
    assert not queue.verification.buttons["verify"].isEnabled()
    assert "another reviewer" in queue.verification.reasons["verify"].text()
    assert "(1 for you)" in queue.position.text()
    qtbot.waitUntil(lambda: window.review_count.count == 1, timeout=WAIT)  # counted after 0.5 s
    assert window.review_count.text() == "1 waiting for you" and window.review_count.isVisible()


def test_keyboard_next_previous_and_skip(qtbot: QtBot, window: MainWindow,
                                         three: list[str]) -> None:  # fmt: skip
    queue = queue_of(qtbot, window, 3)
    queue.activateWindow()
    qtbot.waitUntil(queue.isActiveWindow, timeout=WAIT)
    control = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(queue.list, Qt.Key.Key_Down, control)
    qtbot.waitUntil(lambda: queue.detail is not None and queue.detail.uuid == three[1],
                    timeout=WAIT)  # fmt: skip
    qtbot.keyClick(queue.list, Qt.Key.Key_Up, control)
    assert queue.current_uuid() == three[0] and not queue.buttons["previous"].isEnabled()
    qtbot.keyClick(queue.list, Qt.Key.Key_K, control)  # skip: the first goes to the end
    qtbot.waitUntil(lambda: queue.current_uuid() == three[1], timeout=WAIT)
    assert [w.uuid for w in queue.waiting] == [three[1], three[2], three[0]]
    assert "Skipped" in queue.model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_a_change_made_elsewhere_reaches_the_queue_and_a_stale_decision_is_refused(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, three: list[str]
) -> None:
    queue = queue_of(qtbot, window, 3)
    # Vera verifies the second event from another desk: it leaves viktor's queue.
    verification.set_status(catalogue, "vera", three[1], "verified")
    qtbot.waitUntil(lambda: queue.model.rowCount() == 2, timeout=WAIT)
    # Olga edits the first after viktor opened it: his decision is on an old version.
    with catalogue.session() as session:
        version = load_event_detail(session, three[0]).version
    assert queue.detail is not None and queue.detail.version == version
    events.update_event(catalogue, "olga", three[0], version, EventPatch(title="March (fixed)"))
    queue.decide("verified", "")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: queue.detail is not None and queue.detail.title == "March (fixed)",
                    timeout=WAIT)  # fmt: skip
    with catalogue.session() as session:
        assert load_event_detail(session, three[0]).status == "in_review"


def test_an_archived_copy_opens_in_the_evidence_viewer(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, tmp_path: Path
) -> None:
    uuid = in_review(catalogue, "With a copy", "2020-11-15", quote="28 detained")
    (tmp_path / "report.txt").write_text("Minsk: 28 detained at the metro.", encoding="utf-8")
    with catalogue.session() as session:
        source = load_event_detail(session, uuid).citations[0]
    sources.attach_file(catalogue, "olga", source.source.uuid, tmp_path / "report.txt")
    queue = queue_of(qtbot, window, 1)
    qtbot.waitUntil(lambda: "View “report.txt”" in queue.page.toPlainText(), timeout=WAIT)
    sha = queue.detail.citations[0].source.attachments[0].sha256  # type: ignore[union-attr]
    queue.page.anchorClicked.emit(QUrl(copy_link(source.uuid, sha)))
    viewer = queue.findChild(EvidenceViewer)
    assert viewer is not None
    qtbot.waitUntil(lambda: "line 1" in viewer.found.text(), timeout=WAIT)
    viewer.close()


def test_what_changed_since_the_last_decision(catalogue: Catalogue) -> None:
    uuid = in_review(catalogue, "March", "2020-11-15")
    verification.set_status(catalogue, "viktor", uuid, "verified")
    with catalogue.session() as session:
        version = load_event_detail(session, uuid).version
    events.update_event(catalogue, "olga", uuid, version, EventPatch(title="March, corrected"))
    with catalogue.session() as session:
        since = changes_since_decision(session, uuid)
    assert since.decided_by == "viktor" and since.decision == "verified"
    # The edit, and the return to review it caused: nothing from before the decision.
    assert sorted(e.action for e in since.entries) == ["event.status", "event.update"]
    assert all(e.user == "olga" for e in since.entries)


def test_an_archivist_has_no_count_in_the_status_bar(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, three: list[str]
) -> None:
    w = open_window(qtbot, catalogue, "olga", tmp_path)
    try:
        qtbot.wait(100)
        assert not w.review_count.isVisible() and w.review_count.count == 0
    finally:
        close_window(w)
