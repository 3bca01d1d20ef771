"""One current event: the row selected in the list decides what the editor shows, on every
path that changes either one, and unsaved edits never travel to another event.

Each test drives the real window over a real catalogue and ends by checking the two agree.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_conftest_helpers import WAIT_MS, close_window, make_event, open_window, wait_idle
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from belarchive.gui.main_window import MainWindow
from belarchive.gui.models.event_table import COLUMNS, UuidRole
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventPatch
from belarchive.storage.detail import load_event_detail

pytestmark = pytest.mark.gui


@pytest.fixture
def made(catalogue: Catalogue) -> dict[str, str]:
    return {
        "march": make_event(catalogue, "olga", "Protest march in Minsk", date="2020-11-08",
                            tags=("protest",), places=("Minsk",), language="en"),
        "arrests": make_event(catalogue, "olga", "Detentions at Pushkinskaya", date="2020-11-15",
                              tags=("detention",), places=("Minsk",), language="en"),
        "statement": make_event(catalogue, "olga", "Statement of the ministry", date="2020-10-02",
                                tags=("statement",), language="en"),
        "vigil": make_event(catalogue, "olga", "Vigil in Grodno", date="2020-11-20",
                            tags=("protest",), places=("Grodno",), language="en"),
    }  # fmt: skip


@pytest.fixture
def window(
    qtbot: QtBot, catalogue: Catalogue, made: dict[str, str], tmp_path: Path
) -> Iterator[MainWindow]:
    w = open_window(qtbot, catalogue, "olga", tmp_path, search=True)
    yield w
    close_window(w)


def parts(w: MainWindow) -> tuple:  # type: ignore[type-arg]
    assert w.browser is not None and w.editor is not None
    return w.browser, w.editor


def select(w: MainWindow, uuid: str) -> None:
    browser, editor = parts(w)
    assert browser.select_uuid(uuid)
    assert editor.uuid == uuid


def listed(w: MainWindow) -> list[str]:
    browser, _ = parts(w)
    return [browser.model.index(r, 0).data(UuidRole) for r in range(browser.model.rowCount())]


def assert_in_step(w: MainWindow) -> None:
    """The invariant: the selected row is the editor's event; a new event or an event no
    longer listed (kept only for its unsaved edits) has no row selected."""
    browser, editor = parts(w)
    if editor.is_new or (editor.uuid is not None and editor.uuid not in listed(w)):
        assert browser.current_uuid() is None
        assert editor.is_new or editor.dirty
    else:
        assert browser.current_uuid() == editor.uuid


def answer_next_question(button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(50, press)
    return asked


def edit_title(qtbot: QtBot, w: MainWindow, text: str) -> None:
    _, editor = parts(w)
    editor.details.title.selectAll()
    qtbot.keyClicks(editor.details.title, text)
    assert editor.dirty


def test_clicking_a_row_shows_its_event(window: MainWindow, made: dict[str, str]) -> None:
    browser, editor = parts(window)
    row = listed(window).index(made["statement"])
    browser.table.selectRow(row)
    assert editor.uuid == made["statement"]
    assert editor.details.title.text() == "Statement of the ministry"
    assert_in_step(window)


def test_new_then_save_shows_and_selects_the_new_event(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    """Ctrl+N, then Ctrl+S with a row selected used to jump back to that row's event."""
    browser, editor = parts(window)
    select(window, made["march"])
    window.actions_.new_event.trigger()
    assert editor.is_new and browser.current_uuid() is None
    qtbot.keyClicks(editor.details.title, "Students detained at the university")
    qtbot.keyClicks(editor.details.date, "2020-10-12")
    window.actions_.save.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: not editor.is_new, timeout=WAIT_MS)
    assert editor.details.title.text() == "Students detained at the university"
    assert editor.uuid not in made.values() and browser.current_uuid() == editor.uuid
    assert_in_step(window)


