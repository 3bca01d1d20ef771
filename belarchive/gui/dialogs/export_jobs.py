"""What the export dialog runs: one ``fn(progress, cancel)`` per format, all read-only.

They run on the thread pool (exports never write to the catalogue, only to the output
file), call the exporting packages and return a one-paragraph summary for the dialog.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from belarchive.errors import Cancelled
from belarchive.services.catalogue import Catalogue
from belarchive.storage import queries
from belarchive.storage.queries import EventFilter

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Job = Callable[[ProgressFn, CancelFn], "ExportOutcome"]


@dataclass(frozen=True, slots=True)
class PdfChoices:
    template: str = "incident_log"  # or "chronicle"
    lang: str = "en"
    title: str = ""
    verified_only: bool = False
    leave_out_annotations: bool = True
    pseudonymise: bool = False


@dataclass(frozen=True, slots=True)
class ExportOutcome:
    path: Path
    summary: str  # English facts; the dialog shows them as they are (numbers, names)
    problems: tuple[str, ...] = ()


def dossier_options(f: EventFilter, query: str, user: str, c: PdfChoices):  # type: ignore[no-untyped-def]
    """The PDF package's options for the current filter and the dialog's choices."""
    from belarchive.exporting.pdf import DossierOptions  # ReportLab loads only when needed

    return DossierOptions(
        template=c.template, lang=c.lang, title=c.title.strip(), user=user, query=query,
        tags=f.tags, places=f.places, statuses=f.statuses, date_from=f.date_from,
        date_to=f.date_to, verified_only=c.verified_only,
        annotations=not c.leave_out_annotations, internal_notes=not c.leave_out_annotations,
        pseudonymise=c.pseudonymise,
    )  # fmt: skip


def pdf_job(cat: Catalogue, f: EventFilter, query: str, user: str, c: PdfChoices,
            out: Path) -> Job:  # fmt: skip
    def run(progress: ProgressFn, cancel: CancelFn) -> ExportOutcome:
        from belarchive.exporting.pdf import build_dossier

        r = build_dossier(cat, dossier_options(f, query, user, c), out, progress=progress,
                          cancel=cancel)  # fmt: skip
        problems = tuple(f"{p.name}: {p.check}" for p in r.file_problems)
        return ExportOutcome(r.path, f"{r.pages} pages, {r.incidents} incidents, "
                             f"{len(r.files)} archived copies re-checked, {r.seconds:.1f} s.",
                             problems)  # fmt: skip

    return run


def _uuids(cat: Catalogue, f: EventFilter) -> list[str]:
    with cat.reader.connect() as conn:
        return queries.filtered_uuids(conn, f)


def json_job(cat: Catalogue, f: EventFilter, with_files: bool, out: Path) -> Job:
    def run(progress: ProgressFn, cancel: CancelFn) -> ExportOutcome:
        from belarchive.exporting.json_io import export_json

        r = export_json(cat, out, uuids=_uuids(cat, f), with_files=with_files,
                        selection=filter_dict(f), progress=progress, cancel=cancel)  # fmt: skip
        return ExportOutcome(r.path, f"{r.events} events, {r.sources} sources, "
                                     f"{r.history} history entries, {r.files} files.")  # fmt: skip

    return run


CSV_COLUMNS = ("uuid", "date", "title", "places", "tags", "detained", "detained_qualifier",
               "killed", "status", "sources", "version")  # fmt: skip


def csv_job(cat: Catalogue, f: EventFilter, out: Path) -> Job:
    """The listing as a spreadsheet: one row per event, the columns of the main table."""

    def run(progress: ProgressFn, cancel: CancelFn) -> ExportOutcome:
        csv_export = _other_csv_exporter()
        if csv_export is not None:
            return ExportOutcome(
                out,
                str(csv_export(cat, out, uuids=_uuids(cat, f), progress=progress, cancel=cancel)),
            )
        return _write_listing_csv(cat, f, out, progress, cancel)

    return run


def _other_csv_exporter():  # type: ignore[no-untyped-def]
    """The exporting package's CSV writer, once it exists (written by another module)."""
    try:
        from belarchive.exporting import csv_io  # type: ignore[attr-defined]
    except ImportError:
        return None
    return getattr(csv_io, "export_csv", None)


def _write_listing_csv(cat: Catalogue, f: EventFilter, out: Path, progress: ProgressFn,
                       cancel: CancelFn) -> ExportOutcome:  # fmt: skip
    with cat.reader.connect() as conn:
        total = queries.count_events(conn, f)
        fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".csv", dir=out.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(CSV_COLUMNS)
                for done in range(0, max(total, 1), 1000):
                    if cancel():
                        raise Cancelled("Export cancelled; no file was written.")
                    for r in queries.list_events(conn, f, offset=done, limit=1000):
                        w.writerow((r.uuid, r.date_edtf or "", r.title, r.places, r.tags,
                                    r.detained if r.detained is not None else "",
                                    r.detained_qualifier or "", r.killed or "", r.status,
                                    r.n_sources, r.version))  # fmt: skip
                    progress(min(done + 1000, total), total)
            os.replace(tmp, out)  # complete or nothing: never a half-written file
        finally:
            Path(tmp).unlink(missing_ok=True)
    return ExportOutcome(out, f"{total} events.")


def filter_dict(f: EventFilter) -> dict[str, object]:
    d: dict[str, object] = {}
    if f.date_from:
        d["date_from"] = f.date_from.isoformat()
    if f.date_to:
        d["date_to"] = f.date_to.isoformat()
    for key in ("tags", "places", "statuses", "languages"):
        if getattr(f, key):
            d[key] = list(getattr(f, key))
    if f.uuids is not None:
        d["search_results"] = len(f.uuids)
    return d
