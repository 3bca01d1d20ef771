"""What the export dialog runs: one ``fn(progress, cancel)`` per format, all read-only.

They run on the thread pool (exports never write to the catalogue, only to the output
file), call the exporting packages (``exporting.pdf``, ``exporting.csv_io``,
``exporting.json_io``) and return a one-paragraph summary for the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


def _uuids(cat: Catalogue, f: EventFilter) -> list[str] | None:
    """The events of ``f``; None (the exporters' "everything") when nothing is filtered."""
    if f == EventFilter():
        return None
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


def csv_job(cat: Catalogue, f: EventFilter, bom: bool, out: Path) -> Job:
    """One row per event (``exporting.csv_io``); ``bom`` helps Excel see UTF-8."""

    def run(progress: ProgressFn, cancel: CancelFn) -> ExportOutcome:
        from belarchive.exporting.csv_io import export_csv

        n = export_csv(cat, out, uuids=_uuids(cat, f), bom=bom, progress=progress,
                       cancel=cancel)  # fmt: skip
        return ExportOutcome(out, f"{n} events.")

    return run


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
