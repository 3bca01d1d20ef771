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
from belarchive.errors import CatalogueError, SignInRequired, ValidationError
from belarchive.i18n import _
from belarchive.services.catalogue import Catalogue
from belarchive.services.catalogue_folder import is_sealed
from belarchive.services.unlocking import Unlock
from belarchive.storage.server import is_server_address, parse_address


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
        type=catalogue_arg,
        default=None,
        help="catalogue folder, or a team catalogue's postgresql://user@host/database "
        "(default: the default catalogue)",
    )
    if user:
        parser.add_argument(
            "--user",
            "-u",
            default=None,
            help="who is acting (default: $BELARCHIVE_USER or your login)",
        )


class _OldSpelling(argparse.Action):
    """An option's former name: still works, and says what it is called now."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:  # fmt: skip
        if option_string == "--version":
            sys.stderr.write(
                "belarchive: --version here is the old name of --expect-version (the record "
                "version you saw); it still works, but use --expect-version.\n"
            )
        setattr(namespace, self.dest, values)


def add_expect_version(parser: argparse.ArgumentParser) -> None:
    """The version of the record the user saw: a save over a newer one is refused."""
    parser.add_argument(
        "--expect-version",
        "--version",
        dest="expect_version",
        type=int,
        required=True,
        action=_OldSpelling,
        metavar="N",
        help="the version 'show' printed; refused if someone saved since (old name: --version)",
    )


def catalogue_arg(text: str) -> Path | str:
    """A catalogue folder, or a team catalogue's server address (kept as text: a Path
    would fold its "//")."""
    return text if is_server_address(text) else Path(text)


def catalogue_path(args: argparse.Namespace) -> Path:
    target = getattr(args, "catalogue", None)
    if isinstance(target, str):
        raise CatalogueError(
            _(
                "This command works on a catalogue folder; {address} is a team catalogue on a "
                "server, where it is not supported yet (docs/team-mode.md)."
            ).format(address=parse_address(target).shown())
        )
    return target if target else default_catalogue_path()


def open_catalogue(args: argparse.Namespace) -> Catalogue:
    """Open the named catalogue; the default one is created (with the sample) on first use.

    Commands that write (those with --user) sign the acting user in: every change they
    make is signed with that user's key.
    """
    if isinstance(getattr(args, "catalogue", None), str):
        return _open_team(args)
    path = catalogue_path(args)
    if getattr(args, "catalogue", None) is None and not path.exists():
        from belarchive.services.first_run import ensure_default_catalogue

        cat = ensure_default_catalogue(user_name(args))
    else:
        # The search index is not opened here: it catches up from the audit log when a
        # search needs it, so commands that do not search never pay for it.
        cat = Catalogue.open(path, unlock_for(path, user_name(args)))
    if hasattr(args, "user") and not cat.is_signed_in(user_name(args)):
        try:
            sign_in(cat, user_name(args))
        except BaseException:
            cat.close()
            raise
    return cat


def _open_team(args: argparse.Namespace) -> Catalogue:
    """A team catalogue: the server signs the member in (address, $PGPASSWORD, ~/.pgpass);
    commands that write then unlock that member's signing key, and act as no one else."""
    from belarchive.services.team import open_team

    cat = open_team(args.catalogue)
    try:
        if hasattr(args, "user"):
            member = cat.member or ""
            if args.user and args.user != member:
                raise ValidationError(
                    _(
                        "You are connected to the team catalogue as {member}; write as yourself "
                        "(leave out --user, or connect as {user})."
                    ).format(member=member, user=args.user)
                )
            args.user = member
            sign_in(cat, member)
    except BaseException:
        cat.close()
        raise
    return cat


def unlock_for(path: Path, name: str) -> Unlock | None:
    """A sealed catalogue opens with a member's passphrase ($BELARCHIVE_PASSPHRASE, else
    asked); None for an open catalogue."""
    if not is_sealed(path):
        return None
    given = os.environ.get("BELARCHIVE_PASSPHRASE")
    if given is None:
        given = ask_passphrase(
            _("{file} is sealed. Passphrase for {name}: ").format(file=path.name, name=name)
        )
    return Unlock(name, given)


def sign_in(cat: Catalogue, name: str) -> None:
    """Sign ``name`` in: $BELARCHIVE_PASSPHRASE, the demo passphrase of a demo catalogue
    that still has it, or a prompt on the terminal (twice when choosing a first one)."""
    from belarchive.services import accounts

    given = accounts.unattended_passphrase(cat, name)
    if given is None:
        first = not accounts.has_passphrase(cat, name)
        given = (
            ask_new_passphrase(_("{name} has no passphrase yet; choose one").format(name=name))
            if first
            else ask_passphrase(_("Passphrase for {name}: ").format(name=name))
        )
    cat.sign_in(name, given)


def ask_passphrase(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise SignInRequired(
            _(
                "A passphrase is needed and there is no terminal to ask on: set "
                "BELARCHIVE_PASSPHRASE (and BELARCHIVE_NEW_PASSPHRASE for a new one)."
            )
        )
    return getpass.getpass(prompt)


def ask_new_passphrase(what: str, env: str = "BELARCHIVE_NEW_PASSPHRASE") -> str:
    """A new passphrase: from ``env`` for scripts, else typed twice."""
    given = os.environ.get(env)
    if given is not None:
        return given
    first = ask_passphrase(f"{what}: ")
    if ask_passphrase(_("Type it again: ")) != first:
        raise ValidationError(_("The two passphrases differ; nothing was changed."))
    return first


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
