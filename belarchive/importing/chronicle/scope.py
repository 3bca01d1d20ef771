"""What a figure counts over: the incident, or a reported running total over a period.

"более 15 000 задержанных с начала протестов", "25 800 за 9 августа – 3 ноября", "since 9
August", "this week", "συνολικά": such numbers restate many incidents at once. They are
kept, with their period, and shown as what they are; totals never add them up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from belarchive.domain.values import FigureScope
from belarchive.importing.chronicle.dates import DateMention, InvalidDate, resolve
from belarchive.importing.chronicle.text import fold

# Running totals whose start the text does not date: the period is "../<item day>".
_OPEN_TOTAL = tuple(
    fold(w)
    for w in (
        "с начала",
        "со дня выборов",
        "после выборов",
        "за время протестов",
        "за все время",
        "за всё время",
        "в общей сложности",
        "общее число",
        "общее количество",
        "к настоящему времени",
        "на сегодняшний день",
        "з пачатку",
        "усяго",
        "агулам",
        "за ўвесь час",
        "since the start",
        "since the beginning",
        "since the election",
        "in total",
        "so far",
        "to date",
        "altogether",
        "overall",
        "a total of",
        "cumulative",
        "από την αρχή",
        "συνολικά",
        "μέχρι σήμερα",
        "μέχρι στιγμής",
        "από τις εκλογές",
    )
)
_WEEK = tuple(
    fold(w)
    for w in (
        "за неделю",
        "за прошедшую неделю",
        "на этой неделе",
        "за тыдзень",
        "this week",
        "over the past week",
        "in the past week",
        "during the week",
        "αυτή την εβδομάδα",
        "την τελευταία εβδομάδα",
    )
)
_LAST_WEEK = tuple(
    fold(w)
    for w in (
        "на прошлой неделе",
        "за прошлую неделю",
        "на мінулым тыдні",
        "за мінулы тыдзень",
        "last week",
        "over the last week",
        "την περασμένη εβδομάδα",
    )
)
_MONTH = tuple(
    fold(w)
    for w in (
        "за месяц",
        "в этом месяце",
        "за этот месяц",
        "за месяц",
        "за гэты месяц",
        "over the month",
        "this month",
        "during the month",
        "in the past month",
        "αυτόν τον μήνα",
        "τον τελευταίο μήνα",
    )
)
_WEEKEND = tuple(
    fold(w)
    for w in (
        "за выходные",
        "в выходные",
        "за выхадныя",
        "over the weekend",
        "at the weekend",
        "this weekend",
        "το σαββατοκύριακο",
    )
)
# "с 9 августа", "since 9 August", "από τις 9 Αυγούστου", "з 9 жніўня": a dated start.
_SINCE_BEFORE = re.compile(
    fold(r"(?:^|[^\w])(?:с|со|начиная с|since|from|από τις|από την|απο τις|απο την|з|ад)\s*$")
)
_IN_MONTH = re.compile(r"(?:^|\W)(?:in|during|throughout|в|во|за|у|ў|τον|το|μέσα στον)\s*$")
_RANGE_BETWEEN = re.compile(r"^\s*(?:[-–—‐]|по|до|to|until|till|and|και|εως|μέχρι|па)\s*$")
_ALL_TOLD = re.compile(r"(?<!\w)(?:всего|усяго)(?! за (?:ноч|день|сутк|вечер|выходн|дзень))(?!\w)")
_SENTENCE_START = 40  # a cue this close to the start covers the whole sentence


@dataclass(frozen=True, slots=True)
class Scope:
    scope: FigureScope
    period: str | None
    evidence: str


INCIDENT = Scope(FigureScope.INCIDENT, None, "")


def _day_of(m: DateMention, year: int | None) -> date | None:
    try:
        resolved = resolve(m, m.year if m.year is not None else year, None)
    except InvalidDate:
        return None
    return resolved.first_day if resolved else None


def _range(
    text: str, mentions: list[DateMention], lo: int, hi: int, year: int | None
) -> Scope | None:
    """ "за 9 августа – 3 ноября", "between 9 August and 3 November" inside the clause."""
    inside = [m for m in mentions if lo <= m.start < hi and m.kind == "day"]
    for a, b in pairwise(inside):
        if _RANGE_BETWEEN.match(text[a.end : b.start]):
            first, last = _day_of(a, year), _day_of(b, year)
            if first and last and first <= last:
                return Scope(FigureScope.PERIOD, f"{first}/{last}", text[a.start : b.end])
    for m in inside:
        if m.day_to is not None and (first := _day_of(m, year)):
            last = first.replace(day=m.day_to)
            return Scope(FigureScope.PERIOD, f"{first}/{last}", text[m.start : m.end])
    return None


def figure_scope(
    text: str,
    folded: str,
    mentions: list[DateMention],
    clause: tuple[int, int],
    number_start: int,
    day: date | None,
    year: int | None,
) -> Scope:
    """The scope of a number at ``number_start`` inside ``clause`` of a sentence.

    Looked for in the number's clause and at the sentence's start ("Since August, at least
    33,000 …"): a date range, "since <date>", "in <month>", then words for running totals.
    """
    lo, hi = clause
    # Mentions in the clause, or at the sentence start when the clause begins later.
    near = [m for m in mentions if lo <= m.start < hi or m.start < min(lo, _SENTENCE_START)]
    return (
        # A date range marks a total even across a dash that bounds the clause
        # ("за 9 августа – 3 ноября задержаны 25 800").
        _range(text, mentions, 0, len(text), year)
        or _since(text, folded, near, day, year)
        or _in_month(text, folded, near, day, year)
        or _cue_period(folded, lo, hi, day)
        or INCIDENT
    )


def _since(
    text: str, folded: str, near: list[DateMention], day: date | None, year: int | None
) -> Scope | None:
    """ "с 9 августа", "since 9 August", "από τις 9 Αυγούστου", "since August"."""
    end = day.isoformat() if day else ".."
    for m in near:
        lead = folded[max(0, m.lead_start - 14) : m.start]
        if not _SINCE_BEFORE.search(lead):
            continue
        start = _day_of(m, year)
        if start is not None and (day is None or start < day or m.kind == "month"):
            return Scope(
                FigureScope.PERIOD, f"{start}/{end}", (lead + text[m.start : m.end]).strip()
            )
    return None


def _in_month(
    text: str, folded: str, near: list[DateMention], day: date | None, year: int | None
) -> Scope | None:
    """ "In January, more than 600", "в декабре задержаны", "τον Μάρτιο": that month."""
    for m in near:
        if m.kind != "month" or not _IN_MONTH.search(folded[max(0, m.lead_start - 6) : m.start]):
            continue
        first = _day_of(m, year)
        if first is not None and (day is None or first <= day):
            last = min(day, _month_end(first)) if day else _month_end(first)
            return Scope(FigureScope.PERIOD, f"{first}/{last}", text[m.lead_start : m.end])
    return None


def _cue_period(folded: str, lo: int, hi: int, day: date | None) -> Scope | None:
    """Words for running totals: "с начала протестов", "in total", "this week", …"""
    end = day.isoformat() if day else None
    open_period = f"../{end}" if end else None
    # "всего" is a running total unless it sums one night or day ("всего за ночь").
    if _ALL_TOLD.search(folded, lo, hi) or _ALL_TOLD.search(
        folded, 0, min(_SENTENCE_START, len(folded))
    ):
        return Scope(FigureScope.PERIOD, open_period, "всего")
    zones = [folded[lo:hi]] + ([folded[: min(lo, _SENTENCE_START)]] if lo > 0 else [])
    for zone in zones:
        if cue := _first_cue(zone, _OPEN_TOTAL):
            return Scope(FigureScope.PERIOD, open_period, cue)
        if day is None:
            continue
        for cues, period in (
            (_WEEK, lambda d: (d - timedelta(days=d.weekday()), d)),
            (
                _LAST_WEEK,
                lambda d: (
                    d - timedelta(days=d.weekday() + 7),
                    d - timedelta(days=d.weekday() + 1),
                ),
            ),
            (_MONTH, lambda d: (d.replace(day=1), d)),
            (_WEEKEND, _weekend),
        ):
            if cue := _first_cue(zone, cues):
                first, last = period(day)
                return Scope(FigureScope.PERIOD, f"{first}/{last}", cue)
    return None


def _weekend(d: date) -> tuple[date, date]:
    sunday = d - timedelta(days=(d.weekday() - 6) % 7)
    return sunday - timedelta(days=1), sunday


def _first_cue(zone: str, cues: tuple[str, ...]) -> str | None:
    return next((cue for cue in cues if _has_word(zone, cue)), None)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _has_word(zone: str, cue: str) -> bool:
    pos = zone.find(cue)
    while pos != -1:
        before_ok = pos == 0 or not zone[pos - 1].isalnum()
        after = pos + len(cue)
        if before_ok and (after >= len(zone) or not zone[after].isalnum()):
            return True
        pos = zone.find(cue, pos + 1)
    return False


def summary_scope(day: date | None) -> Scope:
    """Figures of a day summary ("Итоги"): the day's total, restating its incidents."""
    return Scope(FigureScope.PERIOD, day.isoformat() if day else None, "day summary")
