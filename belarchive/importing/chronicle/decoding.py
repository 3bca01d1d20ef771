"""Bytes → text for chronicle files: UTF-8 (BOM or not), UTF-16 with BOM, cp1253, cp1251,
KOI8-R, ISO-8859-7 and cp1252, with clear refusals for binary, empty and oversized files.

Legacy 8-bit encodings all "decode" any byte string, so the choice is made by how much the
result looks like real text: charset-normalizer's guess plus a letter check (share of the
most frequent letters of the script, and a mostly-lower-case rule that separates cp1251
from KOI8-R, whose upper/lower halves are swapped).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from belarchive.errors import ImportError_
from belarchive.i18n import _
from belarchive.i18n import number as number_text
from belarchive.importing.chronicle.model import DecodedText

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_LEGACY = ("cp1253", "cp1251", "koi8_r", "iso8859_7", "cp1252")
_SAMPLE = 200_000  # bytes scored per candidate: enough to decide, cheap on big files

# The ten most frequent letters of each language (folded); normal prose has 55–70 % of
# its letters among them, mis-decoded text far fewer.
_FREQUENT = {
    "el": set("αοεινστηρπ"),
    "ru": set("оеаинтсрвл"),
    "en": set("etaoinshrd"),
}
_ALIASES = {"koi8-r": "koi8_r", "windows-1251": "cp1251", "windows-1253": "cp1253"}


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImportError_(
            _("The file is too large ({size}); chronicles up to {limit} can be imported. "
              "Split it into smaller files.").format(size=_size_text(size),
                                                      limit=_size_text(max_bytes))
        )  # fmt: skip


def read_chronicle_file(path: Path, encoding: str | None = None, *,
                        max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:  # fmt: skip
    """Read and decode a file, refusing an oversized one *before* reading it."""
    try:
        size = path.stat().st_size
        _check_size(size, max_bytes)
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(
            _("Cannot read '{name}': {reason}.").format(name=path.name, reason=exc.strerror or exc)
        ) from exc
    return decode_text(data, encoding, max_bytes=max_bytes)


def _looks_binary(data: bytes) -> bool:
    head = data[:_SAMPLE]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.02


def _text_score(text: str) -> float:
    """0..1: how much ``text`` looks like prose in Greek, Russian or English."""
    sample = text[:_SAMPLE]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return 0.5  # digits and punctuation only: any encoding is as good
    visible = sum(1 for c in sample if not c.isspace())
    lower = sum(1 for c in letters if c.islower()) / len(letters)
    # Greek accents are folded (ά counts as α); Latin accents are not, so that mis-decoded
    # bytes full of à, é, ñ do not pass for English.
    folded = [
        unicodedata.normalize("NFD", c)[0].lower() if "\u0370" <= c <= "\u03ff" else c.lower()
        for c in letters
    ]
    best = 0.0
    for frequent in _FREQUENT.values():
        share = sum(1 for c in folded if c in frequent) / len(folded)
        best = max(best, share)
    # Prose is 55–70 % frequent letters, mostly lower case, and mostly letters.
    letter_share = len(letters) / visible if visible else 0.0
    return (min(1.0, best / 0.55) * 0.6 + min(1.0, lower / 0.8) * 0.2
            + min(1.0, letter_share / 0.75) * 0.2)  # fmt: skip


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


MAX_LINE_CHARS = 100_000  # a paragraph of a chronicle is a few thousand characters
_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
_TAG = re.compile(r"</?(?:p|div|span|a|br|li|ul|h[1-6]|td|tr|table|script|style|meta)\b[^>]*>",
                  re.IGNORECASE)  # fmt: skip


def _finish(text: str, encoding: str, confidence: float) -> DecodedText:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise ImportError_(_("The file contains no text (only spaces or blank lines)."))
    _refuse_html(text)
    _refuse_long_lines(text)
    return DecodedText(text, encoding, round(confidence, 3))


def _refuse_html(text: str) -> None:
    head = text[:20_000]
    tags = len(_TAG.findall(head))
    if _HTML_START.match(head) or (tags > 20 and tags * 40 > len(head.split())):
        raise ImportError_(
            _(
                "This file is a web page saved as HTML, not a text chronicle. Open it in a "
                "browser, copy the text into a plain-text or Markdown file and import that; "
                "nothing was imported."
            )
        )


def _refuse_long_lines(text: str) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ImportError_(
                _("Line {line} is {n} characters long; a chronicle's lines are at most "
                  "{limit}. This does not look like a chronicle (a one-line export or a data "
                  "file?); nothing was imported.").format(line=number, n=number_text(len(line)),
                                                          limit=number_text(MAX_LINE_CHARS))
            )  # fmt: skip


def _mixed_encoding(data: bytes) -> str | None:
    """The line numbers that are not UTF-8 in a file whose other lines are UTF-8 text."""
    good_non_ascii, bad = 0, []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            raw.decode("utf-8")
            good_non_ascii += 1
        except UnicodeDecodeError:
            bad.append(number)
    if not bad or not good_non_ascii:
        return None
    shown = ", ".join(map(str, bad[:5])) + (" …" if len(bad) > 5 else "")
    return shown


def _decode_named(data: bytes, encoding: str) -> DecodedText:
    name = _ALIASES.get(encoding.lower(), encoding)
    try:
        codecs.lookup(name)
    except LookupError as exc:
        raise ImportError_(
            _("'{encoding}' is not a text encoding this program knows.").format(encoding=encoding)
        ) from exc
    text = _strict(data, name)
    if text is None:
        raise ImportError_(
            _(
                "The file is not valid {encoding} text; choose another encoding or let the "
                "program detect it."
            ).format(encoding=encoding)
        )
    return _finish(text.removeprefix("\ufeff"), name, 1.0)


def decode_text(data: bytes, encoding: str | None = None, *,
                max_bytes: int = DEFAULT_MAX_BYTES) -> DecodedText:  # fmt: skip
    """Decode a chronicle file's bytes; raise ImportError_ with a one-line reason if unusable."""
    _check_size(len(data), max_bytes)
    if not data.strip():
        raise ImportError_(_("The file is empty."))
    if data.startswith(codecs.BOM_UTF8):
        return _decode_named(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_named(data, "utf-16")
    if encoding:
        return _decode_named(data, encoding)
    if _looks_binary(data):
        raise ImportError_(
            _(
                "This is not a text file (it looks like a binary file such as a PDF, image or "
                "word-processor document); save the chronicle as plain text first."
            )
        )
    text = _strict(data, "utf-8")
    if text is not None:
        return _finish(text, "utf-8", 1.0)
    if (lines := _mixed_encoding(data)) is not None:
        raise ImportError_(
            _(
                "The file mixes two text encodings: line(s) {lines} are not UTF-8 while the "
                "rest is. Save the whole file again as UTF-8 and import it; nothing was "
                "imported."
            ).format(lines=lines)
        )
    return _guess_legacy(data)


def _guess_legacy(data: bytes) -> DecodedText:
    sample = data[:_SAMPLE]
    guess = from_bytes(sample).best()
    guessed = _ALIASES.get(guess.encoding, guess.encoding) if guess is not None else None
    best_name, best_score = "", 0.0
    for name in _LEGACY:
        text = _strict(sample, name)
        if text is None:
            continue
        score = _text_score(text) + (0.05 if name == guessed else 0.0)
        if score > best_score:
            best_name, best_score = name, score
    if best_score < 0.7:  # real prose scores ~1.0, noise and wrong guesses 0.4–0.65
        raise ImportError_(
            _("Cannot tell which text encoding this file uses; save it as UTF-8 and try again.")
        )
    text = _strict(data, best_name)
    if text is None:  # an undefined byte after the sample
        raise ImportError_(
            _(
                "The file looks like {best_name} text but contains bytes that are not valid in "
                "it; save it as UTF-8 and try again."
            ).format(best_name=best_name)
        )
    return _finish(text, best_name, min(1.0, best_score) * 0.9)
