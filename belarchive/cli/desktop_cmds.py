"""Desktop integration and shell completion: ``belarchive desktop install|uninstall`` and
``belarchive completion bash|zsh``."""

from __future__ import annotations

import argparse
from typing import Any

from belarchive.cli.common import out

SHELLS = ("bash", "zsh")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "desktop",
        help="put belarchive in the desktop menu, with its icon and shell completion",
        description="Installs, for you alone, the menu entry (opening catalogues given as "
        "files), the icon, the AppStream metainfo and bash/zsh completion under "
        "$XDG_DATA_HOME (~/.local/share); uninstall removes them. "
        "Example: belarchive desktop install",
    )
    d = p.add_subparsers(dest="desktop_cmd", metavar="ACTION", required=True)
    q = d.add_parser("install", help="install the menu entry, icon, metainfo and completion",
                     description="Example: belarchive desktop install")  # fmt: skip
    q.set_defaults(handler=cmd_install)
    q = d.add_parser("uninstall", help="remove what 'desktop install' put in place",
                     description="Example: belarchive desktop uninstall")  # fmt: skip
    q.set_defaults(handler=cmd_uninstall)
    p = sub.add_parser(
        "completion",
        help="print the shell completion script",
        description="Prints a completion script for bash or zsh (desktop install puts both "
        "in place). Example: belarchive completion bash > ~/.bash_completion.d/belarchive",
    )
    p.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    p.set_defaults(handler=cmd_completion)


def completion_script(shell: str) -> str:
    import shtab

    from belarchive.cli import build_parser

    return str(shtab.complete(build_parser(), shell=shell))


def rendered_icons(sizes: tuple[int, ...]) -> dict[int, bytes]:
    """The icon drawn at each hicolor size (for desktops that do not scale SVG); none when
    Qt cannot draw here, and the scalable icon serves alone."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no display needed to draw
    try:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtGui import QGuiApplication, QImage, QPainter
        from PySide6.QtSvg import QSvgRenderer
    except ImportError:
        return {}
    from belarchive import desktop
    from belarchive.config import read_resource

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(QByteArray(read_resource("desktop", f"{desktop.APP_ID}.svg")))
    if not renderer.isValid():
        return {}
    out: dict[int, bytes] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(0)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        # PySide6 takes the format as text; its type stub says bytes.
        image.save(buffer, "PNG")  # type: ignore[call-overload]
        out[size] = bytes(data.data())
    return out


def cmd_install(_args: argparse.Namespace) -> int:
    from belarchive import desktop

    completions = {shell: completion_script(shell) for shell in SHELLS}
    done = desktop.install(completions, rendered_icons(desktop.ICON_SIZES))
    for item in done:
        out(f"{item.what}: {item.target}")
    out("belarchive is in your desktop menu. For zsh completion, add "
        f"{desktop.data_home() / 'zsh' / 'site-functions'} to your fpath.")  # fmt: skip
    return 0


def cmd_uninstall(_args: argparse.Namespace) -> int:
    from belarchive import desktop

    removed = desktop.uninstall()
    for path in removed:
        out(f"removed {path}")
    out("Nothing was installed." if not removed else "belarchive left the desktop menu.")
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    out(completion_script(args.shell).rstrip("\n"))
    return 0
