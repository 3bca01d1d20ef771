"""Desktop integration and shell completion: ``belarchive desktop install|uninstall`` and
``belarchive completion bash|zsh``."""

from __future__ import annotations

import argparse
from typing import Any

from belarchive.cli.common import out
from belarchive.i18n import _

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


def cmd_install(_args: argparse.Namespace) -> int:
    from belarchive import desktop

    completions = {shell: completion_script(shell) for shell in SHELLS}
    try:  # drawing the PNG sizes needs Qt, which only the GUI layer imports
        from belarchive.gui.icon_render import rendered_icons

        pngs = rendered_icons(desktop.ICON_SIZES)
    except ImportError:
        pngs = {}
    done = desktop.install(completions, pngs)
    for item in done:
        out(f"{item.what}: {item.target}")
    out(
        _(
            "belarchive is in your desktop menu. For zsh completion, add {folder} to your fpath."
        ).format(folder=desktop.data_home() / "zsh" / "site-functions")
    )
    return 0


def cmd_uninstall(_args: argparse.Namespace) -> int:
    from belarchive import desktop

    removed = desktop.uninstall()
    for path in removed:
        out(_("removed {path}").format(path=path))
    out(_("Nothing was installed.") if not removed else _("belarchive left the desktop menu."))
    return 0


def cmd_completion(args: argparse.Namespace) -> int:
    out(completion_script(args.shell).rstrip("\n"))
    return 0
