"""Word families: the reviewed table that joins a concept's derived forms across a language.

Stems join a word's inflections and lemmas its dictionary forms, but neither joins
"arrest" and "detained", "σύλληψη" and "προσήχθησαν", "задержание" and "арестован":
those are one concept to an archivist, so a query for one finds them all. The families
are data (``resources/search/families.txt``), reviewed like the vocabularies, and may
name vocabulary tags: a word of the family then also finds the events carrying the tag.

The file format, one entry per line (``#`` starts a comment)::

    [arrest] detention          a family, and the tags it stands for (optional)
    el: σύλληψη συλλαμβάνω      words of the family in a language (el, ru, be, en)

A line that does not parse is reported with its number, and the search then runs
without families rather than with half a table.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from belarchive import config
from belarchive.config import resource
from belarchive.errors import ValidationError
from belarchive.i18n import _
from belarchive.search import analysis, lemmas
from belarchive.search.schema import FAMILY_TABLE_DIGEST

LANGUAGES = ("el", "ru", "be", "en")
_HEADER_RE = re.compile(r"^\[([a-z][a-z0-9_]*)\]\s*([a-z0-9_ ]*)$")
_MEMBERS_RE = re.compile(r"^([a-z]{2}):\s*(.*)$")


class FamilyTableError(ValidationError):
    """The family table cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Family:
    concept: str
    tags: tuple[str, ...]
    words: dict[str, tuple[str, ...]]  # language -> words as written in the table
    # What finds the family's words: stems (body), dictionary forms (lemma), per script.
    stems: dict[str, frozenset[str]] = field(default_factory=dict)
    lemma_terms: dict[str, frozenset[str]] = field(default_factory=dict)

    def index_term(self, script: str) -> str:
        """The term the index holds for an event with any of the family's ``script`` forms
        (see ``FamilyTerms``)."""
        return f"{self.concept}:{script}"

    def shown(self, script: str, limit: int = 6) -> str:
        """A few of the family's words in ``script``, for "which expansions were used"."""
        listed = [w for lang, ws in self.words.items() if _script(lang) == script for w in ws]
        more = "…" if len(listed) > limit else ""
        return ", ".join(listed[:limit]) + more


def _script(language: str) -> str:
    return {
        "el": analysis.GREEK_SCRIPT,
        "en": analysis.LATIN_SCRIPT,
    }.get(language, analysis.CYRILLIC_SCRIPT)


def _word_terms(word: str) -> tuple[set[str], set[str]]:
    """(stems, dictionary forms) a written word is found by, under every rule it may have
    been indexed with (Russian and Belarusian for Cyrillic)."""
    stems = set(analysis.query_terms(word))
    forms = {analysis.normalise(word)}
    for rule in analysis.query_rules(word):
        found = lemmas.dictionary_form(word, rule)
        if found:
            forms.add(found)
    return stems, forms


def _finish(concept: str, tags: tuple[str, ...], words: dict[str, list[str]]) -> Family:
    stems: dict[str, set[str]] = {}
    forms: dict[str, set[str]] = {}
    for language, listed in words.items():
        script = _script(language)
        for word in listed:
            word_stems, word_forms = _word_terms(word)
            stems.setdefault(script, set()).update(word_stems)
            forms.setdefault(script, set()).update(word_forms)
    return Family(
        concept,
        tags,
        {lang: tuple(ws) for lang, ws in words.items()},
        {s: frozenset(v) for s, v in stems.items()},
        {s: frozenset(v) for s, v in forms.items()},
    )


def _error(path: Path, number: int, problem: str) -> FamilyTableError:
    return FamilyTableError(
        _("The word family table {file}, line {line}: {problem}").format(
            file=path.name, line=number, problem=problem
        )
    )


def parse(text: str, path: Path) -> list[Family]:
    """The families of a table's ``text``; FamilyTableError names the first bad line."""
    families: list[Family] = []
    concept, tags, words = "", (), {}  # type: tuple[str, tuple[str, ...], dict[str, list[str]]]
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        header = _HEADER_RE.match(line)
        if header:
            if concept:
                families.append(_finish(concept, tags, words))
            concept, tags, words = header.group(1), tuple(header.group(2).split()), {}
            if concept in seen:
                raise _error(path, number, _("the family [{name}] is defined twice.").format(
                    name=concept))  # fmt: skip
            seen.add(concept)
            continue
        members = _MEMBERS_RE.match(line)
        if not members:
            raise _error(path, number, _("expected '[family] tags' or 'language: words'."))
        if not concept:
            raise _error(path, number, _("words come before the first [family] line."))
        language, listed = members.group(1), members.group(2).split()
        if language not in LANGUAGES:
            raise _error(path, number, _("'{code}' is not one of {codes}.").format(
                code=language, codes=", ".join(LANGUAGES)))  # fmt: skip
        bad = [w for w in listed if analysis.words(w) != [w]]
        if bad or not listed:
            raise _error(path, number, _("'{word}' is not a single word.").format(
                word=bad[0] if bad else ""))  # fmt: skip
        words.setdefault(language, []).extend(listed)
    if concept:
        families.append(_finish(concept, tags, words))
    return families


def table_path() -> Path:
    return resource("search", "families.txt")


# Bumped when what a family's terms are made of changes (stems, lemmas, the record below).
CACHE_FORMAT = 1


