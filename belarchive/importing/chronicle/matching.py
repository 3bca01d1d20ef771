"""Is a proposed item the same incident as another one? (pure: no database here)

Two reports of one incident share a day (±1: a report filed the day after), and usually a
place, a type and some words or figures. Place and type alone are weak (a capital sees many
detentions a day), so a match needs the day and one strong sign — similar words or an equal
figure — with one more of any kind, or else the same place, type and day with figures of
one kind that are close (the ministry's 581 against the NGO's 620, across languages). The
archivist decides; this only proposes, and says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from belarchive.importing.chronicle.model import ProposedEvent
from belarchive.importing.chronicle.text import fold, stem

# Tags that say what kind of incident it is (not "report" or "background").
TYPE_TAGS = frozenset(
    {
        "protest",
        "detention",
        "death",
        "torture",
        "police_violence",
        "abduction",
        "forced_exile",
        "intimidation",
        "shutdown",
        "statement",
        "international_reaction",
        "sanction",
    }
)
_WORD = re.compile(r"[^\W\d_]{4,}")
_TEXT_SIMILAR = 0.2
_REPEAT_SIMILAR = 0.8  # inside one file a repeat says nearly the same words
_REPEAT_LOOKBACK = 200


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
    text: str = ""  # shown beside the proposal, so the archivist can compare


@dataclass(frozen=True, slots=True)
class Match:
    key: str
    title: str
    score: int
    reasons: tuple[str, ...]
    text: str = ""
    day: date | None = None


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
        figures=frozenset(
            (f.kind.value, f.value_min) for f in p.figures if f.scope.value == "incident"
        ),
    )


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def compare(a: Incident, b: Incident) -> Match | None:
    """b as a candidate for a, or None."""
    if a.day is None or b.day is None or abs((a.day - b.day).days) > 1:
        return None
    reasons = []
    places = a.places & b.places
    text = similarity(a.words, b.words)
    if a.places and b.places and not places and text < _REPEAT_SIMILAR:
        return None  # named in different places: different incidents
    if places:
        reasons.append("same place: " + ", ".join(sorted(places)))
    if types := (a.tags & b.tags & TYPE_TAGS):
        reasons.append("same type: " + ", ".join(sorted(types)))
    if text >= _TEXT_SIMILAR:
        reasons.append(f"similar words ({text:.0%})")
    strong = text >= _TEXT_SIMILAR
    if figures := {f for f in a.figures & b.figures if f[1] >= 2 or f[0] == "killed"}:
        reasons.append("same figure: " + ", ".join(f"{v} {k}" for k, v in sorted(figures)))
        strong = True
    elif close := _close_figures(a, b):
        reasons.append("close figures: " + close)
        strong = bool(places and types and a.day == b.day)
    if not strong or len(reasons) < 2:
        return None
    score = len(reasons) + (1 if a.day == b.day else 0) + int(text * 4)
    return Match(b.key, b.title, score, tuple(reasons), b.text, b.day)


_CLOSE = 0.25


def _close_figures(a: Incident, b: Incident) -> str:
    """ "581 / 620 detained" when both give a figure of one kind within a quarter."""
    for kind, x in sorted(a.figures):
        for other_kind, y in sorted(b.figures):
            if kind == other_kind and min(x, y) >= 10 and abs(x - y) <= _CLOSE * max(x, y):
                return f"{x} / {y} {kind}"
    return ""


def candidates(item: Incident, pool: Iterable[Incident], limit: int = 3) -> list[Match]:
    found = [m for other in pool if (m := compare(item, other)) is not None]
    found.sort(key=lambda m: -m.score)
    return found[:limit]


def _repeats(a: Incident, b: Incident) -> bool:
    """Nearly the same words, and nothing that tells the two apart (a place, a count)."""
    if similarity(a.words, b.words) < _REPEAT_SIMILAR:
        return False
    if a.places and b.places and not a.places & b.places:
        return False
    kinds = {k for k, _ in a.figures} & {k for k, _ in b.figures}
    return all(
        {v for k, v in a.figures if k == kind} & {v for k, v in b.figures if k == kind}
        for kind in kinds
    )


def mark_repeats(events: Sequence[ProposedEvent]) -> tuple[list[ProposedEvent], int]:
    """Proposals that repeat an earlier one of the same file (same day, nearly the same
    words) point at it through ``duplicate_of``. Returns the events and the repeat count."""
    seen: dict[date, list[tuple[int, Incident]]] = {}
    exact: dict[tuple[date, frozenset[str]], int] = {}
    out: list[ProposedEvent] = []
    repeats = 0
    for p in events:
        inc = incident_of(p)
        if inc.day is None or p.is_background:
            out.append(p)
            continue
        earlier = exact.get((inc.day, inc.words))
        if earlier is None:
            # Near repeats are looked for among a bounded number of the day's items, so a
            # pathological file of thousands of items on one day stays linear.
            for index, other in seen.get(inc.day, [])[:_REPEAT_LOOKBACK]:
                if _repeats(inc, other):
                    earlier = index
                    break
        if earlier is not None:
            repeats += 1
            out.append(replace(p, duplicate_of=earlier))
            continue
        seen.setdefault(inc.day, []).append((p.index, inc))
        exact[(inc.day, inc.words)] = p.index
        out.append(p)
    return out, repeats
