"""What every part of a dossier needs to know while it is being laid out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from belarchive.domain.values import QUALIFIER_SYMBOL, Qualifier, Status
from belarchive.exporting.pdf.data import place_label
from belarchive.exporting.pdf.i18n import Labels
from belarchive.exporting.pdf.manifest import FileEntry
from belarchive.exporting.pdf.options import CheckedOptions
from belarchive.exporting.pdf.redaction import Redactor
from belarchive.exporting.pdf.styles import Styles
from belarchive.exporting.pdf.totals import Counted, Summary
from belarchive.storage.detail import EventDetail


@dataclass(slots=True)
class Ctx:
    L: Labels
    S: Styles
    checked: CheckedOptions
    redactor: Redactor
    tag_labels: dict[str, str]
    catalogue_name: str
    catalogue_id: str
    title: str
    selection_words: str
    generated_at: datetime
    generated_by: str
    audit_seq: int
    audit_hash: str
    summary: Summary
    files: list[FileEntry]
    pages: dict[str, int] = field(default_factory=dict)
    file_ids: dict[str, str] = field(default_factory=dict)  # sha256 -> "F3"
    on_entry: Callable[[], None] | None = None
    manifest_sha256: str = ""

    def esc(self, text: str) -> str:
        """Redacted and escaped for a Paragraph (which reads a little XML)."""
        return escape(self.redactor.text(text or ""))

    def date(self, d: EventDetail) -> str:
        return self.L.edtf(d.date_edtf)

    def places(self, d: EventDetail) -> str:
        return ", ".join(place_label(p, self.L.lang) for p in d.places) or self.L["no_place"]

    def types(self, d: EventDetail) -> str:
        return ", ".join(self.tag_labels.get(t, t) for t in d.tags)


def counted_text(c: Counted | None, L: Labels) -> str:
    """A per-incident figure for tables: '≥ 340', '~390', '12'."""
    if c is None:
        return ""
    if c.figure.value_max is not None:
        return f"≥ {L.number(c.value)}"
    symbol = QUALIFIER_SYMBOL.get(Qualifier(c.figure.qualifier), "")
    return f"{symbol} {L.number(c.value)}".strip()


def is_verified(d: EventDetail) -> bool:
    return d.status == Status.VERIFIED.value
