"""Moving between a folder and a team server: ``belarchive copy SRC DST``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from belarchive.cli.common import catalogue_arg, out, sign_in, unlock_for, user_name
from belarchive.errors import ValidationError
from belarchive.i18n import _, ngettext
from belarchive.services.catalogue import Catalogue


def register(sub: Any) -> None:
    p = sub.add_parser(
        "copy",
        help="copy a whole catalogue between a folder and a team server",
        description="Copy a whole catalogue, history, seals and archived copies included, "
        "from a folder to an empty PostgreSQL database or from a team catalogue to a new "
        "folder. The copy checks like the original and exports the same JSON; a failure "
        "midway leaves nothing behind. Example: belarchive copy Minsk.belarchive "
        "postgresql://anna@archive.example.org/cases",
    )
    p.add_argument("source", type=catalogue_arg, help="catalogue folder or team address")
    p.add_argument("target", type=catalogue_arg,
                   help="new folder, or an empty database's postgresql:// address")  # fmt: skip
    p.add_argument("--user", "-u", default=None,
                   help="who copies (an admin; on a server, its role's name)")  # fmt: skip
    p.set_defaults(handler=cmd_copy)


def _open_source(args: argparse.Namespace, copier: str) -> Catalogue:
    from belarchive.services.team import open_team

    if isinstance(args.source, str):
        cat = open_team(args.source)
    else:
        cat = Catalogue.open(args.source, unlock_for(args.source, copier))
    try:
        if not cat.is_signed_in(copier):
            sign_in(cat, copier)
    except BaseException:
        cat.close()
        raise
    return cat


def cmd_copy(args: argparse.Namespace) -> int:
    from belarchive.services import copying
    from belarchive.storage.server import parse_address

    if isinstance(args.source, Path) and isinstance(args.target, Path):
        raise ValidationError(
            _("One side of a copy must be a team server; to copy a folder, copy the folder.")
        )
    if isinstance(args.target, str):
        copier = parse_address(args.target).user or user_name(args)
    elif isinstance(args.source, str):
        copier = parse_address(args.source).user or user_name(args)
    else:
        copier = user_name(args)
    source = _open_source(args, copier)
    try:
        if isinstance(args.target, str):
            report = copying.to_server(source, args.target)
            where = parse_address(args.target).shown()
        else:
            report = copying.to_folder(source, args.target, copier)
            where = str(args.target)
    finally:
        source.close()
    rows = sum(report.rows.values())
    out(_("Copied to {where}: {rows} rows, {copies} archived copies.").format(
        where=where, rows=rows, copies=report.copies))  # fmt: skip
    if report.resealed:
        out(ngettext("{n} record was sealed again (a timestamp reads back in another spelling).",
                     "{n} records were sealed again (timestamps read back in another spelling).",
                     report.resealed).format(n=report.resealed))  # fmt: skip
    if report.without_role:
        out(_("Members without a login role on the server yet: the server's administrator "
              "makes each, with their belarchive passphrase as password:"))  # fmt: skip
        for name, group in report.without_role:
            # Commands, the same in every language.
            command = f"createuser --pwprompt {name} && psql -c 'GRANT {group} TO {name}'"
            out("  " + command)
    return 0
