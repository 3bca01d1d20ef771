"""The About box: the version, the licence, and every bundled component's notice."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from belarchive.gui.i18n import tr


def show_about(parent: QWidget) -> None:
    from belarchive import __version__
    from belarchive.config import resource

    text = tr("<b>belarchive {version}</b><br>An offline archive of human-rights events in "
              "Belarus, their sources and their verification.")  # fmt: skip
    licence = tr("Free software under the GNU General Public License, version 3 or later. "
                 "It uses Qt for Python (LGPL-3.0) and the components listed under "
                 "“Show Details…”, each under its own licence.")  # fmt: skip
    box = QMessageBox(QMessageBox.Icon.NoIcon, tr("About belarchive"),
                      f"{text.format(version=__version__)}<br><br>{licence}",
                      QMessageBox.StandardButton.Ok, parent)  # fmt: skip
    box.setObjectName("aboutBox")
    try:
        box.setDetailedText(resource("licenses", "THIRD-PARTY-NOTICES.txt")
                            .read_text(encoding="utf-8"))  # fmt: skip
    except OSError as exc:  # an installed copy missing the file says so, in one line
        box.setDetailedText(tr("The third-party notices are missing: {error}").format(
            error=exc.strerror or exc))  # fmt: skip
    box.exec()
