"""verify_dossier: does a dossier still match the catalogue it came from?

It re-reads the embedded manifest with pypdf and re-derives everything from the catalogue:
the audit chain is intact and still holds the recorded head entry unchanged; every event
is present, not deleted, at the same version and with the same content digest; every
archived copy is in the store with the recorded SHA-256.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from belarchive.errors import IntegrityError, ValidationError
from belarchive.exporting.pdf.data import load_details
from belarchive.exporting.pdf.manifest import (
    FORMAT,
    MANIFEST_NAME,
    event_digest,
    manifest_digest,
    read_embedded,
)
from belarchive.exporting.pdf.pages import compare, page_digests, recorded_pages
from belarchive.i18n import _
from belarchive.services.audit import verify_chain
from belarchive.storage.sqlrun import run


@dataclass(slots=True)
class VerifyReport:
    ok: bool = True
    events_checked: int = 0
    files_checked: int = 0
    pages_checked: int = 0
    audit_seq: int = 0
    manifest_sha256: str = ""
    problems: list[str] = field(default_factory=list)
    changed_events: list[str] = field(default_factory=list)
    bad_files: list[str] = field(default_factory=list)

    def fail(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


def read_manifest(pdf_path: Path) -> tuple[dict[str, Any], str]:
    """The manifest of a dossier and its SHA-256; ValidationError if it is not a dossier."""
    path = Path(pdf_path)
    if not path.is_file():
        raise ValidationError(_("{path} does not exist or is not a file.").format(path=path))
    try:
        data = read_embedded(PdfReader(str(path)), MANIFEST_NAME)
    except (PdfReadError, OSError, ValueError) as exc:
        raise ValidationError(
            _("{file} cannot be read as a PDF.").format(file=path.name), detail=str(exc)
        ) from exc
    if data is None:
        raise ValidationError(
            _(
                "{file} carries no belarchive manifest: it is not a belarchive dossier, or its "
                "attachment was removed."
            ).format(file=path.name)
        )
    try:
        manifest = json.loads(data.decode("utf-8"))
    except ValueError as exc:
        raise IntegrityError(
            _("The manifest in {file} is damaged.").format(file=path.name), detail=str(exc)
        ) from exc
    if manifest.get("format") != FORMAT:
        raise ValidationError(
            _("{file} was written in an unknown dossier format ({format}).").format(
                file=path.name, format=repr(manifest.get("format"))
            )
        )
    return manifest, manifest_digest(data)


def _check_audit(cat: Any, manifest: dict[str, Any], report: VerifyReport) -> None:
    head = manifest["audit_head"]
    report.audit_seq = int(head["seq"])
    with cat.check_connection() as conn:
        chain = verify_chain(conn)
        row = run(conn, "SELECT hash FROM auditentry WHERE seq = ?", (head["seq"],)).fetchone()
    if not chain.ok:
        report.fail(f"The catalogue's audit log is damaged: {chain.problem}")
    if row is None:
        report.fail(
            f"The audit log has no entry {head['seq']}, which was the head when the "
            "dossier was made."
        )
    elif row[0] != head["hash"]:
        report.fail(f"Audit entry {head['seq']} differs from the one recorded in the dossier.")


def _check_pages(cat: Any, pdf_path: Path, manifest_sha256: str, report: VerifyReport) -> None:
    with cat.check_connection() as conn:
        recorded = recorded_pages(conn, manifest_sha256)
    if recorded is None:
        report.fail(
            "The catalogue has no record of a dossier with this manifest: the manifest was "
            "replaced, or the dossier comes from an older version of belarchive or from "
            "another copy of the catalogue. Its pages cannot be checked."
        )
        return
    report.pages_checked = len(recorded)
    for problem in compare(recorded, page_digests(pdf_path)):
        report.fail(problem)


def _check_events(cat: Any, manifest: dict[str, Any], report: VerifyReport) -> None:
    wanted = {e["uuid"]: e for e in manifest["events"]}
    with cat.session() as session:
        found = {d.uuid: d for d in load_details(session, list(wanted))}
    for uuid, expected in wanted.items():
        report.events_checked += 1
        d = found.get(uuid)
        if d is None:
            problem = "no longer exists in the catalogue"
        elif d.deleted:
            problem = "was deleted since the dossier was made"
        elif d.version != expected["version"]:
            problem = f"was changed (version {expected['version']} → {d.version})"
        elif event_digest(d) != expected["digest"]:
            problem = "differs from what the dossier printed (same version, other content)"
        else:
            continue
        report.changed_events.append(uuid)
        report.fail(f"Event {uuid} {problem}.")


def _check_files(cat: Any, manifest: dict[str, Any], report: VerifyReport) -> None:
    expected = [(f["sha256"], f["name"]) for f in manifest["files"]]
    report.files_checked = len(expected)
    for p in cat.files.verify(expected):
        report.bad_files.append(p.sha256)
        report.fail(f"Archived copy {p.original_name} ({p.sha256[:12]}…) is {p.problem}.")
    for f in manifest["files"]:
        if f.get("check", "ok") != "ok":
            report.fail(
                f"Archived copy {f['name']} had already failed its check when the "
                f"dossier was made ({f['check']})."
            )


def verify_dossier(cat: Any, pdf_path: Path | str) -> VerifyReport:
    """Compare a dossier with ``cat``; the report lists every mismatch (ok=False if any)."""
    manifest, digest = read_manifest(Path(pdf_path))
    report = VerifyReport(manifest_sha256=digest)
    if manifest.get("catalogue_id") != cat.catalogue_id:
        report.fail(
            f"The dossier comes from catalogue {manifest.get('catalogue_id')}, not from "
            f"this one ({cat.catalogue_id})."
        )
        return report
    _check_audit(cat, manifest, report)
    _check_pages(cat, Path(pdf_path), digest, report)
    _check_events(cat, manifest, report)
    _check_files(cat, manifest, report)
    return report
