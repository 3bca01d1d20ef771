"""Date expressions inside one sentence, and their resolution to EDTF.

A *mention* is any date expression ("3 Νοεμβρίου", "στα μέσα Οκτωβρίου", "τον Αύγουστο",
"на следующий день"). A mention is an *anchor* — it opens a chronicle entry — when only
lead words ("Στις", "Την Κυριακή ,", "On", "# Воскресенье,") stand before it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from belarchive.domain.edtf_dates import month_part_edtf
from belarchive.importing.chronicle.date_tables import (
    AMBIGUOUS_MONTHS,
    LEAD_WORDS,
    MONTH_FORMS,
    MONTH_PARTS,
    PART_FILLERS,
    RELATIVE_PATTERNS,
    YEAR_TAILS,
)
from belarchive.importing.chronicle.text import (
    Token,
    fold,
    fuzzy_limit,
    glued_after,
    osa_distance,
    script_of,
    tokenize,
)

_ORDINAL_TAILS = frozenset({"st", "nd", "rd", "th"})
_MAX_LEAD_TOKENS = 6
_NUMERIC_DATE = re.compile(
    r"\b([0-9]{1,2})\.([0-9]{1,2})\.((?:19|20)[0-9]{2})\b"
    r"|\b((?:19|20)[0-9]{2})-([0-9]{2})-([0-9]{2})\b"
)
_RELATIVE = [(re.compile(rf"^(?:{fold(p)})\b"), kind, days) for p, kind, days in RELATIVE_PATTERNS]
_MONTHS_BY_SCRIPT: dict[str, list[tuple[str, int]]] = {}
for _form, _month in MONTH_FORMS.items():
    _MONTHS_BY_SCRIPT.setdefault(script_of(_form), []).append((_form, _month))


@dataclass(frozen=True, slots=True)
class DateMention:
    kind: str  # "day", "part", "month", "next", "first", "weekday"
    start: int  # span of the date itself in the sentence
    end: int
    lead_start: int  # where the anchor phrase begins (lead words included)
    day: int | None = None
    month: int | None = None
    year: int | None = None
    part: str | None = None
    days: int = 0  # offset for "next"
    fuzzy: bool = False  # month name matched with spelling tolerance
    initial: bool = False  # only lead words before it: the mention opens an entry
    day_to: int | None = None  # "9—10 августа": the last day of a range of days


@lru_cache(maxsize=65536)
def month_of(folded: str, allow_fuzzy: bool = True) -> tuple[int, bool] | None:
    """(month, was_fuzzy) for a folded word, tolerating small misspellings of long names."""
    if folded in MONTH_FORMS:
        return MONTH_FORMS[folded], False
    limit = fuzzy_limit(len(folded))
    if not allow_fuzzy or limit == 0:
        return None
    best: tuple[int, int] | None = None
    for form, month in _MONTHS_BY_SCRIPT.get(script_of(folded), ()):
        if len(form) < 6 or form[0] != folded[0]:
            continue
        dist = osa_distance(folded, form, limit)
        if dist <= limit and (best is None or dist < best[0]):
            best = (dist, month)
    return (best[1], True) if best else None


def _month_token(tok: Token, allow_fuzzy: bool) -> tuple[int, bool] | None:
    if tok.is_digit:
        return None
    if tok.folded in AMBIGUOUS_MONTHS and not tok.is_capitalised:
        return None
    return month_of(tok.folded, allow_fuzzy)


def _day(tok: Token, text: str) -> int | None:
    if not tok.is_digit or len(tok.text) > 2:
        return None
    if glued_after(text, tok):
        tail = re.match(r"[a-z]+", text[tok.end : tok.end + 3].lower())
        if not tail or tail.group() not in _ORDINAL_TAILS:
            return None
    value = int(tok.text)
    return value if 1 <= value <= 31 else None


def _year_at(tokens: list[Token], i: int, text: str) -> tuple[int | None, int]:
    """A year at tokens[i] (after optional "του"/"of"), with the index after it."""
    j = i
    while j < len(tokens) and j < i + 2 and tokens[j].folded in PART_FILLERS:
        j += 1
    if j < len(tokens) and tokens[j].is_digit and len(tokens[j].text) == 4:
        value = int(tokens[j].text)
        if 1900 <= value <= 2100 and not glued_after(text, tokens[j]):
            k = j + 1
            if k < len(tokens) and tokens[k].folded in YEAR_TAILS:
                k += 1
            return value, k
    return None, i


def _lead_start(tokens: list[Token], i: int) -> tuple[int, bool]:
    """Start of the lead phrase before tokens[i], and whether it reaches the sentence start."""
    j = i
    while j > 0 and i - j < _MAX_LEAD_TOKENS and tokens[j - 1].folded in LEAD_WORDS:
        j -= 1
    return (tokens[j].start if j < i else tokens[i].start), j == 0


def find_mentions(text: str, folded: str | None = None,
                  tokens: list[Token] | None = None) -> list[DateMention]:  # fmt: skip
    """Every date expression in a sentence, in order."""
    folded = fold(text) if folded is None else folded
    tokens = tokenize(text, folded) if tokens is None else tokens
    found: list[DateMention] = []
    last = len(tokens) - 1
    i = 0
    while i <= last:
        tok = tokens[i]
        # Cheap filter: a date starts at a number, a month name, a month part ("μέσα"), or
        # a word followed by a number (a misspelt month before its day, "August 9").
        if not (
            tok.text.isdigit()
            or tok.folded in MONTH_FORMS
            or tok.folded in MONTH_PARTS
            or (i < last and tokens[i + 1].text.isdigit())
        ):
            i += 1
            continue
        mention, nxt = _mention_at(tokens, i, text)
        if mention is None:
            i += 1
            continue
        found.append(mention)
        i = nxt
    found.extend(_numeric_dates(text, tokens, {m.start for m in found}))
    found.sort(key=lambda m: m.start)
    if found and found[0].kind == "day" and found[0].initial:
        return found
    relative = _relative_at_start(text, folded, tokens)
    if relative and (not found or found[0].start > relative.end + 3 or not found[0].initial):
        found.insert(0, relative)
    return found


def _mention_at(tokens: list[Token], i: int, text: str) -> tuple[DateMention | None, int]:
    tok = tokens[i]
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    day = _day(tok, text)
    if day is not None and nxt is not None and (ranged := _day_range(tokens, i, text)):
        return ranged
    if day is not None and nxt is not None:
        # "3 Νοεμβρίου", "9 августа 2020 г.", "9th of August", "9 August 2020"
        j = i + 1
        if nxt.folded in {"th", "st", "nd", "rd"} and nxt.start == tok.end:
            j += 1
        if j < len(tokens) and tokens[j].folded == "of":
            j += 1
        month = _month_token(tokens[j], True) if j < len(tokens) else None
        if month:
            year, end_i = _year_at(tokens, j + 1, text)
            return _make("day", tokens, i, max(end_i, j + 1), day=day, month=month, year=year)
    month = _month_token(tok, allow_fuzzy=nxt is not None and nxt.is_digit)
    if month and nxt is not None and (day := _day(nxt, text)) is not None:
        # "August 9", "August 9, 2020"
        year, end_i = _year_at(tokens, i + 2, text)
        return _make("day", tokens, i, max(end_i, i + 2), day=day, month=month, year=year)
    if tok.folded in MONTH_PARTS:
        j = i + 1
        while j < len(tokens) and j <= i + 2 and tokens[j].folded in PART_FILLERS:
            j += 1
        part_month = _month_token(tokens[j], True) if j < len(tokens) else None
        if part_month:
            year, end_i = _year_at(tokens, j + 1, text)
            part = MONTH_PARTS[tok.folded]
            return _make("part", tokens, i, max(end_i, j + 1), month=part_month, year=year,
                         part=part)  # fmt: skip
    if month and not tok.is_digit and (month_only := _month_token(tok, False)):
        year, end_i = _year_at(tokens, i + 1, text)
        return _make("month", tokens, i, max(end_i, i + 1), month=month_only, year=year)
    return None, i + 1


_RANGE_JOIN = re.compile(r"^\s*(?:[-–—‐]|и|і|and|to|και|εως|до|по)\s*$")


def _day_range(tokens: list[Token], i: int, text: str) -> tuple[DateMention, int] | None:
    """ "9—10 августа", "9 and 10 August", "9-10 Νοεμβρίου": one mention for both days."""
    if i + 2 >= len(tokens):
        return None
    first, second = _day(tokens[i], text), _day(tokens[i + 1], text)
    if first is None or second is None or second <= first:
        return None
    if not _RANGE_JOIN.match(text[tokens[i].end : tokens[i + 1].start]):
        return None
    month = _month_token(tokens[i + 2], True)
    if not month:
        return None
    year, end_i = _year_at(tokens, i + 3, text)
    mention, nxt = _make("day", tokens, i, max(end_i, i + 3), day=first, month=month,
                         year=year, day_to=second)  # fmt: skip
    return mention, nxt


def _make(kind: str, tokens: list[Token], i: int, end_i: int, *, month: tuple[int, bool],
          day: int | None = None, year: int | None = None, part: str | None = None,
          day_to: int | None = None) -> tuple[DateMention, int]:  # fmt: skip
    lead_start, initial = _lead_start(tokens, i)
    mention = DateMention(
        kind=kind, start=tokens[i].start, end=tokens[end_i - 1].end, lead_start=lead_start,
        day=day, month=month[0], year=year, part=part, fuzzy=month[1], initial=initial,
        day_to=day_to,
    )  # fmt: skip
    return mention, end_i


def _numeric_dates(text: str, tokens: list[Token], taken: set[int]) -> list[DateMention]:
    found = []
    index_of = {t.start: k for k, t in enumerate(tokens)}
    for m in _NUMERIC_DATE.finditer(text):
        if m.start() in taken:
            continue
        if m.group(1):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        else:
            year, month, day = int(m.group(4)), int(m.group(5)), int(m.group(6))
        if not 1 <= month <= 12:
            continue
        first = index_of.get(m.start(), 0)
        lead_start, initial = _lead_start(tokens, first)
        found.append(DateMention("day", m.start(), m.end(), lead_start, day, month, year,
                                 initial=initial))  # fmt: skip
    return found


def _relative_at_start(text: str, folded: str, tokens: list[Token]) -> DateMention | None:
    if not tokens:
        return None
    head_start = tokens[0].start
    head = folded[head_start:]
    for pattern, kind, days in _RELATIVE:
        if m := pattern.match(head):
            start, end = head_start, head_start + m.end()
            return DateMention(kind, start, end, start, days=days, initial=True)
    return None


# --- resolution ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    edtf: str
    first_day: date  # for ordering: the earliest day the expression may denote
    confidence: float


class InvalidDate(ValueError):
    """The expression names a day that does not exist (31 February)."""


def mention_year(m: DateMention, year: int | None, previous: date | None) -> int | None:
    """The year of a mention: explicit, else the running year, rolled over Dec → Jan."""
    if m.year is not None:
        return m.year
    if year is None:
        return None
    if previous is not None and m.month is not None:
        year = previous.year
        if previous.month - m.month >= 6:  # December entry followed by a January one
            year += 1
    return year


def resolve(m: DateMention, year: int | None, previous: date | None) -> ResolvedDate | None:
    """EDTF for a mention; None when it cannot be dated (no year, or nothing to count from).

    Raises InvalidDate for a day that does not exist in its month.
    """
    if m.kind in ("next", "first", "weekday"):
        return _resolve_relative(m, previous)
    assert m.month is not None
    if m.kind == "day" and m.day is not None:
        last = calendar.monthrange(year if year is not None else 2000, m.month)[1]
        if m.day > last:
            raise InvalidDate(m.day, m.month)
    if year is None:
        return None
    base = 1.0 if m.year is not None else 0.95
    if m.fuzzy:
        base -= 0.2
    if m.kind == "day" and m.day is not None:
        day = date(year, m.month, m.day)
        if m.day_to is not None and m.day_to <= calendar.monthrange(year, m.month)[1]:
            last_day = date(year, m.month, m.day_to)
            return ResolvedDate(f"{day.isoformat()}/{last_day.isoformat()}", day, base)
        return ResolvedDate(day.isoformat(), day, base)
    if m.kind == "part" and m.part is not None:
        first = {"early": 1, "mid": 11, "late": 21}[m.part]
        return ResolvedDate(month_part_edtf(year, m.month, m.part), date(year, m.month, first),
                            base - 0.15)  # fmt: skip
    return ResolvedDate(f"{year:04d}-{m.month:02d}", date(year, m.month, 1), base - 0.2)


def _resolve_relative(m: DateMention, previous: date | None) -> ResolvedDate | None:
    if previous is None:
        return None
    if m.kind == "next":
        day = previous + timedelta(days=m.days)
    elif m.kind == "weekday":
        day = previous + timedelta(days=(m.days - previous.weekday() - 1) % 7 + 1)
    elif previous.day == 1:
        day = previous
    else:
        day = (previous.replace(day=1) + timedelta(days=32)).replace(day=1)
    return ResolvedDate(day.isoformat(), day, 0.6)
