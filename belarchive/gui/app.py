"""Start-up: show the window fast, then open the catalogue and fill it in.

``main`` shows the empty main window first (only Qt and light modules are imported up to
that point) and continues with ``QTimer.singleShot(0, ...)``: heavy imports (SQLModel,
Whoosh), opening the catalogue, choosing the user, opening the search index (on a thread of
its own, with progress: see indexing.py) and, on a first run, importing the bundled sample.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from belarchive.config import CATALOGUE_SUFFIX, default_catalogue_path, resource
from belarchive.errors import BelarchiveError
from belarchive.gui import i18n
from belarchive.gui.errors import install_crash_handler, setup_logging, show_error
from belarchive.gui.i18n import tr
from belarchive.gui.main_window import MainWindow
from belarchive.gui.settings import GuiSettings
from belarchive.process_memory import limit_malloc_arenas

log = logging.getLogger(__name__)
STARTED = time.perf_counter()


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="belarchive")
    parser.add_argument("--catalogue", type=_catalogue_arg, default=None)
    parser.add_argument("--user", default=None)
    args, _unknown = parser.parse_known_args(argv)  # Qt's own options (-style...) pass through
    return args


def _catalogue_arg(text: str) -> Path | str:
    """A folder, or a team catalogue's address (kept as text)."""
    from belarchive.storage.server import is_server_address

    return text if is_server_address(text) else Path(text)


def setup_application(app: QApplication, settings: GuiSettings) -> None:
    """Style, a font covering Greek/Cyrillic/Latin, the icon and the interface language."""
    if app.property("belarchive_ready"):
        return
    app.setApplicationName("belarchive")
    app.setOrganizationName("belarchive")
    app.setStyle("Fusion")
    font_id = QFontDatabase.addApplicationFont(str(resource("fonts", "DejaVuSans.ttf")))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        app.setFont(QFont(families[0], 10))
    app.setWindowIcon(QIcon(str(resource("icons", "app.svg"))))
    i18n.install(app, settings.language)
    app.setProperty("belarchive_ready", True)


class _Relay(QObject):
    """Carries progress from the writer thread to the GUI thread (queued signal)."""

    progress = Signal(int, int)


