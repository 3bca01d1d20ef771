"""``belarchive dossier``: PDF dossiers (incident log, chronicle) and checking one.

belarchive dossier incident-log --from 2020-11-01 --to 2020-12-31 --lang el -o out.pdf
belarchive dossier chronicle --tag protest --place Minsk --share -o share.pdf
belarchive dossier verify out.pdf
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from belarchive.cli.common import add_common, open_catalogue, out, user_name
from belarchive.i18n import _, number


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("dossier", help="PDF dossiers: incident log, chronicle, verify")
    sub = parser.add_subparsers(dest="dossier_command", metavar="KIND", required=True)
    for name, template, text in (
        ("incident-log", "incident_log", "repression incidents (detention, death, torture…)"),
        ("chronicle", "chronicle", "every event of the selection"),
    ):
        p = sub.add_parser(name, help=f"a dossier of {text}")
        _selection_options(p)
        p.set_defaults(handler=_build, template=template)
    v = sub.add_parser("verify", help="check a dossier against the catalogue it came from")
    add_common(v)
    v.add_argument("file", type=Path, help="the dossier PDF")
    v.set_defaults(handler=_verify)


def _selection_options(p: argparse.ArgumentParser) -> None:
    add_common(p, user=True)
    p.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    p.add_argument("--lang", default="en",
                   help="dossier language: en, el, ru or be (default en)")  # fmt: skip
    p.add_argument("--title", default="", help="title on the cover (default: the kind)")
    p.add_argument("--from", dest="date_from", default=None, help="first day (EDTF/ISO)")
    p.add_argument("--to", dest="date_to", default=None, help="last day (EDTF/ISO)")
    p.add_argument("--query", "-q", default="", help="full-text query")
    p.add_argument("--tag", action="append", default=[], help="tag key or label (repeatable)")
    p.add_argument("--place", action="append", default=[], help="place name (repeatable)")
    p.add_argument(
        "--status",
        action="append",
        default=[],
        help="verification status (repeatable; default all but rejected)",
    )
    p.add_argument("--verified-only", action="store_true", help="only verified events")
    p.add_argument("--annotations", action="store_true", help="include annotations")
    p.add_argument(
        "--internal-notes",
        action="store_true",
        help="include reviewers' notes and notes on figures",
    )
    p.add_argument(
        "--pseudonymise",
        action="store_true",
        help="replace names of victims, witnesses and protected people",
    )
    p.add_argument(
        "--share",
        action="store_true",
        help="safe preset for sharing: verified only, pseudonymised, no notes",
    )


def _options(args: argparse.Namespace) -> Any:
    from belarchive.exporting.pdf import DossierOptions

    fields = dict(
        template=args.template,
        lang=args.lang,
        title=args.title,
        user=user_name(args),
        query=args.query,
        tags=tuple(args.tag),
        places=tuple(args.place),
        statuses=tuple(args.status),
        date_from=args.date_from,
        date_to=args.date_to,
        verified_only=args.verified_only,
        annotations=args.annotations,
        internal_notes=args.internal_notes,
        pseudonymise=args.pseudonymise,
    )
    return DossierOptions.for_sharing(**fields) if args.share else DossierOptions(**fields)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r  {done}/{total}")
        sys.stderr.flush()


def _build(args: argparse.Namespace) -> int:
    from belarchive.exporting.pdf import build_dossier

    options = _options(args)
    with open_catalogue(args) as cat:
        result = build_dossier(cat, options, args.output, progress=_progress)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    out(
        _(
            "Wrote {path}: {incidents} incidents, {pages} pages, {copies} archived copies "
            "({seconds} s)."
        ).format(
            path=result.path,
            incidents=number(result.incidents),
            pages=number(result.pages),
            copies=number(len(result.files)),
            seconds=f"{result.seconds:.1f}",
        )
    )
    out(
        _("Audit head: entry {audit_seq} {audit_hash}").format(
            audit_seq=result.audit_seq, audit_hash=result.audit_hash
        )
    )
    for f in result.file_problems:
        out(
            _(
                "WARNING: archived copy {name} ({sha256}) is {check}; flagged in the dossier."
            ).format(name=f.name, sha256=f.sha256, check=f.check)
        )
    return 0 if result.ok else 3  # written, but an archived copy failed its check


def _verify(args: argparse.Namespace) -> int:
    from belarchive.exporting.pdf import verify_dossier

    with open_catalogue(args) as cat:
        report = verify_dossier(cat, args.file)
    out(
        _(
            "{file}: {pages_checked} pages, {events_checked} events, {files_checked} archived "
            "copies, audit entry {audit_seq}; manifest SHA-256 {manifest_sha256}"
        ).format(
            file=args.file,
            pages_checked=report.pages_checked,
            events_checked=report.events_checked,
            files_checked=report.files_checked,
            audit_seq=report.audit_seq,
            manifest_sha256=report.manifest_sha256,
        )
    )
    if report.ok:
        out(_("OK: every page is the page that was written, and it matches the catalogue."))
        return 0
    for problem in report.problems:
        out(_("MISMATCH: {problem}").format(problem=problem))
    return 3  # integrity problem: distinct from 1 (bad input) and 2 (usage)
