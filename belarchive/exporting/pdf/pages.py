"""What a reader sees, page by page: a digest of each page's drawing, recorded in the audit.

The embedded manifest says which events a dossier shows; it says nothing about the pages. A
page removed, added or swapped, a number or a name changed in the text, or a re-saved PDF
all leave the manifest as it was. So each page's drawing instructions (its decompressed
content stream, plus the forms it draws, such as "page X of Y") are hashed when the dossier
is written, and the list is recorded in the catalogue's audit log under the manifest's
digest. ``dossier verify`` hashes the pages of the file in hand and compares them.

Why the catalogue and not the PDF: anything written into the PDF can be rewritten by whoever
edits the PDF, with our own function. The audit entry is chained with the rest of the
evidence, so forging it means forging the catalogue too.

Why drawing instructions and not extracted text: hashing them costs ~0.3 ms a page (text
extraction ~30 ms, a minute and a half for a 3,500-page dossier), and every change to what
is drawn changes them. The flip side: a PDF re-saved by another program with the same text
but re-encoded drawing is reported as changed. For evidence that is the safe side.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from belarchive.errors import ValidationError
from belarchive.i18n import _
from belarchive.storage.sqlrun import run

AUDIT_ACTION = "dossier.export"
AUDIT_ENTITY = "dossier"
_HEX = 32  # 128 bits a page: collision-safe, and a 3,500-page list stays ~120 KB


def record_pages(cat: Any, ctx: Any, file_name: str, digests: list[str]) -> None:
    """The audit entry ``dossier verify`` compares pages against, keyed by the manifest's
    digest, under the exporting user (or the program, for a dossier made without one)."""
    writing = cat.write(ctx.generated_by) if ctx.checked.options.user else cat.write_as_program()
    with writing as uow:
        uow.record(
            AUDIT_ACTION,
            AUDIT_ENTITY,
            ctx.manifest_sha256,
            after={
                "file": file_name,
                "template": ctx.checked.options.template,
                "audit_seq": ctx.audit_seq,
                "pages": digests,
            },
        )


def recorded_pages(conn: Any, manifest_sha256: str) -> list[str] | None:
    """The page digests recorded when the dossier with this manifest was written."""
    row = run(
        conn,
        "SELECT after_json FROM auditentry WHERE action = ? AND entity_type = ? "
        "AND entity_id = ? ORDER BY seq DESC LIMIT 1",
        (AUDIT_ACTION, AUDIT_ENTITY, manifest_sha256),
    ).fetchone()
    if row is None:
        return None
    return [str(d) for d in json.loads(row[0])["pages"]]


def page_digests(pdf_path: Path) -> list[str]:
    """One digest per page of ``pdf_path``, in page order."""
    try:
        reader = PdfReader(str(pdf_path))
        return [_digest(page) for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            _("The pages of {file} cannot be read.").format(file=Path(pdf_path).name),
            detail=str(exc),
        ) from exc


def _digest(page: Any) -> str:
    h = hashlib.sha256()
    contents = page.get_contents()
    h.update(contents.get_data() if contents is not None else b"")
    for name, data in _forms(page):
        h.update(b"\x00" + name.encode("utf-8") + b"\x00" + data)
    return h.hexdigest()[:_HEX]


def _forms(page: Any) -> list[tuple[str, bytes]]:
    """The page's XObjects (forms and images) by name, so a changed page number counts."""
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return []
    found = xobjects.get_object()
    return [(str(name), found[name].get_object().get_data()) for name in sorted(found)]


def compare(recorded: list[str], actual: list[str], *, limit: int = 12) -> list[str]:
    """Problems, naming pages (1-based), when the file's pages differ from the recorded ones."""
    problems = []
    if len(actual) != len(recorded):
        problems.append(f"The dossier has {len(actual)} page(s); {len(recorded)} were written.")
    where = {digest: i for i, digest in enumerate(recorded, start=1)}
    present = set(actual)
    pages = [
        f"Page {number} of the dossier as written is missing."
        for number, digest in enumerate(recorded, start=1)
        if digest not in present
    ]
    for number, digest in enumerate(actual, start=1):
        if number <= len(recorded) and recorded[number - 1] == digest:
            continue
        if digest in where:
            pages.append(f"Page {number} is page {where[digest]} of the dossier as written.")
        else:
            pages.append(f"Page {number} differs from the dossier as written (changed or added).")
    if len(pages) > limit:
        pages = [*pages[:limit], f"… and {len(pages) - limit} more page problem(s)."]
    return problems + pages
