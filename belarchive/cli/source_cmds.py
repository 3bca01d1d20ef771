"""Source commands: add and list sources, cite them on events, attach archived copies."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from belarchive.cli.common import add_common, open_catalogue, out, table, user_name
from belarchive.services import sources
from belarchive.services.inputs import SourceInput
from belarchive.storage.detail import list_sources


def register(sub: Any) -> None:
    p = sub.add_parser("source", help="sources: add, list")
    ss = p.add_subparsers(dest="source_cmd", metavar="ACTION", required=True)
    q = ss.add_parser("add", help="add a source")
    add_common(q, user=True)
    q.add_argument("--title", required=True)
    q.add_argument(
        "--kind",
        default="other",
        help="news, ngo_report, official, social_media, witness, chronicle, document, other",
    )
    q.add_argument("--author", default="")
    q.add_argument("--publisher", default="")
    q.add_argument("--url", default="")
    q.add_argument("--published", default=None, help="EDTF date")
    q.add_argument("--accessed", default=None, help="YYYY-MM-DD")
    q.add_argument("--language", default="und")
    q.add_argument("--reliability", default="F", help="A (reliable) … F (cannot be judged)")
    q.set_defaults(handler=cmd_source_add)
    q = ss.add_parser("list", help="list sources")
    add_common(q)
    q.set_defaults(handler=cmd_source_list)

    p = sub.add_parser("cite", help="cite a source on an event")
    add_common(p, user=True)
    p.add_argument("event")
    p.add_argument("source")
    p.add_argument("--locator", default="", help="page, line span, timestamp…")
    p.add_argument("--quote", default="", help="the passage that supports the event")
    p.add_argument("--credibility", type=int, default=6, help="1 (confirmed) … 6 (cannot judge)")
    p.set_defaults(handler=cmd_cite)

    p = sub.add_parser("attach", help="archive a copy of a source (stored by SHA-256)")
    add_common(p, user=True)
    p.add_argument("source")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_attach)


def cmd_source_add(args: argparse.Namespace) -> int:
    data = SourceInput(
        title=args.title,
        kind=args.kind,
        author=args.author,
        publisher=args.publisher,
        url=args.url,
        published=args.published,
        accessed=args.accessed,
        language=args.language,
        reliability=args.reliability,
    )
    with open_catalogue(args) as cat:
        outcome = sources.add_source(cat, user_name(args), data)
    out(outcome.uuid)
    return 0


def cmd_source_list(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat, cat.session() as s:
        rows = [
            (src.title, src.publisher, src.reliability, len(src.attachments), src.uuid)
            for src in list_sources(s)
        ]
    table(rows, ("title", "publisher", "grade", "copies", "id"))
    return 0


def cmd_cite(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        outcome = sources.cite(
            cat,
            user_name(args),
            args.event,
            args.source,
            locator=args.locator,
            quote=args.quote,
            credibility=args.credibility,
        )
    out(outcome.uuid)
    return 0


def cmd_attach(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        outcome = sources.attach_file(cat, user_name(args), args.source, args.file)
    out(f"sha256 {outcome.uuid}  {args.file.name}")
    return 0
