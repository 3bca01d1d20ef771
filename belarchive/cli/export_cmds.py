"""``belarchive export KIND``: write events to a file (json, csv; dossiers live elsewhere)."""

from __future__ import annotations

import argparse

from belarchive.cli import structured_cmds


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="export events to a file (json, csv)",
        description="Export the whole catalogue or a selection.",
    )
    kinds = parser.add_subparsers(dest="export_kind", metavar="KIND")
    structured_cmds.add_json_export(kinds)
    structured_cmds.add_csv_export(kinds)
