"""Relative day expressions ("вчера", "on Sunday", "την επομένη", "last week") and their days.

A daily report is dated by its heading or its "Date:" line; the items in it often say when
things happened relative to that day. Every resolution says what it counted from, so a
person can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from belarchive.importing.chronicle.text import fold

# Weekday words (folded) in every case form seen in chronicles → Monday=0 … Sunday=6.
_WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("monday", "понедельник", "панядзелак", "δευτερα"),
    1: ("tuesday", "вторник", "аўторак", "аутарак", "τριτη"),
    2: ("wednesday", "среду", "среда", "сераду", "серада", "τεταρτη"),
    3: ("thursday", "четверг", "чацвер", "πεμπτη"),
    4: ("friday", "пятницу", "пятница", "пятніцу", "пятніца", "παρασκευη"),
    5: ("saturday", "субботу", "суббота", "суботу", "субота", "σαββατο"),
    6: ("sunday", "воскресенье", "нядзелю", "нядзеля", "κυριακη"),
}
WEEKDAY_OF: dict[str, int] = {fold(w): d for d, words in _WEEKDAYS.items() for w in words}
_WEEKDAY_RE = "|".join(sorted((re.escape(w) for w in WEEKDAY_OF), key=len, reverse=True))

# (folded pattern, kind, days). Kinds: "offset" (report day + days), "weekday" (the latest
# such weekday on or before the report day), "week" (the week before, or this week),
# "same" (the previous item's day), "next" (the previous item's day + days).
_PATTERNS: tuple[tuple[str, str, int], ...] = (
    (r"позавчера|позавчора|the day before yesterday|προχθες|προχτες", "offset", -2),
    (
        r"вчера(?:шн\w*)?|учора|учорашн\w*|вчора|yesterday(?:'s)?|last night|χθες|χτες|χθεσινη",
        "offset",
        -1,
    ),
    (
        r"накануне|напярэдадні|the day before|the previous day|την προηγουμενη(?: μερα| ημερα)?",
        "offset",
        -1,
    ),
    (r"сегодня(?:шн\w*)?|сення|сёння|сяння|today(?:'s)?|tonight|this morning|σημερα", "offset", 0),
    (r"завтра|заўтра|tomorrow|αυριο", "offset", 1),
    (
        r"(?:в|у|во) (?:тот|этот|той|гэты|той) же день|в тот же вечер|того же дня|"
        r"(?:on )?the same day|that same day|later that day|την ιδια (?:μερα|ημερα)",
        "same",
        0,
    ),
    (
        r"на следующий день|назавтра|на другой день|на наступны дзень|"
        r"(?:on )?the (?:next|following) day|την επομενη(?: μερα| ημερα)?|την επαυριο",
        "next",
        1,
    ),
    (r"на прошлой неделе|на мінулым тыдні|last week|την περασμενη εβδομαδα", "week", -7),
    (r"на этой неделе|на гэтым тыдні|this week|αυτη την εβδομαδα", "week", 0),
    (
        r"(?:в|на|у) (?:эти |прошедшие |мінулыя )?выходные|(?:over|at|on) the weekend|"
        r"το σαββατοκυριακο",
        "weekend",
        0,
    ),
    (
        rf"(?:(?:в|во|у|ў) (?:прошлое |прошлую |прошлый |минувшее |минувшую |минувший )?"
        rf"|(?:last |this |on |on last )|(?:την |τη |το |(?:την|το) περασμεν[ηο] ))"
        rf"(?P<wd1>{_WEEKDAY_RE})\b|\b(?P<wd2>{_WEEKDAY_RE})(?:'s| night| evening| morning)",
        "weekday",
        0,
    ),
)
# Patterns are written in ordinary spelling and folded like the text ("й" → "и"); only the
# named groups' "P" must survive folding.
_COMPILED = [
    (re.compile(rf"(?<!\w)(?:{fold(p).replace('(?p<', '(?P<')})(?!\w)"), kind, days)
    for p, kind, days in _PATTERNS
]


@dataclass(frozen=True, slots=True)
class Relative:
    kind: str
    days: int
    start: int  # span in the sentence
    end: int
    weekday: int | None = None


def find_relative(folded: str, limit: int | None = None) -> Relative | None:
    """The first relative day expression in a (folded) sentence, within ``limit`` chars."""
    best: Relative | None = None
    text = folded if limit is None else folded[:limit]
    for pattern, kind, days in _COMPILED:
        m = pattern.search(text)
        if m is None or (best is not None and m.start() >= best.start):
            continue
        weekday = None
        if kind == "weekday":
            word = m.group("wd1") or m.group("wd2")
            weekday = WEEKDAY_OF[word]
        best = Relative(kind, days, m.start(), m.end(), weekday)
    return best


def resolve_relative(rel: Relative, report_day: date | None,
                     previous_day: date | None) -> tuple[str, date] | None:  # fmt: skip
    """(EDTF, first day) for a relative expression, or None when there is nothing to count from."""
    if rel.kind in ("same", "next"):
        base = previous_day or report_day
        if base is None:
            return None
        day = base + timedelta(days=rel.days)
        return day.isoformat(), day
    if report_day is None:
        return None
    if rel.kind == "offset":
        day = report_day + timedelta(days=rel.days)
        return day.isoformat(), day
    if rel.kind == "weekday" and rel.weekday is not None:
        back = (report_day.weekday() - rel.weekday) % 7
        day = report_day - timedelta(days=back)
        return day.isoformat(), day
    if rel.kind == "week":
        monday = report_day - timedelta(days=report_day.weekday()) + timedelta(days=rel.days)
        end = min(monday + timedelta(days=6), report_day)
        return f"{monday.isoformat()}/{end.isoformat()}", monday
    if rel.kind == "weekend":
        back = (report_day.weekday() - 6) % 7
        sunday = report_day - timedelta(days=back)
        saturday = sunday - timedelta(days=1)
        return f"{saturday.isoformat()}/{sunday.isoformat()}", saturday
    return None
