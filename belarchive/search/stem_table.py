"""Stem equivalences: the reviewed table of stems indexed as another stem, per language.

Snowball leaves apart forms an archivist reads as one word: irregular plurals (men, man)
and nouns and verbs whose stems differ (συνελαβ, "they arrested", and συλληψ, "arrest").
The table is data (``resources/search/stem-equivalents.txt``), one entry per line::

    el: συνελαβ -> συλληψ        in Greek texts, index and search συνελαβ as συλληψ

The index is built with it, so ``search/schema.py`` records its digest and a test fails
when the file changes without a new index format. A line that does not parse stops
stemming with a message naming the file and line: an index built with half a table
would silently miss what the rest of it joins.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from belarchive.config import resource
from belarchive.errors import CatalogueError
from belarchive.i18n import _

LANGUAGES = ("en", "el", "ru", "be")
_ENTRY_RE = re.compile(r"^([a-z]{2}):\s*(\S+)\s*->\s*(\S+)$")


class StemTableError(CatalogueError):
    """The stem table cannot be read; the message names the file and line."""


def table_path() -> Path:
    return resource("search", "stem-equivalents.txt")


def digest(path: Path | None = None) -> str:
    """The table's SHA-256 (first 16 hex digits): the index is built with one table."""
    return hashlib.sha256((path or table_path()).read_bytes()).hexdigest()[:16]


def _folded(stem: str) -> bool:
    """As the stemmers see words: letters only, folded (lower case, no accents, σ for ς)."""
    from belarchive.search.analysis import normalise  # analysis imports the stemmers

    return stem.isalpha() and normalise(stem) == stem


def _error(path: Path, number: int, problem: str) -> StemTableError:
    return StemTableError(
        _("The stem table {file}, line {line}: {problem}").format(
            file=path.name, line=number, problem=problem
        )
    )


def parse(text: str, path: Path) -> dict[str, dict[str, str]]:
    """Per language, stem -> the stem it is indexed as; StemTableError names the bad line."""
    table: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    targets: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        entry = _ENTRY_RE.match(line)
        if not entry:
            raise _error(path, number, _("expected 'language: stem -> stem'."))
        language, source, target = entry.groups()
        if language not in LANGUAGES:
            raise _error(path, number, _("'{code}' is not one of {codes}.").format(
                code=language, codes=", ".join(LANGUAGES)))  # fmt: skip
        for stem in (source, target):
            if not _folded(stem):
                raise _error(path, number, _(
                    "'{stem}' is not a folded stem (lower-case letters, no accents)."
                ).format(stem=stem))  # fmt: skip
        if source in table[language]:
            raise _error(path, number, _("'{stem}' is mapped twice.").format(stem=source))
        if source in targets[language] or target in table[language]:
            raise _error(path, number, _(
                "'{stem}' is both mapped and mapped to: map each stem straight to its last."
            ).format(stem=source if source in targets[language] else target))  # fmt: skip
        table[language][source] = target
        targets[language].add(target)
    return table


@lru_cache(maxsize=1)
def load() -> dict[str, dict[str, str]]:
    """The shipped table, read once per process."""
    path = table_path()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StemTableError(
            _("The stem table {file} cannot be read: {reason}").format(file=path.name, reason=exc)
        ) from None
    return parse(text, path)