class Controller(QObject):
    """Opens catalogues into one window: at start-up and from the File menu."""

    ready = Signal()  # the catalogue is open and the window filled in

    def __init__(self, window: MainWindow, settings: GuiSettings, user: str | None,
                 search: bool = True) -> None:  # fmt: skip
        super().__init__(window)
        self.window, self.settings, self.wanted_user = window, settings, user
        self.search = search  # False: benchmarks measure the GUI without an index rebuild
        self.sample_running = False
        self._wire(window)

    def _wire(self, window: MainWindow) -> None:
        window.controller = self  # type: ignore[attr-defined]
        a = window.actions_
        a.new_catalogue.triggered.connect(self.new_catalogue)
        a.open_catalogue.triggered.connect(self.choose_catalogue)
        a.connect_team.triggered.connect(lambda: self.connect_team())
        a.quit.triggered.connect(window.close)
        a.import_.triggered.connect(self.import_dialog)
        a.export.triggered.connect(self.export_dialog)
        a.preferences.triggered.connect(self.preferences)
        self.fill_recent()

    # -- start-up ---------------------------------------------------------------------------
    def start(self, path: Path | str | None) -> None:
        if isinstance(path, str):  # belarchive -C postgresql://...: connect, password asked
            self.connect_team(path)
            return
        target = path or self.settings.last_catalogue
        if target is not None and not target.exists() and path is None:
            target = None  # the remembered catalogue was moved away: fall back to the default
        self.open(target)

    def open(self, path: Path | None) -> bool:
        from belarchive.errors import SealedCatalogue
        from belarchive.gui.opening import open_catalogue

        try:
            opened = open_catalogue(path, default=default_catalogue_path())
        except SealedCatalogue:
            assert path is not None
            return self._open_sealed(path)
        except Exception as exc:
            self._failed_to_open(exc)
            return False
        return self._use(opened)

    def _open_sealed(self, path: Path) -> bool:
        """A sealed catalogue: a member's passphrase first (gui/dialogs/unlock.py)."""
        from belarchive.gui.dialogs.unlock import UnlockDialog
        from belarchive.gui.opening import open_catalogue, sealed_members

        try:
            members = sealed_members(path)
        except Exception as exc:
            self._failed_to_open(exc)
            return False
        default = default_catalogue_path()
        current = self.wanted_user or (self.window.ctx.user if self.window.ctx else "")
        dialog = UnlockDialog(path.name, members, current or "",
                              lambda unlock: open_catalogue(path, default=default, unlock=unlock),
                              self.window)  # fmt: skip
        if not dialog.exec():
            self._failed_to_open(None)
            return False
        self.wanted_user = dialog.user
        return self._use(dialog.opened)

    def _failed_to_open(self, exc: BaseException | None) -> None:
        if exc is not None:
            show_error(self.window, exc, tr("The catalogue cannot be opened"))
        if self.window.placeholder is not None:
            self.window.placeholder.setText(tr("No catalogue is open. Use File → Open catalogue… "
                                               "or File → New catalogue…"))  # fmt: skip

    def _use(self, opened: Any) -> bool:
        from belarchive.gui.context import AppContext
        from belarchive.gui.opening import users_of

        cat = opened.catalogue
        people = users_of(cat)
        user = self._choose_user(cat, people, opened.created)
        if user is None:
            opened.lock.unlock()
            cat.close()
            return False
        role = dict(people)[user]
        self.settings.remember_user(cat.catalogue_id, user)
        if not cat.is_team:  # a team catalogue's folder is only this desktop's cache of it
            self.settings.remember_catalogue(cat.path)
        window = self.window
        switching = window.ctx is not None
        if window.ctx is None:
            window.lock = opened.lock
            window.attach(AppContext(cat, user, role, window))
        else:
            old_lock = window.lock
            window.ctx.set_catalogue(cat)
            window.ctx.set_user(user, role)
            window.lock = opened.lock
            if old_lock is not None:
                old_lock.unlock()
        self.fill_recent()
        # What is loaded by now (Qt's and SQLAlchemy's objects, the vocabulary, the window)
        # lives as long as the window: the collector need not walk it again and again. A
        # full collection walked it in 60 ms pauses while scrolling 100k events. After a
        # switch, what the previous catalogue left is collected first, not frozen with it.
        if switching:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        self._attach_search()
        if opened.created:
            self.import_sample()
        self.ready.emit()
        return True

    def _choose_user(self, cat: Any, people: list[tuple[str, str]],
                     created: bool) -> str | None:  # fmt: skip
        """The signed-in user: already (a catalogue just created), quietly (a demo catalogue,
        or $BELARCHIVE_PASSPHRASE for scripts), or through the sign-in dialog."""
        from belarchive.gui.dialogs.sign_in import SignInDialog

        names = [name for name, _role in people]
        preferred = next((c for c in (self.wanted_user, self.settings.user_for(cat.catalogue_id))
                          if c and c in names), None)  # fmt: skip
        if preferred is None and (created or len(names) == 1):
            admins = [n for n, role in people if role == "admin"]
            preferred = (admins or names)[0]
        if preferred is not None and self._quietly_signed_in(cat, preferred):
            return preferred
        dialog = SignInDialog(cat, people, preferred or "", self.window)
        return dialog.signed_in if dialog.exec() else None

    @staticmethod
    def _quietly_signed_in(cat: Any, name: str) -> bool:
        from belarchive.services import accounts

        if cat.is_signed_in(name):
            return True
        if not accounts.has_passphrase(cat, name):
            return False  # choosing a first passphrase is a write: the dialog does it
        given = accounts.unattended_passphrase(cat, name)
        if given is None:
            return False
        try:
            cat.sign_in(name, given)
        except BelarchiveError:
            return False
        return True

    def _attach_search(self) -> None:
        """Open the search index on a thread of its own (a rebuild can take minutes on a
        large catalogue): saves go on meanwhile and searches wait (gui/indexing.py)."""
        ctx = self.window.ctx
        assert ctx is not None
        if self.search:
            ctx.index.start()

    def import_sample(self) -> None:
        """First run: fill the new default catalogue from the bundled chronicle."""
        from belarchive.services import first_run

        ctx = self.window.ctx
        assert ctx is not None
        relay = _Relay(self)
        text = tr("Importing the sample chronicle…")
        relay.progress.connect(lambda d, t: self.window.show_progress(text, d, t))
        cat, user = ctx.catalogue, "archivist"
        self.sample_running = True
        self.window.show_progress(text, 0, 1)

        def finished(_result: object) -> None:
            self.sample_running = False
            self.window.show_progress("", 1, 1)
            self.window.statusBar().showMessage(tr("The sample chronicle was imported."), 5000)

        def failed(exc: BaseException) -> None:
            self.sample_running = False
            self.window.show_progress("", 1, 1)
            show_error(self.window, exc, tr("The sample could not be imported"))

        ctx.write(lambda: first_run.import_sample(cat, user, relay.progress.emit),
                  finished, failed, label="import sample")  # fmt: skip

    # -- File menu --------------------------------------------------------------------------
    def fill_recent(self) -> None:
        menu = self.window.actions_.recent_menu
        if menu is None:
            return
        menu.clear()
        for path in self.settings.recent_catalogues:
            action = menu.addAction(str(path))
            action.triggered.connect(lambda _=False, p=path: self.switch_to(p))
        menu.setEnabled(bool(menu.actions()))

    def reopen(self, path: Path) -> None:
        """Open ``path`` again (after a restore replaced its database): its lock is let go
        first, since this window holds it."""
        if self.window.lock is not None:
            self.window.lock.unlock()
            self.window.lock = None
        self.open(path)

    def switch_to(self, path: Path) -> None:
        ctx = self.window.ctx
        if ctx is not None and Path(ctx.catalogue.path) == Path(path):
            return
        if self.window._confirm_discard():
            self.open(path)

    def choose_catalogue(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, tr("Open catalogue"))
        if folder:
            self.switch_to(Path(folder))

    def connect_team(self, address: str = "") -> None:
        """A team catalogue on a server (gui/dialogs/team_connect.py)."""
        from belarchive.gui.dialogs.team_connect import TeamConnectDialog
        from belarchive.gui.opening import connect_team

        if not self.window._confirm_discard():
            return
        from belarchive.storage.server import split_password

        shown, password = split_password(address or self.settings.last_team_address)
        dialog = TeamConnectDialog(connect_team, shown, self.window)
        dialog.password.setText(password)
        if not dialog.exec():
            if self.window.ctx is None:
                self._failed_to_open(None)
            return
        opened = dialog.opened
        self.settings.last_team_address = dialog.address.text().strip()
        self.wanted_user = opened.catalogue.member
        self._use(opened)

    def new_catalogue(self) -> None:
        from belarchive.gui.opening import create_catalogue, os_user_name

        name, _filter = QFileDialog.getSaveFileName(self.window, tr("New catalogue"),
                                                    f"Archive{CATALOGUE_SUFFIX}")  # fmt: skip
        if not name or not self.window._confirm_discard():
            return
        path = Path(name)
        if path.suffix != CATALOGUE_SUFFIX:
            path = path.with_name(path.name + CATALOGUE_SUFFIX)
        admin = self.window.ctx.user if self.window.ctx else os_user_name()
        passphrase = ask_new_passphrase(self.window, admin)
        if passphrase is None:
            return
        sealed = ask_sealed(self.window)
        if sealed is None:
            return
        # Two Argon2 derivations and the first writes: on a thread of their own, never the
        # window's (its own worker, stopped when done: creating is rare).
        from belarchive.gui.workers import WriterWorker

        worker = WriterWorker(self, name="belarchive-create")
        self.window.statusBar().showMessage(tr("Creating the catalogue…"))

        def created(opened: Any) -> None:
            worker.stop()
            self.window.statusBar().clearMessage()
            self.wanted_user = admin
            if self._use(opened) and opened.recovery_key:
                show_recovery_key(self.window, opened.recovery_key)

        def failed(exc: BaseException) -> None:
            worker.stop()
            self.window.statusBar().clearMessage()
            show_error(self.window, exc, tr("The catalogue cannot be created"))

        worker.submit(lambda: create_catalogue(path, admin, passphrase, sealed), created, failed,
                      label="create catalogue")  # fmt: skip

    def import_dialog(self) -> None:
        self._run_dialog("belarchive.gui.dialogs.import_wizard", "ImportWizard")

    def export_dialog(self) -> None:
        browser = self.window.browser
        current = browser.current_filter() if browser else None
        # The search text goes along so that a dossier of a searched selection runs the same
        # query (the filter alone carries only the result uuids).
        query = browser.search.query if browser else ""
        self._run_dialog("belarchive.gui.dialogs.export_dialog", "ExportDialog", current,
                         query=query)  # fmt: skip

    def _run_dialog(self, module: str, name: str, *extra: Any, **options: Any) -> None:
        import importlib

        try:
            cls = getattr(importlib.import_module(module), name)
        except Exception as exc:
            log.exception("%s unavailable", name)
            QMessageBox.information(self.window, "belarchive",
                                    tr("This part of belarchive is not available: {error}")
                                    .format(error=exc))  # fmt: skip
            return
        cls(self.window.ctx, *extra, self.window, **options).exec()

    def preferences(self) -> None:
        from belarchive.gui.dialogs.preferences import PreferencesDialog

        if self.window.ctx is None:
            return
        if not PreferencesDialog(self.window.ctx, self.settings, self.window).exec():
            return
        if self.settings.language != i18n.current_language():
            self.apply_language(self.settings.language)

    # -- language ---------------------------------------------------------------------------
    def apply_language(self, lang: str) -> bool:
        """Show the interface in ``lang`` now: a new window, built in that language, takes
        over the open catalogue (no reopening, no signing in) and shows the same query,
        facets, period and event. Every text is set where its widget is built, so building
        anew is the one way no label is missed. Unsaved edits are asked about first; if
        they are kept, the language applies at the next start."""
        old = self.window
        if not old._confirm_discard():
            old.statusBar().showMessage(tr("The new language applies when belarchive starts "
                                           "again."), 10_000)  # fmt: skip
            return False
        view = old.browser.view_state() if old.browser is not None else None
        handed = old.hand_over()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        i18n.uninstall(app)
        i18n.install(app, lang)
        window = MainWindow(self.settings)
        self.setParent(window)
        self.window = window
        self._wire(window)
        if handed is not None:
            ctx, lock = handed
            ctx.setParent(window)
            window.lock = lock
            window.attach(ctx)
            if view is not None and window.browser is not None:
                window.browser.restore_view(view)
        # Exactly where the old one was (restoring saved geometry can shift a window by its
        # frame on some window managers), maximised or full screen if it was.
        window.resize(old.size())
        window.move(old.pos())
        window.setWindowState(old.windowState())
        window.show()
        old.hide()
        old.deleteLater()
        return True


