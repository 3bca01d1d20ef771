"""Desktop integration for one user: the menu entry, icon, AppStream metainfo and shell
completion, put in place under ``$XDG_DATA_HOME`` (``~/.local/share``) and taken away again.

No Qt here: the command line installs it, and a machine without a display can too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from belarchive.config import read_resource
from belarchive.errors import BelarchiveError
from belarchive.i18n import _

APP_ID = "org.belarchive.Belarchive"


@dataclass(frozen=True, slots=True)
class Planned:
    target: Path
    content: bytes
    what: str


def data_home() -> Path:
    given = os.environ.get("XDG_DATA_HOME")
    return Path(given) if given else Path.home() / ".local" / "share"


def launcher() -> list[str]:
    """How to start this very installation: its ``belarchive`` script, else the module."""
    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    if script is not None and script.name == "belarchive" and script.is_file():
        return [str(script)]
    found = shutil.which("belarchive")
    return [found] if found else [sys.executable, "-m", "belarchive"]


def desktop_entry(command: list[str]) -> bytes:
    """The shipped .desktop file, its Exec line pointing at ``command`` (quoted per the
    Desktop Entry spec), so the menu opens this installation even off the PATH."""
    text = read_resource("desktop", f"{APP_ID}.desktop").decode("utf-8")
    quoted = " ".join(_exec_quote(part) for part in command)
    lines = []
    for line in text.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={quoted} %f"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        lines.append(line)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _exec_quote(arg: str) -> str:
    if all(c.isalnum() or c in "/._-+" for c in arg):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


ICON_SIZES = (16, 32, 48, 64, 128, 256)


def plan(completions: dict[str, str], pngs: dict[int, bytes] | None = None) -> list[Planned]:
    home = data_home()
    svg = read_resource("desktop", f"{APP_ID}.svg")
    metainfo = read_resource("desktop", f"{APP_ID}.metainfo.xml")
    files = [
        Planned(home / "applications" / f"{APP_ID}.desktop", desktop_entry(launcher()),
                _("menu entry")),
        Planned(home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg", svg,
                _("icon (scalable)")),
        Planned(home / "metainfo" / f"{APP_ID}.metainfo.xml", metainfo, _("AppStream metainfo")),
    ]  # fmt: skip
    for size, png in sorted((pngs or {}).items()):
        folder = home / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        files.append(
            Planned(folder / f"{APP_ID}.png", png, _("icon ({size}×{size})").format(size=size))
        )
    if "bash" in completions:
        files.append(Planned(home / "bash-completion" / "completions" / "belarchive",
                             completions["bash"].encode(), _("bash completion")))  # fmt: skip
    if "zsh" in completions:
        files.append(Planned(home / "zsh" / "site-functions" / "_belarchive",
                             completions["zsh"].encode(), _("zsh completion")))  # fmt: skip
    return files


def install(completions: dict[str, str], pngs: dict[int, bytes] | None = None) -> list[Planned]:
    """Write every planned file (each replaced whole); returns what was written."""
    done = []
    for item in plan(completions, pngs):
        try:
            item.target.parent.mkdir(parents=True, exist_ok=True)
            tmp = item.target.with_name(f".{item.target.name}.tmp")
            tmp.write_bytes(item.content)
            os.replace(tmp, item.target)
        except OSError as exc:
            raise BelarchiveError(
                _("Cannot install the {what} at {target}: {reason}.").format(
                    what=item.what, target=item.target, reason=exc.strerror or exc
                )
            ) from exc
        done.append(item)
    _refresh_caches()
    return done


def uninstall() -> list[Path]:
    """Remove what ``install`` put in place; returns the files removed."""
    removed = []
    for item in plan({"bash": "", "zsh": ""}, dict.fromkeys(ICON_SIZES, b"")):
        if item.target.exists():
            item.target.unlink()
            removed.append(item.target)
    _refresh_caches()
    return removed


def _refresh_caches() -> None:
    """Best effort: desktops that cache menus and icons see the change at once."""
    home = data_home()
    commands = (
        ["update-desktop-database", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", str(home / "icons" / "hicolor")],
    )
    for command in commands:
        if shutil.which(command[0]):
            subprocess.run(command, check=False, capture_output=True, timeout=30)
