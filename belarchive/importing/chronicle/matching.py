"""Is a proposed item the same incident as another one? (pure: no database here)

Two reports of one incident share a day (±1: a report filed the day after), and usually a
place, a type and some words or figures. A match needs the day and at least two of: an
overlapping place, the same event type, similar words, an equal figure. The archivist
decides; this only proposes, and says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from belarchive.importing.chronicle.model import ProposedEvent
from belarchive.importing.chronicle.text import fold, stem

# Tags that say what kind of incident it is (not "report" or "background").
TYPE_TAGS = frozenset({"protest", "detention", "death", "torture", "police_violence",
                       "abduction", "forced_exile", "intimidation", "shutdown", "statement",
                       "international_reaction", "sanction"})  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{4,}")
_TEXT_SIMILAR = 0.2
_REPEAT_SIMILAR = 0.6  # inside one file a repeat says nearly the same words


@dataclass(frozen=True, slots=True)
class Incident:
    """What matching needs to know of an event (proposed or in the catalogue)."""

    key: str  # event UUID, or "#<index>" for a proposal
    title: str
    day: date | None
    places: frozenset[str]
    tags: frozenset[str]
    words: frozenset[str]
    figures: frozenset[tuple[str, int]] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    title: str
    score: int
    reasons: tuple[str, ...]


def words_of(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(fold(text)))


def incident_of(p: ProposedEvent) -> Incident:
    day = date.fromisoformat(p.edtf[:10]) if p.edtf and len(p.edtf) >= 10 else None
    return Incident(
        key=f"#{p.index}",
        title=p.title,
        day=day,
        places=frozenset(pl.key for pl in p.places),
        tags=frozenset(t.key for t in p.tags),
        words=words_of(p.text),
        figures=frozenset((f.kind.value, f.value_min) for f in p.figures
                          if f.scope.value == "incident"),  # fmt: skip
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def compare(a: Incident, b: Incident) -> Match | None:
    """b as a candidate for a, or None."""
    if a.day is None or b.day is None or abs((a.day - b.day).days) > 1:
        return None
    reasons = []
    if places := a.places & b.places:
        reasons.append("same place: " + ", ".join(sorted(places)))
    if types := (a.tags & b.tags & TYPE_TAGS):
        reasons.append("same type: " + ", ".join(sorted(types)))
    text = similarity(a.words, b.words)
    if text >= _TEXT_SIMILAR:
        reasons.append(f"similar words ({text:.0%})")
    if figures := a.figures & b.figures:
        reasons.append("same figure: " + ", ".join(f"{v} {k}" for k, v in sorted(figures)))
    if len(reasons) < 2:
        return None
    score = len(reasons) + (1 if a.day == b.day else 0) + int(text * 4)
    return Match(b.key, b.title, score, tuple(reasons))


def candidates(item: Incident, pool: Iterable[Incident], limit: int = 3) -> list[Match]:
    found = [m for other in pool if (m := compare(item, other)) is not None]
    found.sort(key=lambda m: -m.score)
    return found[:limit]


def mark_repeats(events: Sequence[ProposedEvent]) -> tuple[list[ProposedEvent], int]:
    """Proposals that repeat an earlier one of the same file (same day, nearly the same
    words) point at it through ``duplicate_of``. Returns the events and the repeat count."""
    seen: dict[date, list[tuple[int, frozenset[str]]]] = {}
    out: list[ProposedEvent] = []
    repeats = 0
    for p in events:
        inc = incident_of(p)
        if inc.day is None or p.is_background:
            out.append(p)
            continue
        earlier = None
        for day in (inc.day,):
            for index, words in seen.get(day, []):
                if similarity(words, inc.words) >= _REPEAT_SIMILAR:
                    earlier = index
                    break
        if earlier is not None:
            repeats += 1
            out.append(replace(p, duplicate_of=earlier))
            continue
        seen.setdefault(inc.day, []).append((p.index, inc.words))
        out.append(p)
    return out, repeats
