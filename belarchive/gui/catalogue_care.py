"""The Catalogue menu: back up (encrypted for the members), restore, check, save an audit
anchor, lock.

Everything runs on the writer thread (services.maintenance, services.anchors); the window
shows a busy state meanwhile and the result when it is done. A backup offers to save an
audit anchor beside it, and the window says when no anchor was saved for a long time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from belarchive.errors import BelarchiveError
from belarchive.gui.errors import show_error
from belarchive.gui.i18n import tr

if TYPE_CHECKING:
    from belarchive.gui.main_window import MainWindow

# After this long without an anchor, the window reminds the user to save one.
ANCHOR_REMINDER = timedelta(days=14)


class CatalogueCare(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    @property
    def ctx(self) -> Any:
        return self.window.ctx

    # -- backup -----------------------------------------------------------------------------
    def backup(self) -> None:
        from belarchive.services import maintenance

        cat, user = self.ctx.catalogue, self.ctx.user
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        # A team catalogue's backup is PostgreSQL's own dump (services.team_backup).
        suffix = ".pgdump" if cat.is_team else ".sqlite"
        name, _f = QFileDialog.getSaveFileName(
            self.window, tr("Back up the catalogue"),
            str(cat.backups_dir / f"catalogue-{stamp}{suffix}"))  # fmt: skip
        if not name:
            return
        self.window.statusBar().showMessage(tr("Backing up…"))
        # Always encrypted for the members: a backup travels (USB sticks get lost).
        self.ctx.write(lambda: maintenance.backup(cat, user, Path(name), encrypt=True),
                       self._backed_up, self._failed, label="backup")  # fmt: skip

    def _backed_up(self, target: Path) -> None:
        self.window.statusBar().showMessage(tr("Backup written to {path}").format(path=target),
                                            8000)  # fmt: skip
        answer = QMessageBox.question(
            self.window, tr("Save an audit anchor?"),
            tr("An audit anchor lets you prove later that the history up to now was not "
               "rewritten. Save one now, somewhere other than this computer (a USB stick, "
               "an e-mail to a partner)?"))  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.save_anchor()

    # -- anchors ----------------------------------------------------------------------------
    def save_anchor(self) -> None:
        from belarchive.services import anchors
        from belarchive.services.catalogue_folder import write_meta

        cat = self.ctx.catalogue
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        name, _f = QFileDialog.getSaveFileName(self.window, tr("Save an audit anchor"),
                                               f"anchor-{cat.path.stem}-{stamp}.json")  # fmt: skip
        if not name:
            return

        def write() -> dict[str, Any]:
            with cat.reader.connect() as conn:
                anchor = anchors.write_anchor(conn, cat.catalogue_id, Path(name))
            cat.meta[anchors.META_LAST_ANCHOR] = anchor["written_at"]
            write_meta(cat.path, cat.meta)
            return anchor

        self.ctx.write(write, lambda a: self.window.statusBar().showMessage(
            tr("Audit anchor saved: entry {seq}. Keep it away from this computer.")
            .format(seq=a["head"]["seq"]), 10_000), self._failed, label="anchor")  # fmt: skip

    def anchor_reminder(self) -> str:
        """A reminder when no anchor was saved for a long time (empty when not needed)."""
        from belarchive.services import anchors

        cat = self.ctx.catalogue if self.ctx else None
        if cat is None or cat.meta.get("demo_passphrase"):
            return ""
        last = cat.meta.get(anchors.META_LAST_ANCHOR)
        if last:
            try:
                saved = datetime.fromisoformat(str(last))
            except ValueError:
                saved = None
            if saved is not None and datetime.now(UTC) - saved < ANCHOR_REMINDER:
                return ""
            return tr("No audit anchor saved since {date}: Catalogue → Save audit anchor…"
                      ).format(date=str(last)[:10])  # fmt: skip
        return tr("No audit anchor saved yet: Catalogue → Save audit anchor…")

    # -- check --------------------------------------------------------------------------------
    def check(self) -> None:
        from belarchive.services import maintenance

        cat = self.ctx.catalogue
        self.window.statusBar().showMessage(tr("Checking the catalogue…"))
        self.ctx.write(lambda: maintenance.check(cat), self._checked, self._failed,
                       label="check")  # fmt: skip

    def _checked(self, report: Any) -> None:
        self.window.statusBar().clearMessage()
        box = QMessageBox.information if report.ok else QMessageBox.warning
        title = tr("The catalogue is intact") if report.ok else tr("The catalogue has problems")
        box(self.window, title, "\n".join(report.summary(limit=20)))

    # -- restore ------------------------------------------------------------------------------
    def restore(self) -> None:
        from belarchive.services import maintenance
        from belarchive.services.unlocking import Unlock

        cat, user = self.ctx.catalogue, self.ctx.user
        if cat.is_team:  # restored on the server, with pg_restore (docs/team-mode.md)
            try:
                cat.require_folder()
            except BelarchiveError as exc:
                show_error(self.window, exc, tr("Restore from a backup"))
            return
        name, _f = QFileDialog.getOpenFileName(
            self.window, tr("Restore from a backup"), str(cat.backups_dir), "SQLite (*.sqlite)"
        )
        if not name or not self.window._confirm_discard():
            return
        answer = QMessageBox.warning(
            self.window, tr("Restore from a backup"),
            tr("The catalogue will be replaced by the backup {name}. The current database is "
               "kept aside in backups/ first, and the restore is recorded. Go on?")
            .format(name=Path(name).name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        path = cat.path
        signer = cat.signer_for(user)  # opens a backup encrypted for the members
        # A sealed catalogue is restored under the key this window already holds.
        unlock = Unlock(user=user, sign_in=False, key=cat.key) if cat.sealed else None
        self.ctx.write(lambda: maintenance.restore(path, Path(name), user, signer, None, unlock),
                       lambda kept: self._restored(path, kept), self._failed,
                       label="restore")  # fmt: skip

    def _restored(self, path: Path, kept: Path) -> None:
        controller = getattr(self.window, "controller", None)
        QMessageBox.information(self.window, tr("Restored"),
                                tr("Restored. The replaced database was kept as {kept}.")
                                .format(kept=kept))  # fmt: skip
        if controller is not None:
            controller.reopen(path)

    def _failed(self, exc: BaseException) -> None:
        self.window.statusBar().clearMessage()
        show_error(self.window, exc)
