"""The ``belarchive`` command: no arguments opens the desktop app; subcommands work headless.

Each command group lives in its own module with a ``register(subparsers)`` function; a
handler returns the exit code. Every error a user can cause is a BelarchiveError and is
printed as one line (``--verbose`` adds the detail) with exit code 1; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from belarchive import __version__
from belarchive.cli.terminal import shown
from belarchive.errors import BelarchiveError

# Each command module and the top-level commands its ``register`` adds. A command line that
# names one of them builds only that module's part of the parser, so ``belarchive list``
# does not import search, dossiers or cryptography (cold start); help and mistakes build
# the whole parser. tests/test_cli_help.py keeps this table equal to what modules register.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "belarchive.cli.catalogue_cmds": ("init", "encrypt", "user", "tags", "places", "audit",
                                      "files", "backup", "restore", "recovery-key", "check"),
    "belarchive.cli.event_cmds": ("add", "show", "list", "edit", "tag", "annotate", "status",
                                  "delete", "undelete", "merge", "history"),
    "belarchive.cli.source_cmds": ("source", "cite", "attach"),
    "belarchive.cli.search_cmds": ("search", "index"),
    "belarchive.cli.import_cmds": ("import",),
    "belarchive.cli.export_cmds": ("export",),
    "belarchive.cli.dossier_cmds": ("dossier",),
    "belarchive.cli.desktop_cmds": ("desktop", "completion"),
    "belarchive.cli.team_cmds": ("copy",),
}  # fmt: skip


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser: whole, or (``command``) with only the module that has it."""
    parser = argparse.ArgumentParser(
        prog="belarchive",
        description="An offline archive of human-rights events, their sources and verification. "
        "Run without a command to open the desktop application.",
    )
    parser.add_argument("--version", action="version", version=f"belarchive {__version__}")
    parser.add_argument("--verbose", "-v", action="store_true", help="show error details")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules(command):
        module.register(subparsers)
    from belarchive.cli import help_texts

    help_texts.apply(parser)
    return parser


def _command_modules(command: str | None) -> list[ModuleType]:
    """The command modules to register: all, or the one that has ``command``. One that is
    not importable (an optional part missing) is skipped."""
    modules = []
    for name, commands in COMMAND_MODULES.items():
        if command is not None and command not in commands:
            continue
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return modules


def _named_command(args: list[str]) -> str | None:
    """The top-level command a command line names, if it is a known one."""
    for word in args:
        if word in ("-h", "--help"):
            return None
        if not word.startswith("-"):
            known = any(word in commands for commands in COMMAND_MODULES.values())
            return word if known else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:  # without importing every command (cold start)
        sys.stdout.write(f"belarchive {__version__}\n")
        return 0
    gui_args = gui_request(args_list)
    if gui_args is not None:
        return launch_gui(gui_args)
    from belarchive import i18n

    # Messages follow $BELARCHIVE_LANG, else the system's language, where we have it.
    i18n.set_language(i18n.language_from_environment())
    parser = build_parser(_named_command(args_list))
    args = parser.parse_args(args_list)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except BelarchiveError as exc:
        # One line, whatever user text the message quotes.
        sys.stderr.write(f"belarchive: {shown(exc.message).replace(chr(10), ' ')}\n")
        if args.verbose and exc.detail:
            sys.stderr.write(f"  detail: {shown(exc.detail)}\n")
        return 1
    except KeyboardInterrupt:
        from belarchive.i18n import _

        sys.stderr.write("belarchive: " + _("interrupted; nothing half-written was kept.") + "\n")
        return 130
    except BrokenPipeError:
        return 0


_GUI_OPTIONS = {"--catalogue": "--catalogue", "-C": "--catalogue", "--user": "--user",
                "-u": "--user"}  # fmt: skip


def gui_request(args: list[str]) -> list[str] | None:
    """The desktop app's arguments when the command line asks for it, else None.

    Nothing; a catalogue folder alone (what the menu entry passes: ``belarchive PATH``);
    ``--catalogue``/``-C PATH``; any of these with ``--user``/``-u NAME``.
    """
    out: list[str] = []
    rest = list(args)
    while rest:
        word = rest.pop(0)
        name, _equals, inline = word.partition("=")
        if name in _GUI_OPTIONS:
            value = inline or (rest.pop(0) if rest else "")
            if not value:
                return None
            out += [_GUI_OPTIONS[name], value]
        elif not word.startswith("-") and "--catalogue" not in out and _is_catalogue(word):
            out += ["--catalogue", word]
        else:
            return None
    return out


def _is_catalogue(word: str) -> bool:
    path = Path(word).expanduser()
    return path.suffix == ".belarchive" or (path.is_dir() and (path / "catalogue.sqlite").exists())


def no_display() -> bool:
    """True on a Linux machine without a graphical session (Qt would abort with a core dump)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = (
    "belarchive: no graphical display was found (DISPLAY and WAYLAND_DISPLAY are not "
    "set), so the desktop application cannot open here. Run it in a desktop session, "
    "or use the command line: belarchive --help\n"
)


def launch_gui(args_list: list[str]) -> int:
    if no_display():
        sys.stderr.write(NO_DISPLAY)
        return 1
    try:
        from belarchive.gui.app import main as gui_main
    except ImportError as exc:
        sys.stderr.write(
            f"belarchive: the desktop application cannot start ({exc}). "
            "Use a subcommand (belarchive --help).\n"
        )
        return 1
    return int(gui_main(args_list) or 0)


def run() -> None:
    """The ``belarchive`` program (console script, ``python -m belarchive``, the bundle)."""
    args = sys.argv[1:]
    command = _named_command(args)
    if command is not None:
        # Importing a command's modules makes no garbage worth collecting, and the
        # collector's passes over the ORM's classes cost ~40 ms of a cold start. Freezing
        # what the imports made also keeps a long command's collections from walking it.
        gc.disable()
        try:
            _command_modules(command)
        finally:
            gc.freeze()
            gc.enable()
    code = main()
    # The program ends here: without this, the interpreter's final collection walks every
    # object the ORM and the command made (~80 ms of a 0.4 s ``list``). Not in main(),
    # which tests call many times in one process.
    gc.freeze()
    raise SystemExit(code)


if __name__ == "__main__":
    run()
