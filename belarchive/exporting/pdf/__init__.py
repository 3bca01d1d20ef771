"""PDF dossiers for lawyers, UN rapporteurs and journalists (ReportLab, embedded DejaVu fonts).

Public API (everything else in this package is internal)::

    from belarchive.exporting.pdf import DossierOptions, build_dossier, verify_dossier

    result = build_dossier(cat, DossierOptions(template="incident_log", lang="el",
                           date_from="2020-11-01", date_to="2020-12-31", user="anna"),
                           "out.pdf", progress=lambda done, total: ..., cancel=lambda: False)
    report = verify_dossier(cat, "out.pdf")          # report.ok, report.problems

DossierOptions (frozen dataclass; all fields optional):
    template        "chronicle" (every event of the selection) or "incident_log" (only events
                    tagged with a tag marked ``repression: true`` in tags.json, or below one)
    lang            "en" or "el": labels and date formats (catalogue text is not translated)
    title           cover/header title; default: the template's name in ``lang``
    user            who generates it: cover "by …" and the PDF author field
    query           full-text query via belarchive.search.query.search_uuids(cat, text);
                    ExportError with a clear message if the search package is unavailable
    tags, places    tuples of keys or labels/names (any script); any-of, tags include children
    statuses        tuple of statuses; default every status except "rejected"
    date_from/to    date or EDTF/ISO string ("2020-11" = from its first / to its last day)
    verified_only   only verified events
    annotations     include annotations (default False)
    internal_notes  include reviewers' notes and notes on figures (default False)
    pseudonymise    victims, witnesses and protected actors become "Person K-3F2" everywhere
    DossierOptions.for_sharing(**fields): verified only, pseudonymised, no annotations/notes.

build_dossier(cat, options, out_path, *, progress=None, cancel=None) -> DossierResult
    Validates everything first (ValidationError for bad options: from > to, unknown tag,
    place, status, template or language; ExportError for an unusable output path), lays the
    PDF out into a temporary file beside ``out_path`` and renames it into place: an error or
    a cancel (``cancel()`` returning True raises belarchive.errors.Cancelled) never leaves a
    partial file. ``progress(done, total)`` is called from the calling thread.
    DossierResult: path, pages, incidents, files (FileEntry: sha256, size, name, check),
    file_problems (archived copies whose re-hash failed: also flagged in the PDF), audit_seq,
    audit_hash, manifest_sha256, seconds; ``ok`` is False when a file failed its check.

verify_dossier(cat, pdf_path) -> VerifyReport
    Reads the embedded manifest (belarchive-manifest.json) with pypdf and checks the audit
    chain still holds the recorded head entry unchanged, every event's version and content
    digest, and every archived copy's SHA-256. VerifyReport: ok, problems (sentences),
    changed_events, bad_files, events_checked, files_checked, audit_seq, manifest_sha256.
    ValidationError if the file is not a belarchive dossier.

The dossier: cover (title, catalogue, selection in words, generated when/by whom, counts,
audit head), contents with page numbers, summary (totals that respect qualifiers, the
counting rule, weekly detentions chart, breakdowns), incident table, one entry per incident
(figures with attribution, numbered citations with grades and quotes, verification with
reviewer and date), integrity appendix (re-hashed archived copies, audit head, selection).
Running header, "page X of Y" footer, PDF metadata (title, author, subject, keywords,
creation date, language), bookmarks.
"""

from belarchive.exporting.pdf.build import DossierResult, build_dossier
from belarchive.exporting.pdf.manifest import FileEntry
from belarchive.exporting.pdf.options import DossierOptions
from belarchive.exporting.pdf.verify import VerifyReport, verify_dossier

__all__ = [
    "DossierOptions",
    "DossierResult",
    "FileEntry",
    "VerifyReport",
    "build_dossier",
    "verify_dossier",
]