def test_cancelling_the_discard_question_puts_the_highlight_back(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser, editor = parts(window)
    select(window, made["march"])
    edit_title(qtbot, window, "Protest march in Minsk (edited)")
    asked = answer_next_question(QMessageBox.StandardButton.Cancel)
    browser.table.selectRow(listed(window).index(made["vigil"]))
    assert asked, "the discard question was not asked"
    assert editor.uuid == made["march"] and browser.current_uuid() == made["march"]
    assert editor.details.title.text() == "Protest march in Minsk (edited)"
    assert_in_step(window)


def test_discarding_shows_the_row_chosen(
    qtbot: QtBot, window: MainWindow, made: dict[str, str], catalogue: Catalogue
) -> None:
    browser, editor = parts(window)
    select(window, made["march"])
    edit_title(qtbot, window, "Never saved")
    answer_next_question(QMessageBox.StandardButton.Discard)
    browser.table.selectRow(listed(window).index(made["vigil"]))
    assert editor.uuid == made["vigil"] and not editor.dirty
    with catalogue.session() as session:
        assert load_event_detail(session, made["march"]).title == "Protest march in Minsk"
    assert_in_step(window)


def test_a_filter_that_leaves_the_event_out_empties_a_clean_editor(
    window: MainWindow, made: dict[str, str]
) -> None:
    browser, editor = parts(window)
    select(window, made["march"])
    browser.facets.tick("tags", "detention")
    assert listed(window) == [made["arrests"]]
    assert editor.uuid is None and browser.current_uuid() is None
    browser.facets.tick("tags", "detention", on=False)
    assert_in_step(window)


def test_a_filter_that_leaves_an_edited_event_out_keeps_its_edits_and_says_so(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser, editor = parts(window)
    select(window, made["march"])
    edit_title(qtbot, window, "March, edited")
    browser.facets.tick("tags", "detention")
    assert editor.uuid == made["march"] and editor.details.title.text() == "March, edited"
    assert browser.current_uuid() is None
    assert "Not in the list" in editor.heading.text()
    assert_in_step(window)
    browser.facets.tick("tags", "detention", on=False)
    assert (
        browser.current_uuid() == made["march"] and "Not in the list" not in editor.heading.text()
    )
    assert editor.details.title.text() == "March, edited"
    assert_in_step(window)


def test_sorting_keeps_the_event_selected(window: MainWindow, made: dict[str, str]) -> None:
    from PySide6.QtCore import Qt

    browser, editor = parts(window)
    select(window, made["statement"])
    before = listed(window).index(made["statement"])
    browser.table.sortByColumn(COLUMNS.index("title"), Qt.SortOrder.AscendingOrder)
    assert listed(window).index(made["statement"]) != before
    assert editor.uuid == made["statement"] == browser.current_uuid()
    assert_in_step(window)


def test_a_search_keeps_a_matching_event_and_drops_one_that_does_not_match(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser, editor = parts(window)
    select(window, made["march"])
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("Minsk")
    assert made["march"] in listed(window) and browser.current_uuid() == made["march"]
    with qtbot.waitSignal(browser.search.results, timeout=WAIT_MS):
        browser.search.set_query("Grodno")
    assert listed(window) == [made["vigil"]]
    assert editor.uuid is None and browser.current_uuid() is None
    assert_in_step(window)


def test_a_delete_leaves_nothing_selected_and_nothing_in_the_editor(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser, editor = parts(window)
    select(window, made["vigil"])
    editor.delete("A duplicate of another report")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: made["vigil"] not in listed(window), timeout=WAIT_MS)
    assert editor.uuid is None and browser.current_uuid() is None
    browser.table.selectRow(0)
    assert_in_step(window)


def test_undo_and_redo_bring_the_event_they_change_into_view(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    browser, editor = parts(window)
    select(window, made["march"])
    edit_title(qtbot, window, "Protest march, renamed")
    window.actions_.save.trigger()
    wait_idle(qtbot, window)
    select(window, made["statement"])
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: editor.uuid == made["march"], timeout=WAIT_MS)
    assert editor.details.title.text() == "Protest march in Minsk"
    assert browser.current_uuid() == made["march"]
    window.undo_stack.redo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: editor.details.title.text() == "Protest march, renamed",
                    timeout=WAIT_MS)  # fmt: skip
    assert_in_step(window)


def test_an_undo_never_loads_over_unsaved_edits(
    qtbot: QtBot, window: MainWindow, made: dict[str, str]
) -> None:
    _browser, editor = parts(window)
    select(window, made["march"])
    edit_title(qtbot, window, "Protest march, renamed")
    window.actions_.save.trigger()
    wait_idle(qtbot, window)
    select(window, made["statement"])
    edit_title(qtbot, window, "Statement, being edited")
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    assert editor.uuid == made["statement"]
    assert editor.details.title.text() == "Statement, being edited"
    assert_in_step(window)


def _changed_elsewhere(catalogue: Catalogue, uuid: str, change: Callable[[int], object]) -> None:
    with catalogue.session() as session:
        version = load_event_detail(session, uuid).version
    change(version)


def test_a_change_made_elsewhere_reloads_or_empties_the_editor(
    qtbot: QtBot, window: MainWindow, made: dict[str, str], catalogue: Catalogue
) -> None:
    browser, editor = parts(window)
    assert window.ctx is not None
    select(window, made["march"])
    with qtbot.waitSignal(window.ctx.changed, timeout=WAIT_MS):
        renamed = EventPatch(title="Renamed by Viktor")
        _changed_elsewhere(catalogue, made["march"], lambda v: events.update_event(
            catalogue, "viktor", made["march"], v, renamed))  # fmt: skip
    qtbot.waitUntil(lambda: editor.details.title.text() == "Renamed by Viktor", timeout=WAIT_MS)
    assert browser.current_uuid() == made["march"]
    with qtbot.waitSignal(window.ctx.changed, timeout=WAIT_MS):
        _changed_elsewhere(catalogue, made["march"], lambda v: events.delete_event(
            catalogue, "viktor", made["march"], v, "Merged by hand"))  # fmt: skip
    qtbot.waitUntil(lambda: editor.uuid is None, timeout=WAIT_MS)
    assert browser.current_uuid() is None and made["march"] not in listed(window)
    assert_in_step(window)


def test_undoing_a_delete_restores_the_event_and_redo_withdraws_it_again(
    qtbot: QtBot, window: MainWindow, made: dict[str, str], catalogue: Catalogue
) -> None:
    browser, editor = parts(window)
    select(window, made["vigil"])
    editor.delete("A duplicate of another report")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: made["vigil"] not in listed(window), timeout=WAIT_MS)
    assert window.undo_stack.undoText().startswith("delete")
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: editor.uuid == made["vigil"], timeout=WAIT_MS)
    assert browser.current_uuid() == made["vigil"] and made["vigil"] in listed(window)
    with catalogue.session() as session:
        assert not load_event_detail(session, made["vigil"]).deleted
    window.undo_stack.redo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: made["vigil"] not in listed(window), timeout=WAIT_MS)
    assert editor.uuid is None and browser.current_uuid() is None
    assert window.findChild(QMessageBox, "errorBox") is None


