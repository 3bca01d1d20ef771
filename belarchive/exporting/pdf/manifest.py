"""The machine-readable manifest a dossier carries, and embedding it in the PDF.

The manifest is a JSON file embedded in the PDF (an /EmbeddedFiles attachment named
``belarchive-manifest.json``), so any PDF tool can extract it and ``belarchive dossier
verify`` reads it back with pypdf. It names, for each event, the uuid, the version and a
digest of what the dossier printed about it; every archived copy's SHA-256; the audit
head at export; and the selection. Nothing in it names a person, so it is safe to share
with a pseudonymised dossier.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from belarchive.services.audit import canonical_json
from belarchive.storage.detail import EventDetail, FigureInfo

MANIFEST_NAME = "belarchive-manifest.json"
FORMAT = "belarchive-dossier/1"


def _figure(f: FigureInfo) -> list[object]:
    """A figure as the digest sees it. The scope (schema 5) is added only when it is not the
    default, so that dossiers made before scopes existed still verify."""
    row: list[object] = [f.kind, f.value_min, f.value_max, f.qualifier, f.citation_uuid, f.note]
    if f.scope != "incident" or f.period or f.part_of:
        row += [f.scope, f.period, f.part_of]
    return row


def event_digest(d: EventDetail) -> str:
    """SHA-256 of what an event asserts (annotations and review notes excluded)."""
    body = {
        "uuid": d.uuid,
        "title": d.title,
        "description": d.description,
        "language": d.language,
        "date": d.date_edtf,
        "status": d.status,
        "version": d.version,
        "deleted": d.deleted,
        "tags": list(d.tags),
        "places": [p.key for p in d.places],
        "actors": sorted([a.uuid, a.role] for a in d.actors),
        "figures": [_figure(f) for f in d.figures],
        "citations": [
            [
                c.uuid,
                c.source.uuid,
                c.source.title,
                c.source.url,
                c.source.reliability,
                c.locator,
                c.quote,
                c.credibility,
                sorted(a.sha256 for a in c.source.attachments),
            ]
            for c in d.citations
        ],
    }
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class FileEntry:
    sha256: str
    size: int
    name: str
    check: str  # "ok", "changed" or "missing" at export time


def build_manifest(
    *,
    catalogue_id: str,
    generated_at: str,
    generated_by: str,
    filter_dict: dict[str, Any],
    lang: str,
    audit_seq: int,
    audit_hash: str,
    events: list[tuple[str, int, str]],
    files: list[FileEntry],
    audit_signature: tuple[str | None, str | None] = (None, None),
) -> dict[str, Any]:
    # The head entry's signature and its author's public key (not their name: the
    # manifest names no one), so the head itself is vouched for (schema 6 on).
    signature, key = audit_signature
    return {
        "format": FORMAT,
        "catalogue_id": catalogue_id,
        "generated_at": generated_at,
        "generated_by": generated_by,
        "lang": lang,
        "filter": filter_dict,
        "audit_head": {
            "seq": audit_seq,
            "hash": audit_hash,
            "signature": signature,
            "public_key": key,
        },
        "events": [{"uuid": u, "version": v, "digest": h} for u, v, h in events],
        "files": [
            {"sha256": f.sha256, "size": f.size, "name": f.name, "check": f.check} for f in files
        ],
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def manifest_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def embed(canv: Canvas, data: bytes, name: str = MANIFEST_NAME) -> None:
    """Attach ``data`` as an embedded file (the document's /Names /EmbeddedFiles tree).

    ReportLab has no public API for this; the objects below are the few the PDF 1.7
    specification (§7.11.4) requires, built with ReportLab's own PDF object classes.
    """
    doc = canv._doc
    stream = pdfdoc.PDFStream(
        dictionary=pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("EmbeddedFile"),
                "Subtype": pdfdoc.PDFName("application#2Fjson"),
                "Params": pdfdoc.PDFDictionary({"Size": len(data)}),
            }
        ),
        content=data,
        filters=[pdfdoc.PDFZCompress],
    )
    spec = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("Filespec"),
            "F": pdfdoc.PDFString(name),
            "UF": pdfdoc.PDFString(name),
            "Desc": pdfdoc.PDFString("belarchive dossier manifest (JSON)"),
            "AFRelationship": pdfdoc.PDFName("Data"),
            "EF": pdfdoc.PDFDictionary({"F": doc.Reference(stream)}),
        }
    )
    spec_ref = doc.Reference(spec)
    tree = pdfdoc.PDFDictionary({"Names": pdfdoc.PDFArray([pdfdoc.PDFString(name), spec_ref])})
    doc.Catalog.Names = pdfdoc.PDFDictionary({"EmbeddedFiles": tree})


def read_embedded(reader: Any, name: str = MANIFEST_NAME) -> bytes | None:
    """The embedded file ``name`` from a pypdf PdfReader, or None."""
    found = reader.attachments.get(name)
    if not found:
        return None
    return bytes(found[0])
