"""Shared pieces of the command line: options, opening the catalogue, printing."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from belarchive.cli.terminal import shown
from belarchive.config import default_catalogue_path
from belarchive.services.catalogue import Catalogue


def default_user() -> str:
    env = os.environ.get("BELARCHIVE_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "archivist"


def add_common(parser: argparse.ArgumentParser, *, user: bool = False) -> None:
    """Every command takes --catalogue; commands that write take --user."""
    parser.add_argument(
        "--catalogue",
        "-C",
        type=Path,
        default=None,
        help="catalogue folder (default: the default catalogue)",
    )
    if user:
        parser.add_argument(
            "--user",
            "-u",
            default=None,
            help="who is acting (default: $BELARCHIVE_USER or your login)",
        )


def catalogue_path(args: argparse.Namespace) -> Path:
    return Path(args.catalogue) if getattr(args, "catalogue", None) else default_catalogue_path()


def open_catalogue(args: argparse.Namespace) -> Catalogue:
    """Open the named catalogue; the default one is created (with the sample) on first use."""
    path = catalogue_path(args)
    if getattr(args, "catalogue", None) is None and not path.exists():
        from belarchive.services.first_run import ensure_default_catalogue

        return ensure_default_catalogue(user_name(args))
    # The search index is not opened here: it catches up from the audit log when a search
    # needs it, so commands that do not search never pay for it.
    return Catalogue.open(path)


def user_name(args: argparse.Namespace) -> str:
    return getattr(args, "user", None) or default_user()


def out(text: str = "") -> None:
    sys.stdout.write(shown(text) + "\n")


def table(rows: list[tuple[Any, ...]], headers: tuple[str, ...]) -> None:
    """A plain fixed-width table that survives copy and paste."""
    cells = [tuple(str(c) if c is not None else "" for c in r) for r in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    widths = [min(w, 60) for w in widths]
    out("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    out("  ".join("-" * w for w in widths))
    for r in cells:
        out("  ".join(c[:w].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
