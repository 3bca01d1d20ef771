"""Did you mean: the query with each word the index does not know replaced by the
closest indexed word."""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.searching import Searcher

from belarchive.search import analysis
from belarchive.search.compile import Compiled

SUGGEST_PREFIX = 1


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment); words are short."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def _correction(searcher: Searcher, word: str) -> str | None:
    """The indexed word closest to ``word`` (then the most frequent), or None.

    Distances are measured on folded forms, so a missing accent is no misspelling; the
    suggestion is then shown as written in an event that contains it.
    """
    folded = analysis.normalise(word)
    maxdist = 1 if len(folded) <= 4 else 2
    reader = searcher.reader()
    candidates = list(reader.terms_within("folded", folded, maxdist, prefix=SUGGEST_PREFIX))
    if not candidates:
        return None
    best = min(candidates, key=lambda c: (_distance(folded, c), -reader.doc_frequency("folded", c)))
    if best == folded:
        return None
    shown = re.sub(r"σ\b", "ς", _as_written(searcher, best))  # casefold made every sigma σ
    return shown[:1].upper() + shown[1:] if word[:1].isupper() else shown


def _as_written(searcher: Searcher, folded: str) -> str:
    """``folded`` with its accents, as an event containing it spells it (lower case)."""
    for hit in searcher.search(wq.Term("folded", folded), limit=1, scored=False):
        stored = hit.fields()
        text = stored.get("stored_title", "") + " " + stored.get("stored_text", "")
        for written in analysis.words(text):
            if analysis.normalise(written) == folded:
                return analysis.spell_form(written)
    return folded


def _is_unknown(searcher: Searcher, word: str, cross_script: bool) -> bool:
    reader = searcher.reader()
    if any(reader.doc_frequency("body", t) for t in analysis.query_terms(word)):
        return False
    keys = analysis.query_cross_keys(word) if cross_script else set()
    return not any(reader.doc_frequency("xkey", k) for k in keys)


def suggest(searcher: Searcher, text: str, compiled: Compiled, cross_script: bool) -> str | None:
    """The query with each word the index does not know replaced by its closest spelling."""
    suggestion, changed = text, False
    for word in compiled.words:
        if not word[0].isalpha() or not _is_unknown(searcher, word, cross_script):
            continue
        fixed = _correction(searcher, word)
        if fixed:
            suggestion, changed = suggestion.replace(word, fixed, 1), True
    return suggestion if changed else None
