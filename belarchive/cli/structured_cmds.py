"""``belarchive export json|csv`` and ``belarchive import json|csv``: the structured formats.

export_cmds.py and import_cmds.py own the ``export`` and ``import`` command groups and call
the ``add_*`` functions here, one per kind, so other kinds (chronicle, dossier) sit beside
them without touching this module.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from belarchive.cli.common import add_common, open_catalogue, out, user_name
from belarchive.domain.edtf_dates import parse_date
from belarchive.errors import ValidationError
from belarchive.i18n import _, ngettext, number
from belarchive.services.catalogue import Catalogue
from belarchive.storage.queries import EventFilter, count_events, filtered_uuids

# -- export -----------------------------------------------------------------------------------


def _selection_options(parser: argparse.ArgumentParser) -> None:
    add_common(parser)
    parser.add_argument("--output", "-o", type=Path, required=True, help="file to write")
    group = parser.add_argument_group("selection (default: the whole catalogue)")
    group.add_argument("--query", "-q", help="full-text search query")
    group.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        help="events on or after DATE (2020-11-15, 2020-11, 2020)",
    )
    group.add_argument("--to", dest="date_to", metavar="DATE", help="events on or before DATE")
    group.add_argument("--tag", action="append", default=[], help="tag key or label (repeatable)")
    group.add_argument(
        "--place", action="append", default=[], help="place key or name in any script (repeatable)"
    )
    group.add_argument(
        "--status", action="append", default=[], help="verification status (repeatable)"
    )
    group.add_argument(
        "--include-deleted",
        action="store_true",
        help="include deleted and merged events in a filtered selection",
    )


def add_json_export(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subs.add_parser(
        "json",
        help="every detail, history included (belarchive-json v2, signatures included)",
        description="Export events with their sources, vocabulary, users and "
        "audit history as belarchive-json; import it elsewhere with "
        "'belarchive import json'.",
    )
    _selection_options(p)
    p.add_argument(
        "--with-files", action="store_true", help="embed the archived copies of sources (base64)"
    )
    p.add_argument(
        "--encrypt-for",
        action="append",
        default=[],
        metavar="RECIPIENT",
        help="encrypt for this recipient (age): the 'ssh-ed25519 …' line that 'belarchive user "
        "key NAME' prints in their catalogue, or an age1… key; repeatable",
    )
    p.set_defaults(handler=_export_json)


def add_csv_export(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subs.add_parser(
        "csv",
        help="one row per event, for spreadsheets",
        description="Export one row per event (figures, tags, places, actors, "
        "status, dates) as UTF-8 CSV; formulas are neutralised.",
    )
    _selection_options(p)
    p.add_argument("--bom", action="store_true", help="start with a UTF-8 BOM (for Excel)")
    p.set_defaults(handler=_export_csv)


def _filtered(args: argparse.Namespace) -> bool:
    return bool(
        args.query
        or args.date_from
        or args.date_to
        or args.tag
        or args.place
        or args.status
        or args.include_deleted
    )


def selected_uuids(cat: Catalogue, args: argparse.Namespace) -> list[str] | None:
    """The events the selection options name, by date; None when none was given."""
    if not _filtered(args):
        return None
    from belarchive.services import filters

    with cat.session() as session:
        f = EventFilter(
            date_from=parse_date(args.date_from).earliest if args.date_from else None,
            date_to=parse_date(args.date_to).latest if args.date_to else None,
            tags=filters.tag_keys(session, args.tag),
            places=filters.place_keys(session, args.place),
            statuses=filters.statuses(args.status),
            include_deleted=args.include_deleted,
        )
        conn = session.connection()
        if args.query:
            f = replace(f, uuids=_search(cat, args.query, conn, f))
        return filtered_uuids(conn, f, sort="date")


def _search(cat: Catalogue, query: str, conn: object, f: EventFilter) -> list[str]:
    try:  # the search package is optional; its API lives in search.api
        from belarchive.search.api import search
    except ImportError:
        raise ValidationError(
            _(
                "Full-text search is not available in this installation; select with --from, "
                "--to, --tag, --place or --status."
            )
        ) from None
    limit = max(1, count_events(conn, EventFilter(include_deleted=True)))  # type: ignore[arg-type]
    return list(search(cat, query, limit=limit, filters=f).uuids)


def _export_json(args: argparse.Namespace) -> int:
    from belarchive.exporting.json_io import export_json
    from belarchive.security.exchange import parse_recipient

    recipients = [parse_recipient(r) for r in args.encrypt_for]
    with open_catalogue(args) as cat:
        uuids = selected_uuids(cat, args)
        selection = {k: v for k, v in _selection(args).items() if v}
        summary = export_json(cat, args.output, uuids=uuids, with_files=args.with_files,
                              selection=selection, recipients=recipients)  # fmt: skip
    sealed = (
        ngettext(", encrypted for {n} recipient", ", encrypted for {n} recipients", len(recipients))
        .format(n=len(recipients)) if recipients else ""
    )  # fmt: skip
    out(
        _(
            "Exported {events} events, {sources} sources and {history} history entries to "
            "{path}{sealed}."
        ).format(
            events=summary.events,
            sources=summary.sources,
            history=summary.history,
            path=summary.path,
            sealed=sealed,
        )
    )
    return 0


def _selection(args: argparse.Namespace) -> dict[str, object]:
    return {
        "query": args.query,
        "from": args.date_from,
        "to": args.date_to,
        "tags": args.tag,
        "places": args.place,
        "statuses": args.status,
        "include_deleted": args.include_deleted,
    }


def _export_csv(args: argparse.Namespace) -> int:
    from belarchive.exporting.csv_io import export_csv

    with open_catalogue(args) as cat:
        rows = export_csv(cat, args.output, uuids=selected_uuids(cat, args), bom=args.bom)
    out(_("Exported {rows} events to {output}.").format(rows=rows, output=args.output))
    return 0


# -- import -----------------------------------------------------------------------------------


def add_json_import(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subs.add_parser(
        "json",
        help="a belarchive-json export (all or nothing)",
        description="Import a belarchive-json file. Records already here are "
        "skipped when identical and refused when different; nothing is "
        "overwritten, and nothing is written if anything is wrong.",
    )
    add_common(p, user=True)
    p.add_argument("file", type=Path)
    p.set_defaults(handler=_import_json)


def add_csv_import(subs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subs.add_parser(
        "csv",
        help="events from a spreadsheet (CSV)",
        description="Import one event per row. Columns are found by header "
        "name (English, Russian, Greek, or this program's CSV export); map "
        "others with --map title=Headline --map detained=Arrests.",
    )
    add_common(p, user=True)
    p.add_argument("file", type=Path)
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="read FIELD from the column HEADER (repeatable)",
    )
    p.add_argument("--mapping", type=Path, help="a JSON file {field: header, ...}")
    p.add_argument("--encoding", help="text encoding (default: detected)")
    p.add_argument("--dry-run", action="store_true", help="check every row, import nothing")
    p.add_argument("--strict", action="store_true", help="import nothing unless every row is good")
    p.set_defaults(handler=_import_csv)


def _import_json(args: argparse.Namespace) -> int:
    from belarchive.importing.json_io import import_json

    with open_catalogue(args) as cat:
        result = import_json(cat, user_name(args), args.file)
    created = ", ".join(f"{n} {k}" for k, n in result.created.items() if n) or "nothing new"
    skipped = ", ".join(f"{n} {k}" for k, n in result.skipped.items() if n)
    out(f"Imported {created}." + (f" Already here (skipped): {skipped}." if skipped else ""))
    for line in result.arrived_unverified:
        out(f"  {line}")
    if result.same_names:
        out(_("Taken to be this catalogue's users of the same names: {names}. Their history "
              "from the file keeps its own signing keys.").format(
                  names=", ".join(result.same_names)))  # fmt: skip
    return 0


def csv_mapping(pairs: Sequence[str], mapping_file: Path | None) -> dict[str, str] | None:
    mapping: dict[str, str] = {}
    if mapping_file:
        try:
            loaded = json.loads(mapping_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(
                _("Cannot read the mapping {file}: {reason}.").format(file=mapping_file, reason=exc)
            ) from exc
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            raise ValidationError(_('The mapping file must hold an object {"field": "header"}.'))
        mapping.update(loaded)
    for pair in pairs:
        field, sep, header = pair.partition("=")
        if not sep or not field.strip():
            raise ValidationError(
                _("'{pair}' is not FIELD=HEADER (for example title=Headline).").format(pair=pair)
            )
        mapping[field.strip()] = header.strip()
    return mapping or None


def _import_csv(args: argparse.Namespace) -> int:
    from belarchive.importing.csv_io import import_csv, preview_csv

    mapping = csv_mapping(args.map, args.mapping)
    if args.dry_run:
        preview = preview_csv(args.file, mapping, args.encoding)
        _report_bad(preview.bad_rows)
        read = ", ".join(f"{f}<-{h}" for f, h in preview.mapping.items())
        out(
            _(
                "{readable} rows readable, {unreadable} not (tags and places are checked on "
                "import). Columns read: {read}. Nothing was imported."
            ).format(
                readable=number(len(preview.good)),
                unreadable=number(len(preview.bad_rows)),
                read=read,
            )
        )
        return 0
    with open_catalogue(args) as cat:
        result = import_csv(
            cat, user_name(args), args.file, mapping, args.encoding, strict=args.strict
        )
    _report_bad(result.bad_rows)
    out(
        _("Imported {created} events; {left_out} rows left out.").format(
            created=number(len(result.created)), left_out=number(len(result.bad_rows))
        )
    )
    return 0 if not result.bad_rows else 3


def _report_bad(bad: list[tuple[int, str]]) -> None:
    for row, reason in bad:
        sys.stderr.write(_("row {row}: {reason}").format(row=row, reason=reason) + "\n")