@lru_cache(maxsize=4)
def _load(path: Path, _mtime: float) -> tuple[Family, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FamilyTableError(
            _("The word family table {file} cannot be read: {reason}").format(
                file=path.name, reason=exc
            )
        ) from None
    cache = _cache_path(text)
    cached = _read_cache(cache)
    if cached is not None:
        return cached
    families = tuple(parse(text, path))
    _write_cache(cache, families)
    return families


def _cache_path(text: str) -> Path:
    """Where the parsed table's terms are kept: computing them loads every language's lemma
    dictionary (~0.5 s and ~200 MB), which a command-line search should not pay each time."""
    import simplemma

    key = f"{CACHE_FORMAT}\0{simplemma.__version__}\0{text}".encode()
    return config.cache_dir() / f"families-{hashlib.sha256(key).hexdigest()[:16]}.json"


def _read_cache(path: Path) -> tuple[Family, ...] | None:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
        return tuple(
            Family(
                r["concept"],
                tuple(r["tags"]),
                {lang: tuple(ws) for lang, ws in r["words"].items()},
                {k: frozenset(v) for k, v in r["stems"].items()},
                {k: frozenset(v) for k, v in r["lemma_terms"].items()},
            )
            for r in records
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or unreadable: made again from the table


def _write_cache(path: Path, families: tuple[Family, ...]) -> None:
    records = [
        {
            "concept": f.concept,
            "tags": list(f.tags),
            "words": {lang: list(ws) for lang, ws in f.words.items()},
            "stems": {k: sorted(v) for k, v in f.stems.items()},
            "lemma_terms": {k: sorted(v) for k, v in f.lemma_terms.items()},
        }
        for f in families
    ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only or full disk: the table is parsed again next time


def load(path: Path | None = None) -> tuple[Family, ...]:
    """The families of the bundled table (or ``path``), read again when the file changes."""
    path = path or table_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _load(path, mtime)


def families_of(word: str, table: tuple[Family, ...]) -> list[Family]:
    """The families ``word`` (as typed in a query) belongs to, in its own script."""
    script = analysis.script_of(word)
    stems, forms = _word_terms(word)
    none: frozenset[str] = frozenset()
    return [
        f
        for f in table
        if stems & f.stems.get(script, none) or forms & f.lemma_terms.get(script, none)
    ]


# -- the family terms of the index -----------------------------------------------------------
# A query word of a family used to search every form of it: a dozen posting lists or more
# (συνέλαβα: 14), each decoded whole the first time, most of a two-word query's time at
# 100,000 events. So the index also holds, for each event, one term per family and script
# whose forms the event holds (stems in the body, dictionary forms in the lemma field):
# "arrest:greek" stands for exactly the union those forms' terms would give, and a query
# reads one posting list. The terms are written from the bundled table only, pinned by
# FAMILY_TABLE_DIGEST (tests fail when the table changes and the index format does not);
# the index's state records the digest it was written with, and a query falls back to the
# forms when the two differ (store.diagnose then asks for a rebuild).


def digest(path: Path | None = None) -> str:
    """The table file's SHA-256 (first 16 hex digits), or "" if it cannot be read."""
    try:
        return hashlib.sha256((path or table_path()).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


@dataclass(frozen=True, slots=True)
class FamilyTerms:
    """Which family terms an event's stems and dictionary forms give, for one table."""

    digest: str  # the table's, or "" when no family terms are written
    by_stem: dict[str, tuple[str, ...]]
    by_lemma: dict[str, tuple[str, ...]]

    def of(self, body_terms: set[str], lemma_terms: set[str]) -> list[str]:
        """The family terms of an event whose body holds ``body_terms`` (a name's position:
        its stem) and whose lemma field holds ``lemma_terms``. Runs once an event in a
        rebuild: set intersections, not a loop over the event's words."""
        found: set[str] = set()
        for stem in self.by_stem.keys() & body_terms:
            found.update(self.by_stem[stem])
        for form in self.by_lemma.keys() & lemma_terms:
            found.update(self.by_lemma[form])
        return sorted(found)


_NONE = FamilyTerms("", {}, {})


@lru_cache(maxsize=2)
def _family_terms(path: Path, _mtime: float) -> FamilyTerms:
    if digest(path) != FAMILY_TABLE_DIGEST:
        return _NONE  # an edited or damaged table: no family terms
    try:
        table = _load(path, _mtime)
    except FamilyTableError:
        return _NONE
    by_stem: dict[str, set[str]] = {}
    by_lemma: dict[str, set[str]] = {}
    for family in table:
        for script, stems in family.stems.items():
            for stem in stems:
                by_stem.setdefault(stem, set()).add(family.index_term(script))
        for script, forms in family.lemma_terms.items():
            for form in forms:
                by_lemma.setdefault(form, set()).add(family.index_term(script))
    return FamilyTerms(
        FAMILY_TABLE_DIGEST,
        {k: tuple(sorted(v)) for k, v in by_stem.items()},
        {k: tuple(sorted(v)) for k, v in by_lemma.items()},
    )


def current_terms() -> FamilyTerms:
    """The family terms the index is written with now (~35 us: taken once a batch)."""
    path = table_path()
    try:
        mtime = path.stat().st_mtime
    except OSError:
        mtime = -1.0
    return _family_terms(path, mtime)


def index_digest() -> str:
    """The digest of the table the index's family terms are written with now, or "" when
    none are (the bundled table is not the one this index format pins, or is unreadable)."""
    return current_terms().digest