def test_an_undo_the_catalogue_refuses_says_why_without_a_traceback(
    qtbot: QtBot, window: MainWindow, made: dict[str, str], catalogue: Catalogue
) -> None:
    """Withdrawn elsewhere after an edit here: the edit's undo is refused in words, and the
    undo history, which no longer matches the catalogue, is cleared."""
    _browser, editor = parts(window)
    assert window.ctx is not None
    select(window, made["march"])
    edit_title(qtbot, window, "Protest march, renamed")
    window.actions_.save.trigger()
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.ctx.changed, timeout=WAIT_MS):
        _changed_elsewhere(catalogue, made["march"], lambda v: events.delete_event(
            catalogue, "viktor", made["march"], v, "Withdrawn by Viktor"))  # fmt: skip
    window.undo_stack.undo()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: editor.findChild(QMessageBox, "errorBox") is not None,
                    timeout=WAIT_MS)  # fmt: skip
    box = editor.findChild(QMessageBox, "errorBox")
    assert "deleted" in box.text() and "Traceback" not in box.detailedText()
    assert window.undo_stack.count() == 0 and not window.undo_stack.canUndo()
    box.close()


def test_only_a_fault_in_belarchive_carries_a_traceback() -> None:
    from belarchive.errors import ValidationError
    from belarchive.gui.errors import describe

    refused = ValidationError("This event was deleted; restore it before editing.", detail="v3")
    assert describe(refused) == ("This event was deleted; restore it before editing.", "v3")
    try:
        raise KeyError("slot")
    except KeyError as fault:
        message, detail = describe(fault)
    assert "KeyError" in message and "Traceback" in detail


