"""The last line of defence of a pseudonymised dossier: read it back, find no name.

Every text a dossier prints goes through the ``Redactor``; this module checks that it did.
Before the file takes its name, the finished PDF is read back the way a reader (or a
search engine) would see it: the text of every page (PDFium), the document information
(title, author, subject, keywords), the bookmarks, the names and contents of the embedded
files (the manifest). The same matcher that replaced names looks for any that remain; one
found stops the export and nothing is written. A leak is a bug, never a silent result.

User-supplied words printed on every page (a title, a search query) are refused up front,
with a message saying why, instead of being quietly altered.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader

from belarchive.errors import ExportError, ValidationError
from belarchive.exporting.pdf.redaction import Redactor
from belarchive.i18n import _


def refuse_protected_inputs(redactor: Redactor, inputs: dict[str, str]) -> None:
    """ValidationError when a user-supplied text ({shown name: text}) names a protected
    person: a pseudonymised dossier cannot carry it, and we do not rewrite what was typed."""
    for what, value in inputs.items():
        if value and redactor.find(value):
            raise ValidationError(
                _(
                    "The {what} names a person protected in pseudonymised dossiers (a victim or "
                    "witness). Choose a {what} without their name, or export without "
                    "pseudonymisation for internal use."
                ).format(what=what)
            )


def scan(pdf_path: Path, redactor: Redactor) -> list[str]:
    """Where in the finished file a protected name survived (empty: none)."""
    found = []
    for where, text in _texts(pdf_path):
        if text and redactor.find(text):
            found.append(where)
    return found


def refuse_leaks(pdf_path: Path, redactor: Redactor) -> None:
    places = scan(pdf_path, redactor)
    if places:
        shown = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
        raise ExportError(
            _(
                "A protected name survived pseudonymisation ({shown}); the dossier was not "
                "written. This is a fault in belarchive: please report it, without the dossier."
            ).format(shown=shown)
        )


def _texts(pdf_path: Path) -> Iterator[tuple[str, str]]:
    yield from _page_texts(pdf_path)
    reader = PdfReader(str(pdf_path))
    for key, value in (reader.metadata or {}).items():
        yield f"document information {key}", str(value)
    for title in _outline_titles(reader.outline):
        yield "bookmarks", title
    for name, contents in reader.attachments.items():
        yield "embedded file name", name
        for data in contents:
            yield f"embedded file {name}", data.decode("utf-8", errors="replace")


def _page_texts(pdf_path: Path) -> Iterator[tuple[str, str]]:
    doc = pdfium.PdfDocument(str(pdf_path))
    try:
        for number in range(len(doc)):
            page = doc[number]
            textpage = page.get_textpage()
            try:
                yield f"page {number + 1}", textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()


def _outline_titles(outline: Any) -> Iterator[str]:
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(getattr(item, "title", "") or "")
