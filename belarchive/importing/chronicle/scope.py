"""What a figure counts over: the incident, or a reported running total over a period.

"более 15 000 задержанных с начала протестов", "25 800 за 9 августа – 3 ноября", "since 9
August", "this week", "συνολικά": such numbers restate many incidents at once. They are
kept, with their period, and shown as what they are; totals never add them up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from belarchive.domain.values import FigureScope
from belarchive.importing.chronicle.dates import DateMention, InvalidDate, resolve
from belarchive.importing.chronicle.text import fold

# Running totals whose start the text does not date: the period is "../<item day>".
_OPEN_TOTAL = tuple(
    fold(w)
    for w in (
        "с начала", "со дня выборов", "после выборов", "за время протестов", "за все время",
        "за всё время", "в общей сложности", "общее число", "общее количество",
        "к настоящему времени", "на сегодняшний день", "з пачатку", "усяго",
        "агулам", "за ўвесь час", "since the start", "since the beginning", "since the election",
        "in total", "so far", "to date", "altogether", "overall", "a total of",
        "cumulative", "από την αρχή", "συνολικά", "μέχρι σήμερα", "μέχρι στιγμής",
        "από τις εκλογές",
    )
)  # fmt: skip
_WEEK = tuple(
    fold(w)
    for w in ("за неделю", "за прошедшую неделю", "на этой неделе", "за тыдзень",
              "this week", "over the past week", "in the past week", "during the week",
              "αυτή την εβδομάδα", "την τελευταία εβδομάδα")
)  # fmt: skip
_LAST_WEEK = tuple(
    fold(w)
    for w in ("на прошлой неделе", "за прошлую неделю", "на мінулым тыдні", "за мінулы тыдзень",
              "last week", "over the last week", "την περασμένη εβδομάδα")
)  # fmt: skip
_MONTH = tuple(
    fold(w)
    for w in ("за месяц", "в этом месяце", "за этот месяц", "за месяц", "за гэты месяц",
              "over the month", "this month", "during the month", "in the past month",
              "αυτόν τον μήνα", "τον τελευταίο μήνα")
)  # fmt: skip
_WEEKEND = tuple(
    fold(w)
    for w in ("за выходные", "в выходные", "за выхадныя", "over the weekend", "at the weekend",
              "this weekend", "το σαββατοκύριακο")
)  # fmt: skip
# "с 9 августа", "since 9 August", "από τις 9 Αυγούστου", "з 9 жніўня": a dated start.
_SINCE_BEFORE = re.compile(
    r"(?:^|\W)(?:с|со|начиная с|since|from|από τις|από την|απο τις|απο την|з|ад)\s*$"
)
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


def _range(text: str, mentions: list[DateMention], lo: int, hi: int,
           year: int | None) -> Scope | None:  # fmt: skip
    """ "за 9 августа – 3 ноября", "between 9 August and 3 November" inside the clause."""
    inside = [m for m in mentions if lo <= m.start < hi and m.kind == "day"]
    for a, b in zip(inside, inside[1:], strict=False):
        if _RANGE_BETWEEN.match(text[a.end : b.start]):
            first, last = _day_of(a, year), _day_of(b, year)
            if first and last and first <= last:
                return Scope(FigureScope.PERIOD, f"{first}/{last}", text[a.start : b.end])
    for m in inside:
        if m.day_to is not None and (first := _day_of(m, year)):
            last = first.replace(day=m.day_to)
            return Scope(FigureScope.PERIOD, f"{first}/{last}", text[m.start : m.end])
    return None


def figure_scope(text: str, folded: str, mentions: list[DateMention], clause: tuple[int, int],
                 number_start: int, day: date | None, year: int | None) -> Scope:  # fmt: skip
    """The scope of a number at ``number_start`` inside ``clause`` of a sentence."""
    lo, hi = clause
    end = day.isoformat() if day else ""
    # A date range marks a total even across a dash that bounds the clause ("за 9 августа –
    # 3 ноября задержаны 25 800").
    if found := _range(text, mentions, 0, len(text), year):
        return found
    for m in mentions:
        if lo <= m.start < hi and _SINCE_BEFORE.search(
            folded[max(lo, m.lead_start - 14) : m.start]
        ):
            start = _day_of(m, year)
            if start is not None and (day is None or start < day):
                since = folded[max(lo, m.lead_start - 14) : m.end].strip()
                return Scope(FigureScope.PERIOD, f"{start}/{end or '..'}", since)
            if m.kind == "month" and start is not None:
                return Scope(FigureScope.PERIOD, f"{start}/{end or '..'}", text[m.start : m.end])
    # "всего" is a running total unless it sums one night or day ("всего за ночь").
    if _ALL_TOLD.search(folded, lo, hi):
        return Scope(FigureScope.PERIOD, f"../{end}" if end else None, "всего")
    if _ALL_TOLD.search(folded, 0, min(_SENTENCE_START, len(folded))):
        return Scope(FigureScope.PERIOD, f"../{end}" if end else None, "всего")
    zones = [(lo, hi)]
    if lo > 0:
        zones.append((0, min(lo, _SENTENCE_START)))
    for z_lo, z_hi in zones:
        zone = folded[z_lo:z_hi]
        for cue in _OPEN_TOTAL:
            if _has_word(zone, cue):
                return Scope(FigureScope.PERIOD, f"../{end}" if end else None, cue)
        for cue in _WEEK:
            if _has_word(zone, cue) and day is not None:
                monday = day - timedelta(days=day.weekday())
                return Scope(FigureScope.PERIOD, f"{monday}/{day}", cue)
        for cue in _LAST_WEEK:
            if _has_word(zone, cue) and day is not None:
                monday = day - timedelta(days=day.weekday() + 7)
                return Scope(FigureScope.PERIOD, f"{monday}/{monday + timedelta(days=6)}", cue)
        for cue in _MONTH:
            if _has_word(zone, cue) and day is not None:
                return Scope(FigureScope.PERIOD, f"{day.replace(day=1)}/{day}", cue)
        for cue in _WEEKEND:
            if _has_word(zone, cue) and day is not None:
                sunday = day - timedelta(days=(day.weekday() - 6) % 7)
                return Scope(FigureScope.PERIOD, f"{sunday - timedelta(days=1)}/{sunday}", cue)
    return INCIDENT


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