def ask_sealed(parent: Any) -> bool | None:
    """Whether the new catalogue is sealed (None when cancelled)."""
    box = QMessageBox(QMessageBox.Icon.Question, tr("Seal the new catalogue?"),
                      tr("A sealed catalogue is encrypted: its database, archived copies, "
                         "search index and backups cannot be read without a member's "
                         "passphrase — on a laptop that is lost or seized, nothing is "
                         "readable. Recommended for evidence about people at risk."),
                      parent=parent)  # fmt: skip
    seal = box.addButton(tr("&Seal it"), QMessageBox.ButtonRole.YesRole)
    box.addButton(tr("&Leave it open"), QMessageBox.ButtonRole.NoRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(seal)
    box.exec()
    role = box.buttonRole(box.clickedButton())
    if role == QMessageBox.ButtonRole.RejectRole:
        return None
    return box.clickedButton() is seal


def show_recovery_key(parent: Any, secret: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, tr("Recovery key"),
                      tr("Write this recovery key on paper and keep it away from this "
                         "computer. It is shown only now. It opens the sealed catalogue and "
                         "its backups should every member's passphrase be lost.")
                      + f"\n\n{secret}", parent=parent)  # fmt: skip
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def ask_new_passphrase(parent: Any, name: str) -> str | None:
    """A new passphrase for ``name``, typed twice (None when cancelled)."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    prompt = tr("Choose a passphrase for {name} (at least 8 characters):").format(name=name)
    while True:
        first, ok = QInputDialog.getText(parent, tr("New passphrase"), prompt,
                                         QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok:
            return None
        again, ok = QInputDialog.getText(parent, tr("New passphrase"), tr("Type it again:"),
                                         QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok:
            return None
        if first == again:
            return first
        QMessageBox.warning(parent, "belarchive", tr("The two passphrases differ."))


def launch(catalogue: Path | str | None = None, user: str | None = None,
           settings: GuiSettings | None = None, *, search: bool = True) -> MainWindow:  # fmt: skip
    """Show the window now; open the catalogue on the next turn of the event loop."""
    limit_malloc_arenas()  # before the thread pool's threads allocate
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "belarchive"])
    assert isinstance(app, QApplication)
    settings = settings or GuiSettings()
    setup_application(app, settings)
    window = MainWindow(settings)
    Controller(window, settings, user, search)  # sets window.controller
    window.show()
    # Paint the empty window before the heavy work (imports, opening) blocks the loop.
    app.processEvents()
    QTimer.singleShot(10, lambda: window.controller.start(catalogue))  # type: ignore[attr-defined]
    return window


def gui_script() -> int:
    """The ``belarchive-gui`` entry point: the same arguments and the same no-display
    message as ``belarchive``, never Qt's abort."""
    from belarchive.cli import NO_DISPLAY, gui_request, no_display

    args = sys.argv[1:]
    if no_display():
        sys.stderr.write(NO_DISPLAY)
        return 1
    return main(gui_request(args) or args)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(list(sys.argv[1:] if argv is None else argv))
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "belarchive"])
    app.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus, False)
    setup_logging()
    install_crash_handler()
    import PySide6

    if PySide6.__version__ == "6.12.0":  # see docs/performance.md, GUI
        log.warning("PySide6 6.12.0 miscounts references to True/None and aborts long "
                    "sessions; install PySide6-Essentials 6.11.x")  # fmt: skip
    window = launch(args.catalogue, args.user)
    controller = window.controller  # type: ignore[attr-defined]
    shown_ms = (time.perf_counter() - STARTED) * 1000
    log.info("window shown %.0f ms after the GUI module loaded", shown_ms)
    code = app.exec()
    controller.window.shutdown()  # the window of the moment (a new language rebuilds it)
    return int(code)
