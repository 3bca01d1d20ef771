"""Search results: ranked hits with highlighted snippets, made without Whoosh's highlighter.

Whoosh re-analyses each stored text through a chain of generators and fragment scorers,
which costs about a millisecond per hit; this walks the words once with the same cached
analysis the indexer used (a few dict look-ups per word), so fifty snippets cost ~2 ms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from belarchive.i18n import _
from belarchive.search import analysis
from belarchive.search.compile import Compiled, Expansion
from belarchive.search.documents import analyse_word, word_keys

SNIPPET_WORDS = 30
SNIPPET_LEAD = 6


@dataclass(frozen=True, slots=True)
class Snippet:
    """A piece of text and the character spans in it that matched the query."""

    text: str
    highlights: tuple[tuple[int, int], ...] = ()

    def marked(self, before: str = "[", after: str = "]") -> str:
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.text[last:start], before, self.text[start:end], after]
            last = end
        out.append(self.text[last:])
        return "".join(out)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One ranked event; beyond the first ``searching.SNIPPET_HITS`` hits the title,
    snippet and date are left empty (fetching them for thousands of hits costs seconds)."""

    uuid: str
    score: float
    title: Snippet
    snippet: Snippet
    date_edtf: str


@dataclass(frozen=True, slots=True)
class SearchResults:
    """``total`` is exact when ``total_exact``, else Whoosh's estimate (an upper bound)."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    total_exact: bool = True
    suggestion: str | None = None
    notes: tuple[str, ...] = ()
    elapsed_ms: float = 0.0
    cross_script: bool = True
    expansions: tuple[Expansion, ...] = ()  # what plain words were widened to
    word_families: bool = True
    behind: int = 0  # changed events a bulk edit's process is still indexing (not seen yet)

    @property
    def uuids(self) -> list[str]:
        """Hit UUIDs in rank order (what storage.queries.EventFilter.uuids takes)."""
        return [h.uuid for h in self.hits]


@dataclass(slots=True)
class Highlighter:
    """Decides which words of a hit's text match the query; one per query, shared by hits,
    remembering each word's verdict per Cyrillic class."""

    compiled: Compiled
    seen: dict[str, dict[str, bool]] = field(default_factory=dict)

    def _verdicts(self, language: str) -> Callable[[str], bool]:
        seen = self.seen.setdefault(language, {})

        def verdict(word: str) -> bool:
            hit = seen.get(word)
            if hit is None:
                hit = seen[word] = self._matches(word, language)
            return hit

        return verdict

    def _matches(self, word: str, language: str) -> bool:
        info = analyse_word(word, language)
        c = self.compiled
        if info[0] in c.stems or (c.prefixes and any(info[1].startswith(p) for p in c.prefixes)):
            return True
        if info[3] and info[3] in c.lemmas:
            return True
        if (c.keys or c.key_prefixes) and word[0].isupper():
            keys = word_keys(info, word, language)
            return bool(c.keys & keys) or any(k.startswith(p) for k in keys for p in c.key_prefixes)
        return False

    def snippet(self, text: str, language: str, *, whole: bool = False) -> Snippet:
        """The matching words of ``text`` marked, in a window around the first match."""
        if not text:
            return Snippet("")
        matches = self._verdicts(language if language in ("be", "ru") else "und")
        tokens = analysis.TOKEN_RE.finditer(text)
        if whole:
            return Snippet(text, tuple(m.span() for m in tokens if matches(m.group())))
        # Each word is looked at once, and only up to the window's end: a long text's rest
        # is never tokenised (only a text with no matching word is read to its end).
        spans: list[tuple[int, int]] = []
        hits: list[int] = []
        for m in tokens:
            spans.append(m.span())
            if matches(m.group()):
                hits.append(len(spans) - 1)
                break
        first = max(0, hits[0] - SNIPPET_LEAD) if hits else 0
        for m in tokens:  # the window's words after the first match (none: all were read)
            if matches(m.group()):
                hits.append(len(spans))
            spans.append(m.span())
            if len(spans) >= first + SNIPPET_WORDS:
                break
        more = next(tokens, None) is not None
        if not more and len(spans) <= SNIPPET_WORDS:  # a short text: whole
            return Snippet(text, tuple(spans[i] for i in hits))
        last = min(len(spans), first + SNIPPET_WORDS) - 1
        start, end = spans[first][0], spans[last][1]
        lead = "…" if first > 0 else ""
        tail = "…" if more or last < len(spans) - 1 else ""
        shift = start - len(lead)
        marks = tuple((spans[i][0] - shift, spans[i][1] - shift) for i in hits if i <= last)
        return Snippet(lead + text[start:end] + tail, marks)


def expansion_text(e: Expansion) -> str:
    """What one query word was widened to, as a sentence ("--exact-words" turns it off)."""
    kinds = {
        "lemma": _("also its dictionary form {shown}"),
        "family": _("also its word family: {shown}"),
        "concept": _("also events tagged {shown}"),
    }
    return _("'{word}': {what}").format(word=e.word, what=kinds[e.kind].format(shown=e.shown))
