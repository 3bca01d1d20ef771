"""`belarchive search QUERY`, `belarchive index check`, `belarchive index rebuild`.

The index catches up from the audit log before it answers, so writes made by any earlier
command (or another program) are searchable without the CLI keeping the index open.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from belarchive.cli.common import add_common, open_catalogue, out
from belarchive.domain.text import squash_spaces
from belarchive.i18n import _, number
from belarchive.search import api
from belarchive.search.results import expansion_text
from belarchive.services.filters import statuses
from belarchive.services.validation import iso_day
from belarchive.storage.queries import EventFilter

SYNTAX = (
    'words, "a phrase", AND / OR / NOT, prefix*, tag:detention, place:Минск, status:verified, '
    "actor:Lukashenko, lang:el, date:2020-11..2020-12"
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "search",
        help="full-text search (Greek, Russian, Belarusian, English)",
        description=f"Query syntax: {SYNTAX}.",
    )
    add_common(p)
    p.add_argument("query")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument(
        "--no-cross-script",
        action="store_true",
        help="do not match names written in another script",
    )
    p.add_argument(
        "--exact-words",
        action="store_true",
        help="search words as typed (their inflections only): no lemmas, word families "
        "or concept tags",
    )
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--status", action="append", default=[])
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("index", help="the search index: check or rebuild")
    actions = p.add_subparsers(dest="index_cmd", metavar="ACTION", required=True)
    q = actions.add_parser("check", help="is the index complete and undamaged?")
    add_common(q)
    q.set_defaults(handler=cmd_index_check)
    q = actions.add_parser("rebuild", help="rebuild the index from the database")
    add_common(q)
    q.set_defaults(handler=cmd_index_rebuild)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rindexing {done:,}/{total:,}")
        sys.stderr.flush()


def cmd_search(args: argparse.Namespace) -> int:
    filters = EventFilter(
        date_from=iso_day(args.date_from, _("start date")),
        date_to=iso_day(args.date_to, _("end date")),
        statuses=statuses(args.status),
    )
    with open_catalogue(args) as cat:
        api.open_index(cat, _progress)
        results = api.search(
            cat,
            args.query,
            args.limit,
            filters=filters,
            cross_script=not args.no_cross_script,
            word_families=not args.exact_words,
        )
        api.close_index(cat)
    for hit in results.hits:
        out(f"{hit.date_edtf or 'undated':<12} {squash_spaces(hit.title.marked('[', ']'))}")
        if hit.snippet.text:
            out(f"             {squash_spaces(hit.snippet.marked('[', ']'))}")
        out(
            _("             id {uuid}  score {score}").format(
                uuid=hit.uuid, score=f"{hit.score:.2f}"
            )
        )
    summary = (
        _("\n{total} match(es); showing {shown} ({ms} ms).")
        if results.total_exact
        else _("\nabout {total} match(es); showing {shown} ({ms} ms).")
    )
    out(
        summary.format(
            total=number(results.total),
            shown=number(len(results.hits)),
            ms=f"{results.elapsed_ms:.0f}",
        )
    )
    if results.suggestion:
        out(_("Did you mean: {suggestion}").format(suggestion=results.suggestion))
    for expansion in results.expansions:
        out(expansion_text(expansion))
    for note in results.notes:
        out(_("note: {note}").format(note=note))
    return 0


def cmd_index_check(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        health = api.check_index(cat)
    out(
        _(
            "{status}: {message} ({doc_count} documents, audit entry {applied_seq} of {head_seq} "
            "applied)"
        ).format(
            status=health.status,
            message=health.message,
            doc_count=number(health.doc_count),
            applied_seq=health.applied_seq,
            head_seq=health.head_seq,
        )
    )
    return 0 if health.status in ("ok", "behind") else 1


def cmd_index_rebuild(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        health = api.rebuild_index(cat, _progress)
        api.close_index(cat)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    out(
        _("Rebuilt: {doc_count} documents. {message}").format(
            doc_count=number(health.doc_count), message=health.message
        )
    )
    return 0