def test_an_actor_typed_in_another_script_is_the_known_actor(
    qtbot: QtBot, window: MainWindow, made: dict[str, str], catalogue: Catalogue
) -> None:
    from sqlmodel import func
    from sqlmodel import select as sql

    from belarchive.domain.models import Actor
    from belarchive.services.inputs import ActorInput

    assert window.ctx is not None
    with qtbot.waitSignal(window.ctx.changed, timeout=WAIT_MS):
        leader = (ActorInput("Светлана Тихановская", "speaker"),)
        make_event(catalogue, "olga", "Statement by the opposition leader", date="2020-12-01",
                   actors=leader, language="ru")  # fmt: skip
    _browser, editor = parts(window)
    qtbot.waitUntil(lambda: "Светлана Тихановская" in editor.details.vocab.actor_by_name.values(),
                    timeout=WAIT_MS)  # fmt: skip
    select(window, made["march"])
    editor.details.actors.entry.setText("Sviatlana Tsikhanouskaya")
    editor.details.actors._commit_entry()
    assert [v.split("\x1f")[0] for v in editor.details.actors.values()] == [
        "Светлана Тихановская"
    ] or editor.details.values().actors[0][0] == "Светлана Тихановская"
    window.actions_.save.trigger()
    wait_idle(qtbot, window)
    with catalogue.session() as session:
        named = session.exec(
            sql(func.count()).select_from(Actor).where(Actor.name.like("%Ти%"))
        ).one()  # type: ignore[attr-defined]
        detail = load_event_detail(session, made["march"])
    assert named == 1 and [a.name for a in detail.actors] == ["Светлана Тихановская"]


def test_withdrawn_events_can_be_listed_and_restored(
    qtbot: QtBot, window: MainWindow, made: dict[str, str], catalogue: Catalogue
) -> None:
    browser, editor = parts(window)
    assert window.ctx is not None
    with qtbot.waitSignal(window.ctx.changed, timeout=WAIT_MS):
        _changed_elsewhere(catalogue, made["vigil"], lambda v: events.delete_event(
            catalogue, "viktor", made["vigil"], v, "A duplicate"))  # fmt: skip
    qtbot.waitUntil(lambda: made["vigil"] not in listed(window), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: browser.facets._items[("statuses", "withdrawn")].text(1) == "1",
                    timeout=WAIT_MS)  # fmt: skip
    browser.facets.tick("statuses", "withdrawn")
    assert listed(window) == [made["vigil"]]
    browser.table.selectRow(0)
    assert editor.uuid == made["vigil"] and editor.detail is not None and editor.detail.deleted
    assert editor.restore_button.isVisible() and not editor.tabs.isEnabled()
    editor.restore_button.click()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: made["vigil"] not in listed(window), timeout=WAIT_MS)
    assert "restored" in window.statusBar().currentMessage()
    browser.facets.tick("statuses", "withdrawn", on=False)
    assert made["vigil"] in listed(window)
    with catalogue.session() as session:
        assert not load_event_detail(session, made["vigil"]).deleted
    assert_in_step(window)
