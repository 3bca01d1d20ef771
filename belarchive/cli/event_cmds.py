"""Event commands: add, show, list, edit, tag, annotate, status, delete, restore, merge."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

from belarchive.cli.common import (
    add_common,
    add_expect_version,
    open_catalogue,
    out,
    table,
    user_name,
)
from belarchive.cli.terminal import shown
from belarchive.domain.edtf_dates import human_reading
from belarchive.domain.values import QUALIFIER_SYMBOL, FigureScope, Qualifier
from belarchive.errors import ValidationError
from belarchive.i18n import _, ngettext, number
from belarchive.services import events, filters, verification
from belarchive.services.inputs import ActorInput, EventInput, EventPatch, FigureInput
from belarchive.services.validation import iso_day
from belarchive.storage import queries
from belarchive.storage.detail import event_audit, load_event_detail

if TYPE_CHECKING:
    from sqlmodel import Session

_FIGURE_VALUE = re.compile(r"^\d+(-\d+)?$")


def _figure(spec: str) -> FigureInput:
    """KIND:VALUE[-MAX][:QUALIFIER][@PERIOD], e.g. detained:340:at_least or injured:10-20.

    ``@PERIOD`` marks a reported running total over that period (EDTF, "../2020-11-03" for
    an unstated start, "@" alone for an unstated period): listed, never added to totals.
    """
    body, at, period = spec.partition("@")
    parts = body.split(":")
    if len(parts) not in (2, 3) or not _FIGURE_VALUE.match(parts[1].strip()):
        raise ValidationError(
            _(
                "'{spec}' is not a figure; write KIND:VALUE[:QUALIFIER][@PERIOD] with a whole "
                "number or a range, e.g. detained:340:at_least, injured:10-20 or "
                "detained:25000:more_than@2020-08-09/2020-11-03 for a running total."
            ).format(spec=spec)
        )
    low, _dash, high = parts[1].strip().partition("-")
    # The service checks the numbers (validation.figure_values) and says what is wrong.
    return FigureInput(
        parts[0],
        cast(Any, low),
        cast(Any, high or None),
        parts[2] if len(parts) == 3 else Qualifier.EXACT,
        scope=FigureScope.PERIOD if at else FigureScope.INCIDENT,
        period=period.strip() or None,
    )


def _actor(spec: str) -> ActorInput:
    name, _colon, role = spec.partition(":")
    return ActorInput(name, role or "mentioned")


def _event_options(p: argparse.ArgumentParser, *, required: bool) -> None:
    p.add_argument("--title", required=required)
    p.add_argument("--date", help="EDTF, e.g. 2020-11-15, 2020-10~, 2020-11-13/2020-11-15")
    p.add_argument("--description")
    p.add_argument("--language")
    p.add_argument("--tag", action="append", help="tag key or label (repeatable)")
    p.add_argument("--place", action="append", help="place key or any name (repeatable)")
    p.add_argument("--actor", action="append", help="NAME[:ROLE] (repeatable)")
    p.add_argument(
        "--figure",
        action="append",
        help="KIND:VALUE[-MAX][:QUALIFIER][@PERIOD] (repeatable); @PERIOD marks a running "
        "total, e.g. detained:25000:more_than@2020-08-09/2020-11-03",
    )


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", help="last day (YYYY-MM-DD)")
    p.add_argument("--tag", action="append", default=[])
    p.add_argument("--place", action="append", default=[])
    p.add_argument("--status", action="append", default=[])
    p.add_argument("--lang", action="append", default=[])


def register(sub: Any) -> None:
    p = sub.add_parser("add", help="add an event")
    add_common(p, user=True)
    _event_options(p, required=True)
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("show", help="show one event in full")
    add_common(p)
    p.add_argument("uuid")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("list", help="list events (filters combine)")
    add_common(p)
    _filters(p)
    p.add_argument("--sort", default="date", choices=sorted(set(queries.SORT_KEYS) - {"rank"}))
    p.add_argument("--desc", action="store_true")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--all", action="store_true", help="every matching event (streamed)")
    p.add_argument("--format", choices=["table", "tsv"], default="table")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("edit", help="edit an event (needs the version you saw)")
    add_common(p, user=True)
    p.add_argument("uuid")
    add_expect_version(p)
    _event_options(p, required=False)
    p.set_defaults(handler=cmd_edit)

    p = sub.add_parser("tag", help="add or remove tags")
    add_common(p, user=True)
    p.add_argument("uuid")
    p.add_argument("--add", action="append", default=[])
    p.add_argument("--remove", action="append", default=[])
    p.set_defaults(handler=cmd_tag)

    p = sub.add_parser("annotate", help="add an annotation to an event")
    add_common(p, user=True)
    p.add_argument("uuid")
    p.add_argument("text")
    p.add_argument("--passage", default="", help="the passage the note comments on")
    p.set_defaults(handler=cmd_annotate)

    p = sub.add_parser("status", help="set verification status")
    add_common(p, user=True)
    p.add_argument("uuid")
    p.add_argument("status", help="in_review, verified, disputed, rejected, unverified")
    p.add_argument("--note", default="", help="reason (required for disputed/rejected)")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("delete", help="withdraw an event (history is kept)")
    add_common(p, user=True)
    p.add_argument("uuid")
    add_expect_version(p)
    p.add_argument("--reason", required=True, help="why it is withdrawn (kept in its history)")
    p.set_defaults(handler=cmd_delete)

    p = sub.add_parser("undelete", help="restore a withdrawn event")
    add_common(p, user=True)
    p.add_argument("uuid")
    p.set_defaults(handler=cmd_undelete)

    p = sub.add_parser("merge", help="merge a duplicate into another event")
    add_common(p, user=True)
    p.add_argument("keep")
    p.add_argument("duplicate")
    p.set_defaults(handler=cmd_merge)

    p = sub.add_parser("history", help="the audit entries of one event")
    add_common(p)
    p.add_argument("uuid")
    p.set_defaults(handler=cmd_history)


def cmd_add(args: argparse.Namespace) -> int:
    data = EventInput(
        title=args.title,
        date=args.date,
        description=args.description or "",
        language=args.language or "und",
        tags=tuple(args.tag or ()),
        places=tuple(args.place or ()),
        actors=tuple(_actor(a) for a in args.actor or ()),
        figures=tuple(_figure(f) for f in args.figure or ()),
    )
    with open_catalogue(args) as cat:
        outcome = events.create_event(cat, user_name(args), data)
    out(outcome.uuid)
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    patch = EventPatch(
        title=args.title,
        date=args.date,
        description=args.description,
        language=args.language,
        tags=tuple(args.tag) if args.tag is not None else None,
        places=tuple(args.place) if args.place is not None else None,
        actors=tuple(_actor(a) for a in args.actor) if args.actor is not None else None,
        figures=tuple(_figure(f) for f in args.figure) if args.figure is not None else None,
    )
    with open_catalogue(args) as cat:
        events.update_event(cat, user_name(args), args.uuid, args.expect_version, patch)
        new_version = events.event_detail(cat, args.uuid)["version"]
    out(_("Saved {uuid} (version {version}).").format(uuid=args.uuid, version=new_version))
    return 0


def _figure_text(f: Any) -> str:
    value = f"{f.value_min}–{f.value_max}" if f.value_max is not None else str(f.value_min)
    text = f"{QUALIFIER_SYMBOL.get(Qualifier(f.qualifier), '')}{value}"
    if f.scope != FigureScope.INCIDENT.value:
        text += f" (running total over {f.period or 'an unstated period'}; never summed)"
    elif f.part_of:
        text += " (part of another figure; not summed on its own)"
    return text


def cmd_show(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat, cat.session() as s:
        d = load_event_detail(s, args.uuid)
    if args.json:
        out(json.dumps(asdict(d), ensure_ascii=False, indent=2, default=str))
        return 0
    when = human_reading(d.date_edtf) if d.date_edtf else "undated"
    out(
        _(
            "{title}\n  id {uuid}  version {version}  status {status}{deleted}\n  date {date} "
            "({when})  language {language}"
        ).format(
            title=d.title,
            uuid=d.uuid,
            version=d.version,
            status=d.status,
            deleted=_("  DELETED") if d.deleted else "",
            date=d.date_edtf or "-",
            when=when,
            language=d.language,
        )
    )
    out(_("  tags: {tags}").format(tags=", ".join(d.tags) or "-"))
    out(_("  places: {places}").format(places=", ".join(p.display_name for p in d.places) or "-"))
    actors = ", ".join(f"{a.name} ({a.role})" for a in d.actors) or "-"
    out(_("  actors: {actors}").format(actors=actors))
    cites = {c.uuid: n for n, c in enumerate(d.citations, 1)}
    for f in d.figures:
        src = (_(" [source {n}]").format(n=cites[f.citation_uuid])
               if f.citation_uuid in cites else "")  # fmt: skip
        out(_("  figure: {kind} {value}{source}").format(kind=f.kind, value=_figure_text(f),
                                                         source=src))  # fmt: skip
    if d.description:
        out("\n" + d.description + "\n")
    for n, c in enumerate(d.citations, 1):
        out(f"  [{n}] {c.source.title} ({c.source.reliability}{c.credibility}) {c.locator}")
        for a in c.source.attachments:
            out(
                _("      copy {original_name} sha256 {sha256}").format(
                    original_name=a.original_name, sha256=a.sha256
                )
            )
    for note in d.annotations:
        when = f"{note.created_at:%Y-%m-%d %H:%M}"
        out(_("  note by {author} at {when}: {text}").format(
            author=note.author, when=when, text=note.text))  # fmt: skip
    for h in d.status_history:
        out(f"  {h.at:%Y-%m-%d %H:%M} {h.reviewer}: {h.from_status} → {h.to_status} {h.note}")
    return 0


def _filter_from(args: argparse.Namespace, session: Session) -> queries.EventFilter:
    """The listing filter; an unknown tag, place or status is an error naming it."""
    return queries.EventFilter(
        date_from=iso_day(args.date_from, _("start date")),
        date_to=iso_day(args.date_to, _("end date")),
        tags=filters.tag_keys(session, args.tag),
        places=filters.place_keys(session, args.place),
        statuses=filters.statuses(args.status),
        languages=tuple(args.lang),
    )


def _cells(r: queries.EventRow) -> tuple[str, ...]:
    detained = ""
    if r.detained is not None:
        symbol = QUALIFIER_SYMBOL.get(Qualifier(r.detained_qualifier or "exact"), "")
        detained = f"{symbol}{r.detained}"
    return (r.date_edtf or "", r.title, r.places, detained, r.status, r.uuid)


def cmd_list(args: argparse.Namespace) -> int:
    headers = ("date", "title", "places", "detained", "status", "id")
    with open_catalogue(args) as cat, cat.reader.connect() as conn:
        with cat.session() as session:
            f = _filter_from(args, session)
        if args.all:
            # One streamed statement: constant memory, no re-walking of earlier pages.
            out("\t".join(headers))
            rows = queries.iter_events(conn, f, sort=args.sort, descending=args.desc)
            sys.stdout.writelines(shown("\t".join(_cells(r))) + "\n" for r in rows)
            return 0
        total = queries.count_events(conn, f)
        rows_page = queries.list_events(conn, f, sort=args.sort, descending=args.desc,
                                        limit=args.limit)  # fmt: skip
    cells = [_cells(r) for r in rows_page]
    if args.format == "tsv":
        out("\t".join(headers))
        sys.stdout.writelines(shown("\t".join(c)) + "\n" for c in cells)
    else:
        table(cells, headers)
        out(
            ngettext(
                "\n{total} event matches; showing {shown}.",
                "\n{total} events match; showing {shown}.",
                total,
            ).format(total=number(total), shown=number(len(cells)))
        )
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        events.tag_event(cat, user_name(args), args.uuid, tuple(args.add), tuple(args.remove))
    out(_("Tags saved."))
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        events.annotate(cat, user_name(args), args.uuid, args.text, args.passage)
    out(_("Annotation added."))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        verification.set_status(cat, user_name(args), args.uuid, args.status, args.note)
    out(_("Status set to {status}.").format(status=args.status))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        events.delete_event(cat, user_name(args), args.uuid, args.expect_version, args.reason)
    out(_("Event withdrawn; its history is kept (undelete restores it)."))
    return 0


def cmd_undelete(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        events.restore_event(cat, user_name(args), args.uuid)
    out(_("Event restored."))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        events.merge_events(cat, user_name(args), args.keep, args.duplicate)
    out(_("Merged {duplicate} into {keep}.").format(duplicate=args.duplicate, keep=args.keep))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat, cat.session() as s:
        entries = event_audit(s, args.uuid)
    table(
        [(e.seq, e.ts[:19], e.user, e.action) for e in entries], ("seq", "time", "user", "action")
    )
    return 0
