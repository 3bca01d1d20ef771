"""Bulk edits from the main window over a real catalogue: the selected rows, the dialog, one
transaction, one undo step, and a batch that fails or is cancelled changing nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import close_window, make_event, open_window, wait_idle
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from belarchive.gui.dialogs.bulk_dialog import PLACE, REVIEW, TAG, BulkDialog
from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS
from belarchive.services import events, verification
from belarchive.services.catalogue import Catalogue
from belarchive.storage.detail import EventDetail, load_event_detail

pytestmark = pytest.mark.gui
WAIT = 10_000


def _detail(cat: Catalogue, uuid: str) -> EventDetail:
    with cat.session() as session:
        return load_event_detail(session, uuid)


@pytest.fixture
def four(catalogue: Catalogue) -> list[str]:
    return [make_event(catalogue, "olga", f"March {day}", date=f"2020-11-{day:02d}",
                       tags=("protest",)) for day in (1, 8, 15, 22)]  # fmt: skip


@pytest.fixture
def window(
    qtbot: QtBot, catalogue: Catalogue, tmp_path: Path, four: list[str]
) -> Iterator[MainWindow]:
    w = open_window(qtbot, catalogue, "olga", tmp_path)
    assert w.browser is not None
    qtbot.waitUntil(lambda: w.browser.model.rowCount() == 4, timeout=WAIT)  # type: ignore[union-attr]
    yield w
    close_window(w)


def select_rows(window: MainWindow, rows: list[int]) -> list[str]:
    browser = window.browser
    assert browser is not None
    selection = browser.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(browser.model.index(row, 0), flags)
    uuids = browser.selected_uuids()
    assert uuids is not None and len(uuids) == len(rows)
    return uuids


def answer(dialog: BulkDialog | None, text: str) -> None:
    assert dialog is not None
    if dialog.kind == REVIEW:
        dialog.note.setText(text)
    else:
        dialog.choice.setEditText(text)
    dialog._accept()


def test_tag_three_selected_events_in_one_undo_step(qtbot: QtBot, window: MainWindow,
                                                    catalogue: Catalogue) -> None:  # fmt: skip
    chosen = select_rows(window, [0, 2, 3])
    answer(window.bulk.ask(TAG), "Detention")  # the tag's label, as typed
    wait_idle(qtbot, window)
    assert all("detention" in _detail(catalogue, u).tags for u in chosen)
    assert "Tagged 3 events; 0 already had the tag." in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    assert all(_detail(catalogue, u).tags == ("protest",) for u in chosen)
    window.undo_stack.redo()
    wait_idle(qtbot, window)
    assert all("detention" in _detail(catalogue, u).tags for u in chosen)


def test_a_large_batch_runs_in_a_process_of_its_own_and_undoes_there_too(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.gui.views import browser as browser_view
    from belarchive.services import bulk_apart

    monkeypatch.setattr(bulk_apart, "APART_FROM", 2)  # "large" from two events on
    monkeypatch.setattr(browser_view, "LARGE_CHANGE", 2)  # the list counts on the pool
    started: list[int] = []
    real = bulk_apart._apart
    monkeypatch.setattr(bulk_apart, "_apart", lambda *a: started.append(1) or real(*a))
    chosen = select_rows(window, [0, 1, 3])
    answer(window.bulk.ask(TAG), "Detention")
    wait_idle(qtbot, window)
    assert started == [1] and all("detention" in _detail(catalogue, u).tags for u in chosen)
    assert "Tagged 3 events" in window.statusBar().currentMessage()
    # The list heard of the other process's write and shows it.
    browser = window.browser
    assert browser is not None
    qtbot.waitUntil(lambda: "detention" in str(browser.model.index(0, 0).model().data(
        browser.model.index(0, COLUMNS.index("tags")))).lower(), timeout=WAIT)  # fmt: skip
    qtbot.waitUntil(lambda: browser.model.exact, timeout=WAIT)
    assert sorted(browser.selected_uuids() or []) == sorted(chosen)  # rows and selection kept
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    assert started == [1, 1] and all(_detail(catalogue, u).tags == ("protest",) for u in chosen)


def test_the_column_titles_do_not_ask_the_selection_about_columns(window: MainWindow) -> None:
    """Whole rows are selected; the titles' own selection stays empty (see browser.py)."""
    browser = window.browser
    assert browser is not None
    select_rows(window, [0, 1, 2, 3])
    header = browser.table.horizontalHeader()
    assert header.selectionModel() is not browser.table.selectionModel()
    assert not header.selectionModel().hasSelection()


