"""Opening a catalogue from the GUI: one window per catalogue (a QLockFile in its folder),
the default catalogue on first run, and who is working.

Heavy modules (SQLModel via services) are imported inside the functions: this module is
imported before the main window is shown.
"""

from __future__ import annotations

import contextlib
import getpass
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile

from belarchive.errors import BelarchiveError, CatalogueError
from belarchive.gui.i18n import tr

if TYPE_CHECKING:
    from belarchive.services.catalogue import Catalogue
    from belarchive.services.unlocking import Unlock

LOCK_NAME = ".belarchive-gui.lock"


class CatalogueInUse(CatalogueError):
    """Another belarchive window has this catalogue open."""


def acquire_lock(folder: Path) -> QLockFile:
    """Lock ``folder`` for this process or raise CatalogueInUse naming who holds it.

    A lock left by a crashed process is detected (its PID is gone) and taken over.
    """
    lock = QLockFile(str(Path(folder) / LOCK_NAME))
    lock.setStaleLockTime(0)  # never expire by age: a long session is not a stale one
    if lock.tryLock(100):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()  # (pid, host, app) in PySide6; falsy when unreadable
        who = tr("another program")
        values = [v for v in info if not isinstance(v, bool)] if isinstance(info, tuple) else []
        if len(values) >= 2:
            who = tr("process {pid} on {host}").format(pid=values[0], host=values[1])
        raise CatalogueInUse(
            tr("The catalogue {path} is already open in another belarchive window "
               "({who}). Switch to that window, or close it and try again.").format(
                   path=folder, who=who))  # fmt: skip
    raise CatalogueError(tr("Cannot lock the catalogue {path}: is the folder writable?").format(
        path=folder))  # fmt: skip


@dataclass
class Opened:
    catalogue: Catalogue
    lock: QLockFile
    created: bool  # a fresh default catalogue: the sample should be imported
    recovery_key: str = ""  # a new sealed catalogue's, shown once


def os_user_name() -> str:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = ""
    cleaned = re.sub(r"[^\w.\- ]", "", name or "")[:64].strip()
    return cleaned or "admin"


def open_catalogue(path: Path | None, *, default: Path, unlock: Unlock | None = None) -> Opened:
    """Open ``path`` (or the default catalogue, created when missing) under a lock; a sealed
    one with ``unlock`` (services.catalogue.SealedCatalogue without it)."""
    from belarchive.services.catalogue import Catalogue

    target = Path(path) if path else default
    if target == default and not target.exists():
        from belarchive.services import first_run

        cat = first_run.create_default_catalogue(os_user_name())
        return Opened(cat, acquire_lock(target), True)
    if not target.is_dir():
        raise CatalogueError(tr("No catalogue at {path}.").format(path=target))
    lock = acquire_lock(target)
    try:
        return Opened(Catalogue.open(target, unlock), lock, False)
    except BaseException:
        lock.unlock()
        raise


def connect_team(address: str, password: str) -> Opened:
    """Open the team catalogue at ``address`` as the member it names, with ``password`` (if
    the address has none), and sign them in with it. One window per team catalogue on this
    desktop: the lock is its folder in the user cache."""
    from belarchive.services import team

    cat = team.open_team(address, password=password or None)
    try:
        lock = acquire_lock(cat.path)
    except BaseException:
        cat.close()
        raise
    if cat.member and password:
        # A signing passphrase that differs from the server password: the sign-in dialog
        # asks for it next.
        with contextlib.suppress(BelarchiveError):
            cat.sign_in(cat.member, password)
    return Opened(cat, lock, False)


def create_catalogue(path: Path, admin: str, passphrase: str, sealed: bool = False) -> Opened:
    from belarchive.services.catalogue import Catalogue

    cat = Catalogue.create(Path(path), admin=admin, passphrase=passphrase, sealed=sealed)
    recovery = ""
    if sealed:  # made with the catalogue: its only chance to be shown
        from belarchive.services import backup_files

        recovery = backup_files.add_recovery_key(cat, admin)
    return Opened(cat, acquire_lock(Path(path)), False, recovery)


def sealed_members(path: Path) -> list[str]:
    """The members named in a sealed catalogue's seal.json (readable without the key)."""
    from belarchive.security import catalogue_keys

    return sorted({m.user for m in catalogue_keys.members(Path(path))})


def users_of(cat: Catalogue) -> list[tuple[str, str]]:
    from belarchive.services import users

    return [(u.name, u.role) for u in users.list_users(cat) if u.active]
