"""``belarchive import KIND FILE``: bring records in (chronicle, json, csv).

Each kind adds itself to the ``import`` sub-commands through one function; to add a kind,
write ``add_<kind>(subs)`` and call it from register().
"""

from __future__ import annotations

import argparse

from belarchive.cli import chronicle_cmds, structured_cmds


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import records from a file",
        description="Import a chronicle, a belarchive-json export or a CSV spreadsheet.",
    )
    kinds = parser.add_subparsers(dest="import_kind", metavar="KIND")
    structured_cmds.add_json_import(kinds)
    structured_cmds.add_csv_import(kinds)
    _register_chronicle(kinds)


def _register_chronicle(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    chronicle_cmds.add_chronicle(subs)
