"""Desktop integration: the per-user install and uninstall, the menu entry's Exec line, and
the no-display message of both entry points (real processes, no display)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from belarchive.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_install_then_uninstall_for_one_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["desktop", "install"]) == 0
    share = tmp_path / "share"
    entry = share / "applications" / "org.belarchive.Belarchive.desktop"
    text = entry.read_text(encoding="utf-8")
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" %f") and "belarchive" in exec_line
    assert (share / "icons/hicolor/scalable/apps/org.belarchive.Belarchive.svg").exists()
    png = share / "icons/hicolor/48x48/apps/org.belarchive.Belarchive.png"
    assert png.read_bytes().startswith(b"\x89PNG")  # drawn from the SVG at each size
    assert len(list(share.glob("icons/hicolor/*x*/apps/*.png"))) == 6
    metainfo = (share / "metainfo/org.belarchive.Belarchive.metainfo.xml").read_text("utf-8")
    assert "example.org" not in metainfo  # no invented addresses
    bash = (share / "bash-completion/completions/belarchive").read_text(encoding="utf-8")
    assert "belarchive" in bash and "dossier" in bash
    assert (share / "zsh/site-functions/_belarchive").exists()
    capsys.readouterr()
    assert main(["desktop", "uninstall"]) == 0
    assert "left the desktop menu" in capsys.readouterr().out
    assert not entry.exists() and not list(share.rglob("*belarchive*"))


def _without_display() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    return env


@pytest.mark.parametrize(
    "command",
    [
        ["-c", "import sys; from belarchive.gui.app import gui_script; sys.exit(gui_script())"],
        ["-m", "belarchive", "Cases.belarchive"],
        ["-m", "belarchive", "-C", "Cases.belarchive", "-u", "anna"],
    ],
)
def test_without_a_display_both_entry_points_say_so(command: list[str], tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, *command], env=_without_display(), cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "no graphical display was found" in done.stderr
    assert "Traceback" not in done.stderr and "Aborted" not in done.stderr


def test_the_shipped_desktop_file_opens_a_path() -> None:
    text = (ROOT / "resources/desktop/org.belarchive.Belarchive.desktop").read_text("utf-8")
    assert "Exec=belarchive %f" in text
    from belarchive.cli import gui_request

    # What the menu passes (%f: one folder path) opens the GUI on it, not a usage error.
    assert gui_request(["/home/anna/Cases.belarchive"]) == [
        "--catalogue",
        "/home/anna/Cases.belarchive",
    ]
