"""Finding names (places, actors) in any case form and script.

Names and text are compared token by token on folded, lightly stemmed forms, so
"του Μινσκ", "в Минске", "Брестской области" match "Μινσκ", "Минск", "Брестская область".
Whole tokens only: a short name never matches inside a longer word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from belarchive.importing.chronicle.text import Token, fold, script_of, stem, tokenize

_ACRONYM_MAX = 5
# Everyday words that a small place's name may stem to ("Сёння" = today, Senno the town):
# a hit that starts with one of them is not a name.
STOP_WORDS = frozenset(fold(w) for w in (
    "сёння", "сення", "сяння", "сегодня", "учора", "вчера", "заўтра", "завтра", "снова",
    "мир", "мір", "сейчас", "цяпер", "today", "now",
))  # fmt: skip


@dataclass(frozen=True, slots=True)
class NameEntry:
    key: str
    stems: tuple[str, ...]
    acronym: bool  # "ΟΗΕ", "UN", "ЕС", "Ε.Ε.": only an upper-case spelling in the text counts
    proper: bool  # the name is capitalised: a lower-case "вясна" (spring) is not "Вясна"


@dataclass(frozen=True, slots=True)
class NameHit:
    key: str
    start: int  # span in the sentence
    end: int
    start_token: int
    end_token: int
    others: tuple[str, ...] = ()  # other keys with the same name (several places so named)


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return 0 < len(letters) <= _ACRONYM_MAX and all(c.isupper() for c in letters)


# Adjective endings (ru, be): a one-word place name never ends like this, its adjective does.
_ADJECTIVE_END = re.compile(
    "(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ие|их|ими|ое|і|ага|аму|ім|ая|ай|ую|ія|іх|ае)$"
)
_FLEETING = re.compile(r"(?<=[бвгджзклмнпрстфхцчшщ])[аое](?=к$)")


def _fleeting_vowel_form(name: str) -> tuple[str, ...]:
    """Навагрудак → Навагрудк (у Навагрудку), Городок → Городк (в Городке): the vowel that
    drops out of -ак/-ок/-ек in the other cases. Both forms are indexed, so Белосток still
    meets "в Белостоке"."""
    if not name or script_of(name) != "cyr":
        return ()
    shortened = _FLEETING.sub("", name)
    return (shortened,) if shortened != name else ()


def name_entry(key: str, name: str) -> NameEntry | None:
    tokens = [t for t in tokenize(name) if not t.is_digit]
    if not tokens:
        return None
    proper = any(t.is_capitalised for t in tokens)
    return NameEntry(key, tuple(stem(t.folded) for t in tokens), _is_acronym(name), proper)


class NameIndex:
    """Token-sequence index: first stem → entries, longest entries first."""

    def __init__(self, entries: list[NameEntry], rank: Mapping[str, int] | None = None) -> None:
        """``rank``: which of several keys with the same name wins (higher first)."""
        self._by_first: dict[str, list[NameEntry]] = {}
        for entry in entries:
            self._by_first.setdefault(entry.stems[0], []).append(entry)
        rank = rank or {}
        for bucket in self._by_first.values():
            bucket.sort(key=lambda e: (-len(e.stems), -rank.get(e.key, 0), e.key))

    @classmethod
    def of_names(cls, named: Iterable[tuple[str, Mapping[str, list[str]]]],
                 rank: Mapping[str, int] | None = None) -> NameIndex:  # fmt: skip
        """An index over every spelling of every (key, names-per-language) pair."""
        return cls([
            entry
            for key, names in named
            for spellings in names.values()
            for name in spellings
            for form in (name, *_fleeting_vowel_form(name))
            if (entry := name_entry(key, form)) is not None
        ], rank)  # fmt: skip

    def __len__(self) -> int:
        return sum(len(b) for b in self._by_first.values())

    def find(self, text: str, tokens: list[Token] | None = None,
             stems: list[str] | None = None) -> list[NameHit]:  # fmt: skip
        """Non-overlapping hits, longest match first at each position."""
        tokens = tokenize(text, fold(text)) if tokens is None else tokens
        stems = [stem(t.folded) for t in tokens] if stems is None else stems
        by_first = self._by_first
        hits: list[NameHit] = []
        i = 0
        while i < len(tokens):
            bucket = by_first.get(stems[i]) if tokens[i].folded not in STOP_WORDS else None
            hit = self._match_at(bucket, tokens, stems, i) if bucket else None
            if hit is None:
                i += 1
                continue
            hits.append(hit)
            i = hit.end_token
        return hits

    @staticmethod
    def _match_at(bucket: list[NameEntry], tokens: list[Token], stems: list[str],
                  i: int) -> NameHit | None:  # fmt: skip
        for entry in bucket:
            n = len(entry.stems)
            if tuple(stems[i : i + n]) != entry.stems:
                continue
            span = tokens[i : i + n]
            if entry.acronym and not all(t.text.isupper() for t in span):
                continue
            if entry.proper and not any(t.is_capitalised for t in span):
                continue
            if n == 1 and _ADJECTIVE_END.search(span[0].folded):
                continue  # "Московского района Минска": an adjective, not the city itself
            others = tuple(dict.fromkeys(
                e.key for e in bucket if e.stems == entry.stems and e.key != entry.key
            ))  # fmt: skip
            return NameHit(entry.key, tokens[i].start, tokens[i + n - 1].end, i, i + n, others)
        return None
