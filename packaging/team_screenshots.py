"""Screenshots of team mode for docs/screenshots/, on a PostgreSQL server of their own.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python packaging/team_screenshots.py LANG

For LANG (en, el, ru, be): the Connect dialog over the window (team-connect-LANG.png), and
the window while the server is away (team-offline-LANG.png): the server is really stopped.
The catalogue is a team catalogue with the bundled sample imported, opened as olga.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    lang = sys.argv[1] if len(sys.argv) > 1 else "en"
    os.environ["BELARCHIVE_DATA_DIR"] = tempfile.mkdtemp(prefix="team-shots-")
    import pg_cluster
    import team_support
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from belarchive.gui.app import setup_application
    from belarchive.gui.context import AppContext
    from belarchive.gui.dialogs.team_connect import TeamConnectDialog
    from belarchive.gui.main_window import MainWindow
    from belarchive.gui.opening import connect_team
    from belarchive.gui.settings import GuiSettings
    from belarchive.services.first_run import import_sample

    app = QApplication(sys.argv[:1])
    cluster = pg_cluster.start_cluster()
    try:
        team = team_support.Team(cluster, team_support.new_database(cluster))
        import_sample(team.as_member("olga"), "olga")
        settings = GuiSettings(Path(os.environ["BELARCHIVE_DATA_DIR"]) / "gui.ini")
        settings.language = lang
        setup_application(app, settings)
        window = MainWindow(settings)
        window.attach(AppContext(team.as_member("olga"), "olga", "archivist", window))
        window.resize(1366, 740)
        window.show()
        address = team.address("olga").split("@")[1]
        dialog = TeamConnectDialog(connect_team, f"postgresql://olga@{address}", window)

        def connect_shot() -> None:
            dialog.show()
            dialog.password.setText("password")
            QTimer.singleShot(600, lambda: _grab_screen(app, f"team-connect-{lang}.png"))
            QTimer.singleShot(900, stop_server)

        def stop_server() -> None:
            dialog.close()
            cluster.stop("fast")
            QTimer.singleShot(4000, offline_shot)

        def offline_shot() -> None:
            window.grab().save(str(OUT / f"team-offline-{lang}.png"))
            print("wrote", OUT / f"team-offline-{lang}.png")
            window.shutdown()
            app.quit()

        QTimer.singleShot(2500, connect_shot)
        app.exec()
        team.close()
    finally:
        cluster.remove()
    return 0


def _grab_screen(app: object, name: str) -> None:
    from PySide6.QtGui import QGuiApplication

    screen = QGuiApplication.primaryScreen()
    screen.grabWindow(0).save(str(OUT / name))
    print("wrote", OUT / name)


if __name__ == "__main__":
    raise SystemExit(main())
