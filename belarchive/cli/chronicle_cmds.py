"""`belarchive import chronicle FILE`: preview what a chronicle would become; --commit writes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from belarchive.cli.common import add_common, open_catalogue, out, user_name
from belarchive.domain.values import ON_DUPLICATE, QUALIFIER_SYMBOL, Qualifier
from belarchive.i18n import _, ngettext

if TYPE_CHECKING:  # the parser is imported when a chronicle is read, not at every start
    from belarchive.importing.chronicle import ProposedEvent
    from belarchive.services.importing import ChroniclePreview


def add_chronicle(subs: Any) -> None:
    p = subs.add_parser(
        "chronicle",
        help="a narrative chronicle (text or Markdown)",
        description="Propose one event per news item of a chronicle (day headings, bullets, "
        "paragraphs or run-on prose), with dates, figures and their scope, places and the "
        "sources each item links to. Nothing is written without --commit.",
        epilog="example: belarchive import chronicle digest.md -C My.belarchive -u anna "
        "--commit --on-duplicate link",
    )
    add_common(p, user=True)
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, default=None, help="year for dates that give none")
    p.add_argument("--language", default=None, help="el, ru, be or en (default: detected)")
    p.add_argument(
        "--encoding", default=None, help="e.g. cp1253, cp1251, koi8-r (default: detected)"
    )
    p.add_argument("--commit", action="store_true", help="write the proposed events")
    p.add_argument(
        "--on-duplicate",
        choices=ON_DUPLICATE,
        default=None,
        help="for items that match an incident already in the catalogue (or repeat an earlier "
        "item of the file): link = add their sources and figures to it, new = keep them as "
        "new events, skip = leave them out (required when there are matches)",
    )
    p.add_argument("--brief", action="store_true", help="one line per proposed event")
    p.set_defaults(handler=cmd_import_chronicle)


def _describe(e: ProposedEvent, brief: bool) -> list[str]:
    when = e.edtf or ("background" if e.is_background else "undated")
    lines = [
        f"[{e.index + 1}] {when:<24} lines {e.line_start}–{e.line_end}  "
        f"confidence {e.confidence:.2f}  {e.title}"
    ]
    if brief:
        return lines
    if e.date_derivation:
        lines.append(f"      date: {e.date_derivation}")
    if e.is_summary:
        lines.append("      a summary of its day: its figures are not counted again")
    for f in e.figures:
        value = f"{f.value_min}" + (f"–{f.value_max}" if f.value_max is not None else "")
        scope = ""
        if f.scope.value != "incident":
            scope = f"  [running total over {f.period or 'an unstated period'}; never summed]"
        elif f.part_of is not None:
            scope = f"  [part of figure {f.part_of + 1}]"
        lines.append(
            f"      {f.kind.value}: {QUALIFIER_SYMBOL.get(Qualifier(f.qualifier), '')}"
            f"{value}  from “{f.evidence}”{scope}"
        )
    for link in e.links:
        lines.append(f"      source: {link.publisher}" + (f" <{link.url}>" if link.url else ""))
    if e.places:
        lines.append("      places: " + ", ".join(f"{p.key} (“{p.matched}”)" for p in e.places))
    if e.actors:
        lines.append(
            "      actors: "
            + ", ".join(
                a.name
                + (" [check spelling: " + " / ".join(a.matched) + "]" if a.needs_review else "")
                for a in e.actors
            )
        )
    if e.tags:
        lines.append("      tags: " + ", ".join(f"{t.key} (“{t.evidence}”)" for t in e.tags))
    return lines


def _matches(preview: ChroniclePreview, e: ProposedEvent) -> list[str]:
    lines = []
    if e.duplicate_of is not None:
        lines.append(f"      repeats proposal [{e.duplicate_of + 1}] of this file")
    for m in preview.matches.get(e.index, []):
        lines.append(
            f"      may be the same incident as {m.key} “{m.title}” ({'; '.join(m.reasons)})"
        )
    return lines


def cmd_import_chronicle(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        from belarchive.services.importing import preview_chronicle

        preview = preview_chronicle(
            cat, args.file, year=args.year, language=args.language, encoding=args.encoding
        )
        report = preview.report
        out(
            _(
                "{name}: {line_count} lines, {encoding}, language {language}, year {year_used} "
                "({year_source})"
            ).format(
                name=args.file.name,
                line_count=report.line_count,
                encoding=preview.encoding,
                language=report.language,
                year_used=report.year_used or "?",
                year_source=report.year_source,
            )
        )
        for e in report.events:
            for line in [*_describe(e, args.brief), *_matches(preview, e)]:
                out(line)
        for w in report.warnings:
            out(_("warning: {warning}").format(warning=w))
        dated = len(report.dated_events)
        out(
            _("\n{proposed} proposed events ({dated} dated, {background} background).").format(
                proposed=len(report.events),
                dated=dated,
                background=sum(e.is_background for e in report.events),
            )
        )
        if preview.already_imported:
            out(
                _(
                    "This document was already imported {previous_import}; committing would add "
                    "nothing."
                ).format(previous_import=preview.previous_import)
            )
        matched = len(preview.matches) + sum(e.duplicate_of is not None for e in report.events)
        if matched:
            out(
                _(
                    "{matched} proposed events may report incidents already in the catalogue or "
                    "earlier in this file (see above)."
                ).format(matched=matched)
            )
        if not args.commit:
            out(_("Nothing was written. Run again with --commit to import these events."))
            return 0
        from belarchive.services.importing import commit_chronicle

        result = commit_chronicle(cat, user_name(args), preview, on_duplicate=args.on_duplicate)
    for w in result.warnings:
        out(_("warning: {warning}").format(warning=w))
    if not result.skipped_duplicate:
        out(
            ngettext(
                "Imported {n} event (unverified), citing the archived document (source {source}).",
                "Imported {n} events (unverified), citing the archived document (source {source}).",
                len(result.event_uuids),
            ).format(n=len(result.event_uuids), source=result.source_uuid)
        )
        if result.linked:
            linked = len(set(result.linked))
            out(
                ngettext(
                    "Added sources and figures to {n} existing incident.",
                    "Added sources and figures to {n} existing incidents.",
                    linked,
                ).format(n=linked)
            )
        if result.skipped:
            out(
                _("Left out {skipped} proposals that were already in the catalogue.").format(
                    skipped=result.skipped
                )
            )
    return 0
