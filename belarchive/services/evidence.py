"""Reading an archived copy back for the evidence viewer: its bytes, whether they still match
the SHA-256 recorded when it was archived, and what kind of document it is.

Everything here only reads. The copy is read into memory (decrypted in memory for a sealed
catalogue) and never written to a temporary file, so viewing leaves no trace on disk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser

from belarchive.errors import NotFoundError, ValidationError
from belarchive.i18n import _
from belarchive.security.cipher_files import Tampered
from belarchive.services.catalogue import Catalogue
from belarchive.storage.detail import AttachmentInfo

PDF, IMAGE, TEXT, HTML, OTHER = "pdf", "image", "text", "html", "other"

# Leading bytes of the image formats Qt reads without extra plugins.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM",
                b"II*\x00", b"MM\x00*")  # fmt: skip
_TEXT_TYPES = ("application/json", "application/xml", "application/x-yaml", "message/rfc822")


@dataclass(frozen=True, slots=True)
class ArchivedCopy:
    attachment: AttachmentInfo
    data: bytes
    kind: str  # PDF, IMAGE, TEXT, HTML or OTHER
    matches: bool  # the bytes hash to the SHA-256 recorded at archiving
    checked_at: datetime  # when that was checked (now: on reading)


def kind_of(data: bytes, media_type: str, name: str) -> str:
    """What the viewer should show: decided by the bytes first, since a name or a recorded
    media type can be wrong; then by the type; text is anything that decodes as UTF-8."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return PDF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return IMAGE
    page_name = name.lower().endswith((".html", ".htm", ".xhtml"))
    if media_type in ("text/html", "application/xhtml+xml") or page_name:
        return HTML
    if media_type.startswith("image/") or media_type == "application/pdf":
        return OTHER  # says it is one, but its bytes are not: shown as damaged, not as text
    if b"\x00" in head:
        return OTHER
    if media_type.startswith("text/") or media_type in _TEXT_TYPES or _decodes(head):
        return TEXT
    return OTHER


def _decodes(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut by the 1 KiB window
    return True


def read_copy(cat: Catalogue, attachment: AttachmentInfo) -> ArchivedCopy:
    """The copy's bytes, hash-checked. NotFoundError when the stored file is gone;
    ValidationError when a sealed copy fails to decrypt (damaged or altered)."""
    name = attachment.original_name
    if not cat.files.exists(attachment.sha256):
        raise NotFoundError(
            _(
                "The archived copy “{name}” is missing from the catalogue's files (SHA-256 "
                "{sha}). Restore it from a backup; “belarchive files verify” lists every "
                "missing copy."
            ).format(name=name, sha=attachment.sha256)
        )
    try:
        data = cat.files.read_bytes(attachment.sha256)
    except Tampered:
        raise ValidationError(
            _(
                "The archived copy “{name}” is damaged or was altered: it no longer decrypts. "
                "Restore it from a backup."
            ).format(name=name)
        ) from None
    except OSError as exc:
        raise ValidationError(
            _("The archived copy “{name}” cannot be read: {reason}.").format(
                name=name, reason=exc.strerror or exc
            )
        ) from exc
    matches = hashlib.sha256(data).hexdigest() == attachment.sha256
    kind = kind_of(data, attachment.media_type, name)
    return ArchivedCopy(attachment, data, kind, matches, datetime.now(UTC))


def text_of(copy: ArchivedCopy) -> str:
    """A text or HTML copy as plain text (undecodable bytes shown as �, never refused)."""
    text = copy.data.decode("utf-8", errors="replace")
    return html_text(text) if copy.kind == HTML else text


class _TextOnly(HTMLParser):
    """The readable text of a saved page: no scripts, styles or markup; blocks on new lines."""

    SKIP = frozenset({"script", "style", "noscript", "template", "head"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "article", "section", "blockquote", "title", "header",
                        "footer"})  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text, blank = [], False
    for line in lines:
        if line or not blank:
            text.append(line)
        blank = not line
    return "\n".join(text).strip()


def quote_probes(quote: str) -> list[str]:
    """What to search a copy for, best first: the whole quote, then its longest sentence,
    then its first words — a quote is often trimmed or joined across a line break."""
    whole = " ".join(quote.split())
    if not whole:
        return []
    probes = [whole]
    sentences = [s.strip(" .,;:«»\"'“”") for s in whole.replace("…", ".").split(".")]
    longest = max(sentences, key=len, default="")
    if len(longest) >= 12 and longest not in probes:
        probes.append(longest)
    words = whole.split()
    if len(words) > 6:
        probes.append(" ".join(words[:6]))
    return probes
