"""Figures (detained, killed, injured, participants) from the sentences of one event.

For each count in a sentence: skip it if it is a date, year, age, duration, amount of
money, reference or a count of things; otherwise the nearest cue word inside the same
clause decides what it counts, and the words just before it decide the qualifier.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from datetime import date
from functools import lru_cache

from belarchive.domain.values import FigureKind, Qualifier
from belarchive.importing.chronicle.dates import DateMention
from belarchive.importing.chronicle.figure_tables import (
    COURT,
    DURATION,
    KIND_CUES,
    KIND_PRIORITY,
    KIND_WORDS,
    PART_OF_BEFORE,
    PERSON_STEMS,
    POLITICAL_PRISONERS,
    PROTESTER_STEMS,
    QUALIFIER_AFTER,
    QUALIFIER_BEFORE,
    RANGE_BETWEEN,
    REFERENCE_BEFORE,
    RELEASED_AFTER,
    SINGLE_DEATH,
    SINGLE_DEATH_NAMED,
    SINGLE_DETENTION,
    SINGLE_DETENTION_OF_NAMED,
    SINGLE_DETENTION_OF_ROLE,
    SINGLE_DETENTION_ROLE_FIRST,
    THING_STEMS,
    UNDOING,
)
from belarchive.importing.chronicle.model import ProposedFigure
from belarchive.importing.chronicle.numbers import NUMBER_WORDS, NumberSpan, find_numbers
from belarchive.importing.chronicle.scope import INCIDENT, Scope, figure_scope, summary_scope
from belarchive.importing.chronicle.text import Token, fold, tokenize

_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–—-]\s|[()«»]|\s\.\s")
_WINDOW = 12  # tokens looked at on each side, inside the clause
_QUALIFIER_REACH = 40  # characters before a number searched for "τουλάχιστον", "more than"
_DETAINED_WORDS = ("detained",)


def _starts(word: str, stems: tuple[str, ...]) -> bool:
    return word.startswith(stems)  # str.startswith takes a tuple: one C-level call


_HELD_AUX = frozenset({"were", "was", "been", "being", "are", "is"})


def _held(tokens: list[Token], pos: int) -> bool:
    """ "24 people were held": held after an auxiliary is a detention ("a march was held" has
    no count before it, and "1,000 people held a rally" no auxiliary)."""
    return tokens[pos].folded == "held" and pos > 0 and tokens[pos - 1].folded in _HELD_AUX


@lru_cache(maxsize=65536)
def _kind_of(word: str) -> FigureKind | None:
    if word in KIND_WORDS:
        return KIND_WORDS[word]
    for kind in KIND_PRIORITY:
        if word.startswith(KIND_CUES[kind]):
            return kind
    return None


class _Clauses:
    """Clause boundaries of one sentence, looked up by bisection (long lines stay linear)."""

    def __init__(self, text: str) -> None:
        matches = list(_CLAUSE_BREAK.finditer(text))
        self._starts = [m.start() for m in matches]
        self._ends = [m.end() for m in matches]
        self._length = len(text)

    def following(self, end: int) -> tuple[int, int] | None:
        """The clause after the one ending at ``end`` (None after the last)."""
        j = bisect_left(self._starts, end)
        if j >= len(self._starts) or self._starts[j] != end:
            return None
        right = self._starts[j + 1] if j + 1 < len(self._starts) else self._length
        return self._ends[j], right

    def around(self, start: int, end: int) -> tuple[int, int]:
        """(left, right): the clause holding text[start:end]."""
        k = bisect_right(self._ends, start)
        left = self._ends[k - 1] if k else 0
        j = bisect_left(self._starts, end)
        return left, self._starts[j] if j < len(self._starts) else self._length


def _past_apposition(tokens: list[Token], starts: list[int], clauses: _Clauses,
                     c_end: int) -> tuple[FigureKind | None, float]:  # fmt: skip
    """ "Περίπου 500 άτομα , κυρίως φοιτητές , συνελήφθησαν": the clause after the counted
    people only describes them (no count, no cue), and the one after it says what happened.
    "колонну из 150 человек, задержаны 14" has a count of its own there, so no."""
    middle = clauses.following(c_end)
    if middle is None:
        return None, 0.0
    inside = tokens[bisect_left(starts, middle[0]) : bisect_left(starts, middle[1])]
    if any(t.is_digit or t.folded in NUMBER_WORDS or _kind_of(t.folded) for t in inside):
        return None, 0.0
    after = clauses.following(middle[1])
    if after is None:
        return None, 0.0
    rest = tokens[bisect_left(starts, after[0]) : bisect_left(starts, after[1])]
    if any(t.is_digit or t.folded in NUMBER_WORDS for t in rest):
        return None, 0.0
    kind, confidence = _classify(rest[:_WINDOW], [])
    return kind, min(confidence, 0.7)


def _is_excluded(num: NumberSpan, text: str, before: list[Token], after: list[Token]) -> bool:
    if not num.words and 1900 <= num.value <= 2100 and text[num.start : num.end].isdigit():
        return True  # a year ("2020", "1999")
    if before and before[-1].folded in REFERENCE_BEFORE:
        return True
    if re.search(r"(?:№|#|\bNo\.?|\bnr\.?)\s*$", text[max(0, num.start - 5) : num.start]):
        return True  # "гимназии № 8", "school No. 5": a reference number
    return text[num.end : num.end + 2].strip().startswith("%")


def _classify(after: list[Token], before: list[Token]) -> tuple[FigureKind | None, float]:
    """The kind counted, from the nearest cue; (None, 0) for a count of something else."""
    if after and _starts(after[0].folded, POLITICAL_PRISONERS):
        return None, 0.0
    for pos, tok in enumerate(after[:2]):
        kind = _kind_of(tok.folded)
        if kind is not None:
            return kind, 0.9
        if _starts(tok.folded, PERSON_STEMS) or _starts(tok.folded, PROTESTER_STEMS):
            break  # "390 άτομα": the people are counted; the verb says what happened to them
        if _starts(tok.folded, THING_STEMS):
            return None, 0.0
        if pos == 0 and tok.folded in ("του", "των", "of", "из"):
            continue
    candidates: list[tuple[int, int, FigureKind]] = []
    for dist, tok in enumerate(reversed(before[-_WINDOW:]), start=1):
        if (kind := _kind_of(tok.folded)) is not None:
            candidates.append((dist, KIND_PRIORITY.index(kind), kind))
            break
    for dist, tok in enumerate(after[:_WINDOW], start=1):
        kind = FigureKind.DETAINED if _held(after, dist - 1) else _kind_of(tok.folded)
        if kind is not None:
            candidates.append((dist, KIND_PRIORITY.index(kind), kind))
            break
    if candidates:
        dist, _, kind = min(candidates)
        return kind, 0.85 if dist <= 3 else 0.7
    if after and _starts(after[0].folded, PROTESTER_STEMS):
        return FigureKind.PARTICIPANTS, 0.6
    return None, 0.0


def _qualifier(folded: str, num: NumberSpan, clause_start: int) -> tuple[Qualifier, int]:
    """The qualifier and where its phrase starts (num.start when there is none)."""
    head_start = max(clause_start, num.start - _QUALIFIER_REACH)
    for qualifier, pattern in QUALIFIER_BEFORE:
        if m := pattern.search(folded, head_start, num.start):
            return qualifier, m.start(1)
    if QUALIFIER_AFTER.match(folded[num.end : num.end + 16]):
        return Qualifier.MORE_THAN, num.start
    return Qualifier.EXACT, num.start


def sentence_figures(
    sentence: str,
    line: int,
    date_spans: list[tuple[int, int]],
    tokens: list[Token] | None = None,
    folded: str | None = None,
    *,
    mentions: list[DateMention] | None = None,
    day: date | None = None,
    year: int | None = None,
    summary: bool = False,
    whole: ProposedFigure | None = None,
) -> list[ProposedFigure]:
    """Figures of one sentence, with their scope (``day`` is the item's day).

    ``whole`` is the event's last figure before this sentence: "Among them were ten
    journalists" is part of it (``part_of`` -1, renumbered by the caller).
    """
    folded = fold(sentence) if folded is None else folded
    tokens = tokenize(sentence, folded) if tokens is None else tokens
    spans = sorted(date_spans)
    span_starts = [a for a, _ in spans]

    def in_date(pos: int) -> bool:
        k = bisect_right(span_starts, pos)
        return k > 0 and pos < spans[k - 1][1]

    numbers = [n for n in find_numbers(sentence, tokens) if not in_date(n.start)]
    clauses = _Clauses(sentence)
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    figures: list[ProposedFigure] = []
    skip_next = False
    for k, num in enumerate(numbers):
        if skip_next:
            skip_next = False
            continue
        upper: NumberSpan | None = None
        if k + 1 < len(numbers) and RANGE_BETWEEN.match(folded[num.end : numbers[k + 1].start]):
            upper, skip_next = numbers[k + 1], True
        last = upper or num
        c_start, c_end = clauses.around(num.start, last.end)
        lo, hi = bisect_left(starts, c_start), bisect_right(ends, num.start)
        before = tokens[max(lo, hi - _WINDOW) : hi]
        hi_before = lo
        lo, hi = bisect_left(starts, last.end), bisect_right(ends, c_end)
        after = tokens[lo : min(hi, lo + _WINDOW)]
        if _is_excluded(num, sentence, before, after):
            continue
        kind, confidence = _classify(after, before)
        if kind is None and after and _starts(after[0].folded, PERSON_STEMS):
            kind, confidence = _past_apposition(tokens, starts, clauses, c_end)
        if kind is None and not after and sentence[:c_start].rstrip().endswith(":"):
            # "Detained in the past 24 hours: 45." — the cue is in the words before the colon
            lo = bisect_left(starts, clauses.around(c_start - 2, c_start - 1)[0])
            kind, confidence = _classify([], tokens[max(lo, hi_before - _WINDOW) : hi_before])
        part_of = None
        whole_before = figures[-1] if figures else whole
        # The cue ends right before the number: a bounded look-back keeps long lines linear.
        look_back = folded[max(c_start - 30, num.start - 60, 0) : num.start]
        if whole_before and PART_OF_BEFORE.search(look_back):
            # "из них 20 журналистов": part of the figure before (-1: the sentence before's)
            part_of = len(figures) - 1
            counts_things = any(_starts(t.folded, THING_STEMS) for t in after[:2])
            if (kind is None or kind is FigureKind.PARTICIPANTS) and not counts_things:
                kind, confidence = whole_before.kind, 0.7
        if kind is None:
            continue
        clause_tokens = tokens[bisect_left(starts, c_start) : bisect_left(starts, c_end)]
        undone = (
            any(_starts(t.folded, UNDOING) for t in before[-4:])
            or any(_starts(t.folded, RELEASED_AFTER) for t in after)
            or (any(_starts(t.folded, COURT) for t in clause_tokens)
                and any(_starts(t.folded, DURATION) for t in clause_tokens))
        )  # fmt: skip
        if kind in (FigureKind.DETAINED, FigureKind.PARTICIPANTS) and undone:
            continue  # "отменил два ареста", "released 20 detainees": no one newly detained
        if part_of is not None and whole_before is not None:  # a part counts as its whole
            scope = Scope(whole_before.scope, whole_before.period, whole_before.scope_evidence)
        else:
            scope = figure_scope(sentence, folded, mentions or [], (c_start, c_end), num.start,
                                 day, year)  # fmt: skip
            if summary and scope.period is None:
                scope = summary_scope(day)  # a day summary's own figure: the day's total
        qualifier, q_start = _qualifier(folded, num, c_start)
        if upper is not None:
            qualifier = Qualifier.EXACT
        end = last.end
        if after and after[0].start - end <= 1 and _kind_of(after[0].folded) == kind:
            end = after[0].end  # "340 συλλήψεις": quote the cue with the number
        figures.append(
            ProposedFigure(
                kind=kind,
                value_min=num.value,
                value_max=upper.value if upper is not None else None,
                qualifier=qualifier,
                sentence=sentence,
                evidence=sentence[q_start:end],
                line=line,
                confidence=round(confidence - (0.05 if num.words else 0.0), 2),
                scope=scope.scope,
                period=scope.period,
                scope_evidence=scope.evidence,
                part_of=part_of,
            )
        )
    if not any(f.kind is FigureKind.DETAINED for f in figures):
        single = _single_detention(sentence)
        if single is not None:
            scope = summary_scope(day) if summary else INCIDENT
            figures.append(
                ProposedFigure(FigureKind.DETAINED, 1, None, Qualifier.EXACT, sentence,
                               single, line, 0.5, scope.scope, scope.period, scope.evidence)
            )  # fmt: skip
    if not any(f.kind is FigureKind.KILLED for f in figures):
        death = SINGLE_DEATH.search(sentence.lower()) or SINGLE_DEATH_NAMED.search(sentence)
        if death:
            figures.append(
                ProposedFigure(FigureKind.KILLED, 1, None, Qualifier.EXACT, sentence,
                               sentence[death.start() : death.end()], line, 0.5)
            )  # fmt: skip
    return figures


def _single_detention(sentence: str) -> str | None:
    """One person detained, said without a numeral; the words that say it, or None."""
    if any(_starts(t.folded, UNDOING) for t in tokenize(sentence)):
        return None
    m = (SINGLE_DETENTION_OF_NAMED.search(sentence) or SINGLE_DETENTION_OF_ROLE.search(sentence)
         or SINGLE_DETENTION_ROLE_FIRST.search(sentence)
         or SINGLE_DETENTION.search(sentence.lower()))  # fmt: skip
    return sentence[m.start() : m.end()] if m else None


def dedupe(figures: list[ProposedFigure]) -> list[ProposedFigure]:
    """One figure per (kind, value, qualifier, scope) in an event: repeats restate a count.

    ``part_of`` indices are renumbered to the kept list (a part of a dropped repeat points
    at the figure that was kept in its place).
    """
    seen: dict[tuple[object, ...], int] = {}
    new_index: dict[int, int] = {}
    kept: list[ProposedFigure] = []
    for old, fig in enumerate(figures):
        key = (fig.kind, fig.value_min, fig.value_max, fig.qualifier, fig.scope, fig.period)
        if key in seen:
            new_index[old] = seen[key]
            continue
        seen[key] = new_index[old] = len(kept)
        kept.append(fig)
    return [
        replace(fig, part_of=new_index.get(fig.part_of)) if fig.part_of is not None else fig
        for fig in kept
    ]


def select_figures(figures: list[ProposedFigure], keep: list[bool]) -> list[ProposedFigure]:
    """The kept figures, with ``part_of`` renumbered (dropped when its whole is not kept)."""
    new_index: dict[int, int] = {}
    for old, wanted in enumerate(keep):
        if wanted:
            new_index[old] = len(new_index)
    return [
        replace(f, part_of=new_index.get(f.part_of)) if f.part_of is not None else f
        for old, f in enumerate(figures)
        if keep[old]
    ]


def concat_figures(
    first: list[ProposedFigure], second: list[ProposedFigure]
) -> list[ProposedFigure]:
    """Two events' figures as one list (``part_of`` of the second list shifted)."""
    shift = len(first)
    return [*first, *(replace(f, part_of=f.part_of + shift) if f.part_of is not None else f
                      for f in second)]  # fmt: skip
