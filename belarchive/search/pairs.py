"""Word pairs with a common word: what makes a phrase of common words fast and complete.

Whoosh checks a phrase by reading the word positions of every event that holds all its
words, in Python. For "η αστυνομία" or "в Минске" that is tens of thousands of events at
100,000 (300-900 ms, and a long phrase of such words took seconds). So the index also
holds, for every two neighbouring words of which at least one is common (the list in
``resources/search/common-words.txt``), a term for the pair; a phrase then needs the
positions of only the events that hold its pairs. Pairs of two rarer words are not
indexed: their events are few, and checking them is cheap.

Both sides use one rule on term strings: a pair of terms (a, b) is indexed, and required
by a phrase, exactly when a or b is a common term. A phrase position may have several
terms (a word's Russian and Belarusian stems, a name's script-neutral keys); a neighbour
pair then restricts the phrase only if every combination of the two positions' terms
qualifies, and any of them may be the one indexed. That keeps the restriction exact: an
event that matches the phrase always holds one of the required pairs.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from belarchive.config import resource
from belarchive.search import analysis, stemming

SEPARATOR = "+"  # never part of a term: terms are \w+ words and "~" keys
_RULES = {
    "el": (stemming.GREEK,),
    "ru": (stemming.RUSSIAN, stemming.BELARUSIAN),
    "be": (stemming.BELARUSIAN, stemming.RUSSIAN),
    "en": (stemming.ENGLISH,),
}


def list_path() -> Path:
    return resource("search", "common-words.txt")


def digest(path: Path | None = None) -> str:
    """The list's SHA-256 (first 16 hex digits): the index is built with one list."""
    return hashlib.sha256((path or list_path()).read_bytes()).hexdigest()[:16]


@lru_cache(maxsize=1)
def common_terms() -> frozenset[str]:
    """The index terms of the common words, under every rule their language may use."""
    terms: set[str] = set()
    for raw in list_path().read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        language, _colon, words = line.partition(":")
        for word in words.split():
            folded = analysis.normalise(word)
            terms.update(stemming.stem(folded, rule) for rule in _RULES.get(language, ()))
    terms.discard("")  # a word the stemmer empties (όταν) is a gap in the index, not a term
    return frozenset(terms)


def term(a: str, b: str) -> str:
    return a + SEPARATOR + b


def indexed(before: Sequence[str], after: Sequence[str], common: frozenset[str]) -> list[str]:
    """The pair terms the index holds for two neighbouring positions' terms."""
    return [term(a, b) for a, b in itertools.product(before, after) if a in common or b in common]


def required(before: Sequence[str], after: Sequence[str], common: frozenset[str]) -> list[str]:
    """The pair terms one of which an event matching these two phrase positions must hold,
    or [] when the positions do not restrict (some combination is of two rare terms)."""
    combos = list(itertools.product(before, after))
    if not all(a in common or b in common for a, b in combos):
        return []
    return [term(a, b) for a, b in combos]
