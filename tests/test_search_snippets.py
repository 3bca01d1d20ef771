"""Snippets of long texts: a window of SNIPPET_WORDS words starting SNIPPET_LEAD words
before the first match, every match inside it marked, whatever comes after it."""

from __future__ import annotations

import pytest

from belarchive.search import results
from belarchive.search.compile import compile_query
from belarchive.search.query import parse


class _NoResolver:
    def tag_keys(self, value: str) -> list[str]:
        return []

    def place_keys(self, value: str, cross_script: bool) -> list[str]:
        return []

    def concept_tag_keys(self, word: str) -> list[str]:
        return []


def _text(n: int, matches: set[int]) -> str:
    return " ".join("arrest" if i in matches else f"filler{i}" for i in range(n))


_MATCHES = [set(), {0}, {3}, {20, 21, 40}, {5, 33, 36, 70}, {79}, set(range(0, 80, 7))]
# Lengths around the window's size, and matches near their ends: a window that the text's
# end cuts short, or that ends exactly at it.
_EDGES = [(n, {k}) for n in (31, 36, 37, 45) for k in (0, n - 31, n - 25, n - 24, n - 1)]


@pytest.mark.parametrize(("n", "matches"), [(80, m) for m in _MATCHES] + _EDGES)
def test_a_long_texts_window_holds_its_first_match_and_marks_every_match_in_it(
    n: int, matches: set[int]
) -> None:
    marker = results.Highlighter(compile_query(parse("arrest"), _NoResolver(), families=None))
    words = _text(n, matches).split()
    snippet = marker.snippet(" ".join(words), "en")
    first = max(0, min(matches, default=0) - results.SNIPPET_LEAD)
    window = words[first : first + results.SNIPPET_WORDS]
    tail = "…" if first + results.SNIPPET_WORDS < len(words) else ""
    expected = ("…" if first else "") + " ".join(window) + tail
    assert snippet.text == expected
    marked = [snippet.text[s:e] for s, e in snippet.highlights]
    inside = [i for i in sorted(matches) if first <= i < first + results.SNIPPET_WORDS]
    assert marked == ["arrest"] * len(inside)
    assert all(snippet.text[s - 1] in " …" for s, _e in snippet.highlights)  # whole words


@pytest.mark.parametrize(
    ("n", "matches"), [(10, {0, 9}), (30, {29}), (30, {7, 8, 29}), (30, set())]
)
def test_a_short_text_is_whole_with_every_match_marked(n: int, matches: set[int]) -> None:
    marker = results.Highlighter(compile_query(parse("arrest"), _NoResolver(), families=None))
    snippet = marker.snippet(_text(n, matches) + ".", "en")
    assert snippet.text == _text(n, matches) + "."  # whole, up to its last stop
    assert [snippet.text[s:e] for s, e in snippet.highlights] == ["arrest"] * len(matches)
