"""The GUI's remembered state (last catalogue, recent list, users, language, geometry).

Stored as an INI file in ``config.config_dir()``, so ``BELARCHIVE_CONFIG_DIR`` isolates tests
and portable installs: nothing leaks into the user's real settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import QByteArray, QSettings

from belarchive.config import config_dir

MAX_RECENT = 8


class GuiSettings:
    """Typed accessors over one QSettings file."""

    def __init__(self, path: Path | None = None) -> None:
        target = path or config_dir() / "gui.ini"
        self.qs = QSettings(str(target), QSettings.Format.IniFormat)

    # -- catalogues -------------------------------------------------------------------------
    @property
    def last_catalogue(self) -> Path | None:
        value = self.qs.value("catalogue/last", "")
        return Path(str(value)) if value else None

    def remember_catalogue(self, path: Path) -> None:
        path = Path(path)
        self.qs.setValue("catalogue/last", str(path))
        recent = [p for p in self.recent_catalogues if p != path]
        self.qs.setValue("catalogue/recent", [str(p) for p in [path, *recent][:MAX_RECENT]])
        self.qs.sync()

    @property
    def recent_catalogues(self) -> list[Path]:
        value = self.qs.value("catalogue/recent", [])
        items = [value] if isinstance(value, str) else list(cast(Any, value) or [])
        return [Path(str(v)) for v in items if v]

    # -- users ------------------------------------------------------------------------------
    def user_for(self, catalogue_id: str) -> str:
        return str(self.qs.value(f"users/{catalogue_id or 'default'}", "") or "")

    @property
    def last_team_address(self) -> str:
        """The team catalogue address last connected to, without its password."""
        return str(self.qs.value("team/last_address", ""))

    @last_team_address.setter
    def last_team_address(self, address: str) -> None:
        from belarchive.storage.server import split_password

        self.qs.setValue("team/last_address", split_password(address)[0])
        self.qs.sync()

    def remember_user(self, catalogue_id: str, name: str) -> None:
        self.qs.setValue(f"users/{catalogue_id or 'default'}", name)
        self.qs.sync()

    # -- looks ------------------------------------------------------------------------------
    @property
    def language(self) -> str:
        from belarchive.gui.i18n import LANGUAGES

        value = str(self.qs.value("ui/language", "en") or "en")
        return value if value in LANGUAGES else "en"

    @language.setter
    def language(self, value: str) -> None:
        self.qs.setValue("ui/language", value)
        self.qs.sync()

    @property
    def lock_minutes(self) -> int:
        """Minutes without use before the window locks (0: never); 15 by default."""
        try:
            return max(0, int(cast(Any, self.qs.value("security/lock_minutes", 15))))
        except (TypeError, ValueError):
            return 15

    @lock_minutes.setter
    def lock_minutes(self, value: int) -> None:
        self.qs.setValue("security/lock_minutes", int(value))
        self.qs.sync()

    def blob(self, key: str) -> QByteArray | None:
        value = self.qs.value(f"window/{key}")
        return value if isinstance(value, QByteArray) else None

    def set_blob(self, key: str, value: QByteArray) -> None:
        self.qs.setValue(f"window/{key}", value)
