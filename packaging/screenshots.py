"""Regenerate docs/screenshots/ (timeline, import wizard, export dialog) from the sample.

Run under a real X server so fonts and styles match a desktop, e.g.:
    xvfb-run -s "-screen 0 1280x900x24" .venv/bin/python packaging/screenshots.py
A temporary catalogue gets the sample chronicle imported through the import service.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from belarchive.config import sample_chronicle_path
from belarchive.gui.context import AppContext
from belarchive.gui.dialogs.export_dialog import ExportDialog
from belarchive.gui.dialogs.import_wizard import PAGE_PREVIEW, ImportWizard
from belarchive.gui.widgets.timeline import TimelineWidget
from belarchive.services import importing
from belarchive.services.catalogue import Catalogue
from belarchive.storage.queries import EventFilter
from bench.synth import PASSPHRASE

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def wait(app: QApplication, done: object, timeout_ms: int = 20_000) -> None:
    """Process events until ``done()`` is true (screenshots only; tests use qtbot)."""
    timer = QTimer()
    timer.setSingleShot(True)
    timer.start(timeout_ms)
    while not done() and timer.isActive():  # type: ignore[operator]
        app.processEvents()


def save(app: QApplication, widget: QWidget, name: str) -> None:
    for _ in range(20):
        app.processEvents()
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    app = QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp()) / "Sample.belarchive"
    cat = Catalogue.create(folder, admin="anna", passphrase=PASSPHRASE)
    ctx = AppContext(cat, "anna", "admin")
    try:
        if "--sign-in" in sys.argv:
            sign_in_shot(app, cat)
        else:
            shots(app, ctx)
    finally:
        ctx.shutdown()
    return 0


def sign_in_shot(app: QApplication, cat: Catalogue) -> None:
    """The sign-in dialog after a wrong passphrase (switching to the reviewer)."""
    from belarchive.gui.dialogs.sign_in import SignInDialog
    from belarchive.services import users

    users.add_user(cat, "anna", "viktor", "reviewer", PASSPHRASE)
    users.add_user(cat, "anna", "olga", "archivist", PASSPHRASE)
    people = [(u.name, u.role) for u in users.list_users(cat)]
    dialog = SignInDialog(cat, people, "viktor")
    dialog.resize(460, 360)
    dialog.show()
    dialog.passphrase.setText("not his passphrase")
    dialog.try_sign_in()
    wait(app, lambda: "passphrase for viktor" in dialog.message.text())
    dialog.passphrase.setText("typed again")
    save(app, dialog, "sign-in.png")
    dialog.reject()  # stops its worker thread


def shots(app: QApplication, ctx: AppContext) -> None:
    # The wizard first, on a catalogue that has not seen the sample yet.
    wizard = ImportWizard(ctx)
    wizard.resize(1100, 720)
    wizard.show()
    wizard.file_page.path.setText(str(sample_chronicle_path()))
    wizard.next()
    wait(app, lambda: wizard.currentId() == PAGE_PREVIEW and not wizard.preview_page.loading)
    wizard.preview_page.table.selectRow(3)
    save(app, wizard, "import-wizard.png")
    wizard.hide()

    preview = importing.preview_chronicle(ctx.catalogue, sample_chronicle_path())
    importing.commit_chronicle(ctx.catalogue, "anna", preview)
    timeline = TimelineWidget(ctx)
    timeline.resize(1000, 200)
    timeline.show()
    # The chronicle's main stretch: auto picks days, so each Sunday march is its own peak.
    timeline.set_filter(EventFilter(date_from=date(2020, 11, 1), date_to=date(2020, 12, 31)))
    loaded: list[bool] = []
    timeline.loaded.connect(lambda: loaded.append(True))
    wait(app, lambda: bool(loaded))
    save(app, timeline, "timeline.png")

    same_incident(app, ctx)

    current = EventFilter(
        date_from=date(2020, 11, 1), date_to=date(2020, 12, 31), tags=("detention",)
    )
    dialog = ExportDialog(ctx, current)
    dialog.path.setText(str(Path.home() / "Documents" / "belarchive-2020-11-detentions.pdf"))
    dialog.pseudonymise.setChecked(True)
    dialog.verified_only.setChecked(True)
    dialog.show()
    wait(app, lambda: "events" in dialog.selection.text())
    save(app, dialog, "export-dialog.png")


def same_incident(app: QApplication, ctx: AppContext) -> None:
    """A Russian digest in the catalogue, an English daily report in the wizard: the march of
    8 November is proposed as the same incident, the two texts side by side."""
    importing.commit_chronicle(
        ctx.catalogue,
        "anna",
        importing.preview_chronicle(ctx.catalogue, CHRONICLES / "ru-digest-2020-11.md"),
        on_duplicate="link",
    )
    wizard = ImportWizard(ctx)
    wizard.resize(1340, 740)
    wizard.show()
    wizard.file_page.path.setText(str(CHRONICLES / "en-daily-2020-11.md"))
    wizard.next()
    wait(app, lambda: wizard.currentId() == PAGE_PREVIEW and not wizard.preview_page.loading)
    items = wizard.proposals.items
    row = next(i for i, e in enumerate(items) if e.title.startswith("Sunday's March"))
    wizard.preview_page.table.selectRow(row)
    save(app, wizard, "import-wizard-same-incident.png")
    wizard.hide()


CHRONICLES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "chronicles"


if __name__ == "__main__":
    raise SystemExit(main())
