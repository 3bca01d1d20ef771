"""Descriptions, examples and option help that the command modules leave out, in one place.

``apply`` fills only what a command module did not say itself; ``tests/test_cli_help.py``
keeps every command described, with an example, and every option helped.
"""

from __future__ import annotations

import argparse

EXAMPLES: dict[str, str] = {
    "user list": "Lists users, their roles and signing-key fingerprints. "
    "Example: belarchive user list -C Cases.belarchive",
    "user passphrase": "Example: belarchive user passphrase -u viktor",
    "tags": "Shows the tag vocabulary with labels in one language. Example: belarchive tags "
    "--lang ru",
    "places": "Shows the gazetteer: every place key with its names in all scripts. "
    "Example: belarchive places | grep -i minsk",
    "audit verify": "Example: belarchive audit verify --anchor /media/usb/anchor.json",
    "audit anchor": "Example: belarchive audit anchor -o /media/usb/anchor.json",
    "files verify": "Re-hashes every archived copy and names those changed or missing. "
    "Example: belarchive files verify",
    "backup": "A consistent copy of the database while it is in use, recorded in the audit "
    "log with the signed head; --encrypt makes it readable by the catalogue's members only. "
    "Example: belarchive backup -o /media/usb/ --encrypt -u anna",
    "restore": "Replaces the database with a backup of this catalogue; the current one is "
    "kept in backups/ first and the restore is recorded; an encrypted backup needs a member "
    "to sign in. Example: belarchive restore /media/usb/cases.sqlite -u anna",
    "check": "Database integrity, the signed audit log, every evidence row against its seal, "
    "imported history and every archived copy. Exit code 1 when anything is wrong. "
    "Example: belarchive check",
    "add": 'Adds an event; prints its id. Example: belarchive add --title "Задержания в '
    'Минске" --date 2020-08-09 --tag detention --place Минск --figure '
    "detained:3000:more_than",
    "show": "An event with its figures and their sources, citations, archived copies and "
    "history. Example: belarchive show 3f2a… --json",
    "list": "Events matching filters, by date. Example: belarchive list --tag repression "
    "--from 2020-11-01 --to 2020-12-31 --status unverified",
    "edit": "Changes an event; refused if someone saved it after the version you saw. "
    'Example: belarchive edit 3f2a… --expect-version 2 --title "New title"',
    "tag": "Example: belarchive tag 3f2a… --add detention --remove protest",
    "annotate": 'Example: belarchive annotate 3f2a… "Two sources disagree on the count" '
    '--passage "не менее 300"',
    "status": "Moves an event along unverified → in_review → verified / disputed / rejected; "
    "the rule's reason is printed when refused. Example: belarchive status 3f2a… in_review "
    "-u olga, then: belarchive status 3f2a… verified -u viktor",
    "delete": "Withdraws an event; its row and history stay and 'undelete' brings it back. "
    'Example: belarchive delete 3f2a… --expect-version 3 --reason "duplicate"',
    "undelete": "Example: belarchive undelete 3f2a…",
    "merge": "Merges a duplicate into the event kept; citations and figures move with "
    "their sources. Example: belarchive merge KEEP_ID DUPLICATE_ID",
    "history": "Every audit entry about an event. Example: belarchive history 3f2a…",
    "source add": 'Example: belarchive source add --title "Viasna report" --url https://… '
    "--reliability B",
    "source list": "Example: belarchive source list",
    "cite": 'Example: belarchive cite EVENT_ID SOURCE_ID --locator "p. 3" --credibility 2',
    "attach": "Archives a copy of a file for a source (stored once by SHA-256). "
    "Example: belarchive attach SOURCE_ID report.pdf",
    "search": "Example: belarchive search 'συλληψη place:Минск date:2020-11..2020-12'",
    "index check": "Compares the search index with the catalogue. Example: belarchive index check",
    "index rebuild": "Rebuilds the search index from the catalogue. Example: belarchive index "
    "rebuild",
    "import json": "Example: belarchive import json archive.json -u anna",
    "import csv": "Example: belarchive import csv table.csv --map title=Headline --map date=Date",
    "import chronicle": "Example: belarchive import chronicle digest.md --year 2020 --commit "
    "--on-duplicate link",
    "export json": "Example: belarchive export json -o archive.json --from 2020-11-01",
    "export csv": "Example: belarchive export csv --bom -o events.csv",
    "dossier incident-log": "A PDF log of incidents with totals that respect qualifiers and "
    "running totals shown apart. Example: belarchive dossier incident-log --from 2020-11-01 "
    "--to 2020-12-31 --lang el -o log.pdf",
    "dossier chronicle": "A PDF chronicle day by day with full entries and sources. "
    "Example: belarchive dossier chronicle --status verified -o chronicle.pdf",
    "dossier verify": "Checks every page of a dossier as written and that what it cites is "
    "unchanged in the catalogue. Example: belarchive dossier verify log.pdf",
}

OPTION_HELP: dict[str, str] = {
    "lang": "language of labels and texts (el, ru, be, en)",
    "language": "language of the text (el, ru, be, en)",
    "title": "a short title",
    "description": "the full text",
    "uuid": "the event's id (as 'list' or 'add' printed it)",
    "json": "print as JSON",
    "tag": "only events with this tag (repeatable)",
    "place": "only events at this place (repeatable)",
    "status": "only events with this verification status",
    "sort": "sort by this column",
    "desc": "newest or largest first",
    "limit": "at most this many rows",
    "format": "table for people, tsv for scripts",
    "add": "a tag to add (repeatable)",
    "remove": "a tag to remove (repeatable)",
    "text": "the annotation's text",
    "keep": "the event that stays",
    "duplicate": "the event merged into it",
    "author": "who wrote it",
    "publisher": "who published it",
    "url": "where it was published",
    "event": "the event's id",
    "source": "the source's id",
    "file": "the file to read",
    "query": "the search (see the syntax above)",
    "date_from": "events on or after this date",
    "date_to": "events on or before this date",
    "backup_file": "a backup of this catalogue (.sqlite)",
}


def apply(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Fill in missing descriptions and option help, recursively."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                _fill(sub, (*path, name))
                apply(sub, (*path, name))


def _fill(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
    example = EXAMPLES.get(" ".join(path))
    if example and "Example:" not in (parser.description or ""):
        parser.description = f"{parser.description} {example}" if parser.description else example
    for action in parser._actions:
        if not action.help and not isinstance(action, argparse._HelpAction):
            action.help = OPTION_HELP.get(action.dest)