def test_review_request_counts_what_it_left_alone(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue, four: list[str]
) -> None:
    verification.set_status(catalogue, "olga", four[1], "in_review")
    select_rows(window, [0, 1, 2, 3])
    answer(window.bulk.ask(REVIEW), "Please check the figures")
    wait_idle(qtbot, window)
    assert all(_detail(catalogue, u).status == "in_review" for u in four)
    message = window.statusBar().currentMessage()
    assert "Sent 3 events to review; 1 were not unverified" in message
    window.undo_stack.undo()  # back to unverified, with the undo named in their history
    wait_idle(qtbot, window)
    assert _detail(catalogue, four[1]).status == "in_review"  # not part of the batch
    undone = [_detail(catalogue, u) for u in (four[0], four[2], four[3])]
    assert all(d.status == "unverified" and d.status_history[-1].note == "Review request "
               "undone." for d in undone)  # fmt: skip


def test_a_batch_that_fails_changes_nothing_and_names_the_event(
    qtbot: QtBot, window: MainWindow, catalogue: Catalogue
) -> None:
    chosen = select_rows(window, [0, 1, 2])
    dialog = window.bulk.ask(PLACE)
    # Someone withdraws one of them while the dialog is open.
    doomed = _detail(catalogue, chosen[1])
    events.delete_event(catalogue, "anna", chosen[1], doomed.version, "duplicate")
    answer(dialog, "Minsk")
    wait_idle(qtbot, window)
    box = window.findChild(QMessageBox, "errorBox")
    assert box is not None and f"“{doomed.title}” is withdrawn" in box.text()
    assert all(_detail(catalogue, u).places == () for u in chosen)
    assert window.undo_stack.count() == 0
    box.close()


def test_nothing_selected_says_so(window: MainWindow) -> None:
    select_rows(window, [])
    assert window.bulk.ask(TAG) is None
    assert "Select events in the list first" in window.statusBar().currentMessage()


def test_cancel_leaves_every_event_as_it_was(qtbot: QtBot, window: MainWindow,
                                             catalogue: Catalogue) -> None:  # fmt: skip
    chosen = select_rows(window, [0, 1])
    window.bulk._cancel.set()  # as if Cancel was pressed before the first chunk
    original = window.bulk._cancel.clear
    window.bulk._cancel.clear = lambda: None  # type: ignore[method-assign]
    try:
        window.bulk.run(TAG, "detention", chosen)
        wait_idle(qtbot, window)
    finally:
        window.bulk._cancel.clear = original  # type: ignore[method-assign]
    assert "Cancelled; no event was changed." in window.statusBar().currentMessage()
    assert all(_detail(catalogue, u).tags == ("protest",) for u in chosen)


def test_the_list_offers_the_bulk_actions_on_a_right_click(window: MainWindow) -> None:
    browser = window.browser
    assert browser is not None
    texts = [a.text().replace("&", "") for a in browser.table.actions()]
    assert "Tag selected events…" in texts and "Request review for selected…" in texts


def test_merge_the_selected_events_choosing_the_title(qtbot: QtBot, window: MainWindow,
                                                      catalogue: Catalogue) -> None:  # fmt: skip
    from belarchive.gui.dialogs.merge_dialog import MergeDialog

    chosen = select_rows(window, [0, 1])
    window.undo_stack.push(_Marker())  # an older undo step must not survive the merge
    dialog = window.bulk.ask_merge()
    assert isinstance(dialog, MergeDialog)
    keep, other = dialog.kept(), dialog.others()[0]
    titles = [dialog.fields["title"].itemText(i) for i in range(dialog.fields["title"].count())]
    assert len(titles) == 2
    dialog.fields["title"].setCurrentIndex(1)  # the other record's title
    dialog.accept()
    wait_idle(qtbot, window)
    kept, gone = _detail(catalogue, keep), _detail(catalogue, other)
    assert kept.title == titles[1] and gone.title == titles[1]  # the duplicate keeps its own
    assert gone.deleted and gone.merged_into == keep and set(chosen) == {keep, other}
    assert window.undo_stack.count() == 0 and not window.undo_stack.canUndo()
    assert "Undo cannot reverse a merge" in window.statusBar().currentMessage()
    assert window.editor is not None and window.editor.uuid == keep


def test_merge_needs_two_selected_events(window: MainWindow) -> None:
    select_rows(window, [0])
    assert window.bulk.ask_merge() is None
    assert "Select from 2 to 20 events" in window.statusBar().currentMessage()


class _Marker(QUndoCommand):
    def __init__(self) -> None:
        super().__init__("older step")
        self.first = True

    def redo(self) -> None:
        self.first = False
