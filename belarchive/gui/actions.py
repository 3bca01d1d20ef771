"""The main window's actions, menus and toolbar (shortcuts and mnemonics in one place)."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QComboBox, QMainWindow, QMenu, QToolBar

from belarchive.config import resource
from belarchive.gui.i18n import tr


def icon(name: str) -> QIcon:
    return QIcon(str(resource("icons", f"{name}.svg")))


@dataclass
class Actions:
    new_catalogue: QAction
    open_catalogue: QAction
    connect_team: QAction
    import_: QAction
    export: QAction
    quit: QAction
    new_event: QAction
    save: QAction
    delete: QAction
    preferences: QAction
    find: QAction
    refresh: QAction
    timeline: QAction
    map: QAction
    syntax: QAction
    about: QAction
    backup: QAction
    restore: QAction
    check: QAction
    anchor: QAction
    lock: QAction
    clear_filters: QAction
    shortcuts: QAction
    review: QAction
    tag_selected: QAction
    untag_selected: QAction
    place_selected: QAction
    review_selected: QAction
    merge_selected: QAction
    copy_csv: QAction
    copy_citation: QAction
    recent_menu: QMenu | None = None
    user_combo: QComboBox | None = None
    needs_catalogue: list[QAction] = field(default_factory=list)

    def bulk(self) -> list[QAction]:
        """The actions on the events selected in the list (menu and the list's own menu)."""
        return [self.tag_selected, self.untag_selected, self.place_selected,
                self.review_selected, self.merge_selected, self.copy_csv,
                self.copy_citation]  # fmt: skip


def _action(window: QMainWindow, text: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            icon_name: str = "") -> QAction:  # fmt: skip
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if icon_name:
        action.setIcon(icon(icon_name))
    return action


def make_actions(window: QMainWindow) -> Actions:
    a = Actions(
        new_catalogue=_action(window, tr("&New catalogue…"), "Ctrl+Shift+N"),
        open_catalogue=_action(window, tr("&Open catalogue…"), QKeySequence.StandardKey.Open),
        connect_team=_action(window, tr("Connect to a &team catalogue…"), "Ctrl+Shift+O"),
        import_=_action(window, tr("&Import…"), "Ctrl+I", "import"),
        export=_action(window, tr("&Export…"), "Ctrl+E", "export"),
        quit=_action(window, tr("&Quit"), "Ctrl+Q"),  # the standard key is empty on some desktops
        new_event=_action(window, tr("&New event"), QKeySequence.StandardKey.New, "new"),
        save=_action(window, tr("&Save"), QKeySequence.StandardKey.Save, "save"),
        delete=_action(window, tr("&Delete event…"), QKeySequence.StandardKey.Delete),
        preferences=_action(window, tr("&Preferences…"), "Ctrl+,"),
        find=_action(window, tr("&Find"), QKeySequence.StandardKey.Find, "search"),
        refresh=_action(window, tr("&Refresh"), "F5"),
        timeline=_action(window, tr("&Timeline"), "Ctrl+T", "timeline"),
        map=_action(window, tr("&Map"), "Ctrl+M"),
        syntax=_action(window, tr("Search &syntax"), "Shift+F1"),
        about=_action(window, tr("&About belarchive"), "Ctrl+F1"),
        backup=_action(window, tr("&Back up…"), "Ctrl+Shift+B"),
        restore=_action(window, tr("&Restore from a backup…"), "Ctrl+Shift+R"),
        check=_action(window, tr("&Check the catalogue"), "Ctrl+Shift+K"),
        anchor=_action(window, tr("Save audit &anchor…"), "Ctrl+Shift+A"),
        lock=_action(window, tr("&Lock (sign out)"), "Ctrl+L"),
        clear_filters=_action(window, tr("&Clear filters"), "Ctrl+Shift+X"),
        shortcuts=_action(window, tr("&Keyboard shortcuts"), "F1"),
        review=_action(window, tr("Review &queue…"), "Ctrl+R"),
        tag_selected=_action(window, tr("&Tag selected events…"), "Ctrl+Shift+T"),
        untag_selected=_action(window, tr("Untag se&lected events…"), "Ctrl+Shift+U"),
        place_selected=_action(window, tr("Add a pla&ce to selected events…"), "Ctrl+Shift+P"),
        review_selected=_action(window, tr("Request re&view for selected…"), "Ctrl+Shift+V"),
        merge_selected=_action(window, tr("&Merge selected events…"), "Ctrl+Shift+M"),
        copy_csv=_action(window, tr("Cop&y rows as CSV"), QKeySequence.StandardKey.Copy),
        copy_citation=_action(window, tr("Copy as c&itation"), "Ctrl+Shift+C"),
    )
    a.timeline.setCheckable(True)
    a.timeline.setChecked(True)
    a.map.setCheckable(True)
    a.needs_catalogue = [a.import_, a.export, a.new_event, a.save, a.delete, a.preferences,
                         a.find, a.refresh, a.timeline, a.map, a.backup, a.restore, a.check,
                         a.anchor, a.lock, a.clear_filters, a.review,
                         *a.bulk()]  # fmt: skip
    return a


def build_menus(window: QMainWindow, a: Actions, undo: QAction, redo: QAction) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu(tr("&File"))
    file_menu.addActions([a.new_catalogue, a.open_catalogue, a.connect_team])
    a.recent_menu = file_menu.addMenu(tr("Recent &catalogues"))
    file_menu.addSeparator()
    file_menu.addActions([a.import_, a.export])
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    edit = bar.addMenu(tr("&Edit"))
    edit.addActions([undo, redo])
    edit.addSeparator()
    edit.addActions([a.new_event, a.save, a.delete])
    edit.addSeparator()
    edit.addActions(a.bulk())
    edit.addSeparator()
    edit.addAction(a.preferences)
    care = bar.addMenu(tr("&Catalogue"))
    care.addActions([a.backup, a.restore])
    care.addSeparator()
    care.addActions([a.check, a.anchor])
    care.addSeparator()
    care.addAction(a.lock)
    view = bar.addMenu(tr("&View"))
    view.addActions([a.find, a.clear_filters, a.refresh, a.timeline, a.map])
    view.addSeparator()
    view.addAction(a.review)
    help_menu = bar.addMenu(tr("&Help"))
    help_menu.addActions([a.shortcuts, a.syntax, a.about])


def widget_keys() -> list[tuple[str, str]]:
    """Keys that act inside one widget rather than through a menu (the shortcuts page)."""
    return [
        (tr("Enter"), tr("Add what is typed in Places, People or Tags as a chip")),
        (tr("Delete"), tr("Delete the event selected in the list (Edit → Delete event…)")),
        (tr("Backspace"), tr("In an empty Places, People or Tags field: remove the last chip")),
        (tr("Space"), tr("Tick or untick the facet value that has the focus")),
        (tr("Alt+letter"), tr("The menu, editor tab or field whose name has that letter "
                              "underlined")),
        ("Ctrl+Z / Ctrl+Shift+Z", tr("In a text field: undo and redo the typing there")),
    ]  # fmt: skip


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(keys, what) for every action of every menu, in menu order, as shown to the user."""
    rows = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        where = top.text().replace("&", "")
        for action in menu.actions():
            if action.isSeparator() or action.menu() is not None:
                continue
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            rows.append((keys, f"{where} → {action.text().replace('&', '')}"))
    return rows


def build_toolbar(window: QMainWindow, a: Actions) -> QToolBar:
    bar = QToolBar(tr("Main toolbar"), window)
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.addActions([a.new_event, a.save])
    bar.addSeparator()
    bar.addActions([a.import_, a.export, a.timeline])
    bar.addSeparator()
    a.user_combo = QComboBox(bar)
    a.user_combo.setObjectName("userCombo")
    a.user_combo.setToolTip(tr("Who is working: every action is recorded under this name"))
    a.user_combo.setMinimumContentsLength(14)
    bar.addWidget(a.user_combo)
    window.addToolBar(bar)
    return bar
