"""EDTF (Library of Congress Extended Date/Time Format) dates: validation, bounds, human reading.

The ``edtf`` library does the parsing; this module turns its result into the two day
bounds the catalogue sorts and filters on, and into words a person reads.
"""

from __future__ import annotations

import calendar
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from belarchive.errors import ValidationError
from belarchive.i18n import _

MONTHS_EN = [calendar.month_name[m] for m in range(13)]
MONTHS_EL_GEN = [
    "",
    "Ιανουαρίου",
    "Φεβρουαρίου",
    "Μαρτίου",
    "Απριλίου",
    "Μαΐου",
    "Ιουνίου",
    "Ιουλίου",
    "Αυγούστου",
    "Σεπτεμβρίου",
    "Οκτωβρίου",
    "Νοεμβρίου",
    "Δεκεμβρίου",
]
MONTHS_EL_NOM = [
    "",
    "Ιανουάριος",
    "Φεβρουάριος",
    "Μάρτιος",
    "Απρίλιος",
    "Μάιος",
    "Ιούνιος",
    "Ιούλιος",
    "Αύγουστος",
    "Σεπτέμβριος",
    "Οκτώβριος",
    "Νοέμβριος",
    "Δεκέμβριος",
]


@dataclass(frozen=True, slots=True)
class DateBounds:
    """An EDTF string with the first and last day it may denote."""

    edtf: str
    earliest: date
    latest: date


def _to_date(st: time.struct_time) -> date:
    return date(st.tm_year, st.tm_mon, st.tm_mday)


# The common shapes (a day, a month or a year, optionally qualified, and intervals of them)
# are computed directly: the edtf library's grammar costs ~4 ms a date, too slow for imports.
_SIMPLE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?[~?%]?$")
# An interval's open ("..") or unknown ("") end: stored as the first or last day a date can
# have, so that listings keep the event in every window it may reach — never an invented
# end (the edtf library would put an unknown end ten years later).
OPEN_START, OPEN_END = date.min, date.max
_OPEN = ("", "..")
# Digits of other scripts (Arabic-Indic "٢٠٢٠", full-width "２０２０") read as ASCII digits,
# explicitly, so that what is stored is what every reader understands.
_ASCII_DIGITS = {code: str(unicodedata.digit(chr(code)))
                 for code in range(0x80, 0x10000) if chr(code).isdecimal()}  # fmt: skip


def ascii_digits(text: str) -> str:
    return text.translate(_ASCII_DIGITS)


def _simple_bounds(part: str) -> tuple[date, date] | None:
    m = _SIMPLE.match(part)
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    mon = int(month)
    if not 1 <= mon <= 12:
        return None  # seasons (21-24...) go to the library
    if day is None:
        return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])
    one = date(year, mon, int(day))
    return one, one


def _fast(cleaned: str) -> DateBounds | None:
    try:
        parts = cleaned.split("/")
        if len(parts) == 1:
            b = _simple_bounds(parts[0])
            return DateBounds(cleaned, b[0], b[1]) if b else None
        if len(parts) == 2:
            if parts[0] in _OPEN and parts[1] in _OPEN:
                raise ValidationError(
                    _("'{date}' has neither a start nor an end.").format(date=cleaned)
                )
            lo = (OPEN_START, OPEN_START) if parts[0] in _OPEN else _simple_bounds(parts[0])
            hi = (OPEN_END, OPEN_END) if parts[1] in _OPEN else _simple_bounds(parts[1])
            return DateBounds(cleaned, lo[0], hi[1]) if lo and hi else None
    except ValueError as exc:  # 2020-02-31 and the like
        raise ValidationError(
            _("'{date}' is not a real date ({reason}).").format(date=cleaned, reason=exc)
        ) from exc
    return None


@lru_cache(maxsize=8192)
def parse_date(text: str) -> DateBounds:
    """Validate an EDTF string and compute its day bounds; raise ValidationError if invalid."""
    cleaned = ascii_digits((text or "").strip())
    if not cleaned:
        raise ValidationError(
            _("The date is empty; give an EDTF date such as 2020-11-15 or 2020-10~.")
        )
    fast = _fast(cleaned)
    if fast is not None:
        if fast.latest < fast.earliest:
            raise ValidationError(_backwards(cleaned))
        return fast
    # The edtf package (a pyparsing grammar, ~35 ms to import) is loaded only for the
    # forms _fast does not read, so listing and showing events do not pay for it.
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException

    try:
        parsed = parse_edtf(cleaned)
        earliest = _to_date(parsed.lower_strict())
        latest = _to_date(parsed.upper_strict())
    except (EDTFParseException, ValueError, OverflowError, TypeError, AttributeError) as exc:
        raise ValidationError(
            _(
                "'{date}' is not a valid EDTF date (examples: 2020-11-15, 2020-10, 2020-09~, "
                "2020-11-13/2020-11-15)."
            ).format(date=cleaned),
            detail=str(exc),
        ) from exc
    if latest < earliest:
        raise ValidationError(_backwards(cleaned))
    return DateBounds(cleaned, earliest, latest)


def _backwards(text: str) -> str:
    return _("The date range '{value}' ends before it begins.").format(value=text)


def is_valid(text: str) -> bool:
    try:
        parse_date(text)
    except ValidationError:
        return False
    return True


def _month_part(day_from: int, day_to: int, last_day: int) -> str | None:
    if (day_from, day_to) == (1, 10):
        return "early"
    if (day_from, day_to) == (11, 20):
        return "mid"
    if (day_from, day_to) == (21, last_day):
        return "late"
    return None


MONTHS_RU_GEN = ["", "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                 "сентября", "октября", "ноября", "декабря"]  # fmt: skip
MONTHS_RU_NOM = ["", "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август",
                 "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"]  # fmt: skip
MONTHS_BE_GEN = ["", "студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня",
                 "жніўня", "верасня", "кастрычніка", "лістапада", "снежня"]  # fmt: skip
MONTHS_BE_NOM = ["", "Студзень", "Люты", "Сакавік", "Красавік", "Май", "Чэрвень", "Ліпень",
                 "Жнівень", "Верасень", "Кастрычнік", "Лістапад", "Снежань"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class ReadingWords:
    """How one language reads a date: month names (in a date and alone), the words around."""

    in_date: list[str]
    alone: list[str]
    approximate: str
    parts: dict[str, str]  # early / mid / late of a month, before the month in a date
    since: str  # "{day}"
    until: str


READINGS: dict[str, ReadingWords] = {
    "en": ReadingWords(MONTHS_EN, MONTHS_EN, " (approximate)",
                       {"early": "early-", "mid": "mid-", "late": "late-"},
                       "from {day} (no end given)", "until {day} (no start given)"),
    "el": ReadingWords(MONTHS_EL_GEN, MONTHS_EL_NOM, " (περίπου)",
                       {"early": "Αρχές ", "mid": "Μέσα ", "late": "Τέλη "},
                       "από {day} (χωρίς τέλος)", "έως {day} (χωρίς αρχή)"),
    "ru": ReadingWords(MONTHS_RU_GEN, MONTHS_RU_NOM, " (приблизительно)",
                       {"early": "начало ", "mid": "середина ", "late": "конец "},
                       "с {day} (без конца)", "до {day} (без начала)"),
    "be": ReadingWords(MONTHS_BE_GEN, MONTHS_BE_NOM, " (прыблізна)",
                       {"early": "пачатак ", "mid": "сярэдзіна ", "late": "канец "},
                       "з {day} (без канца)", "да {day} (без пачатку)"),
}  # fmt: skip


def human_reading(text: str, lang: str = "en") -> str:
    """A reading such as '15 November 2020', 'mid-October 2020 (approximate)' or a range, in
    English, Greek, Russian or Belarusian (English for any other language)."""
    words = READINGS.get(lang, READINGS["en"])
    bounds = parse_date(text)
    approx = "~" in bounds.edtf or "?" in bounds.edtf or "%" in bounds.edtf
    suffix = words.approximate if approx else ""
    e, l_ = bounds.earliest, bounds.latest
    months = words.in_date
    if l_ == OPEN_END or e == OPEN_START:
        return _open_reading(bounds, lang)
    if e == l_:
        return f"{e.day} {months[e.month]} {e.year}{suffix}"
    last_day = calendar.monthrange(e.year, e.month)[1]
    same_month = (e.year, e.month) == (l_.year, l_.month)
    if same_month and e.day == 1 and l_.day == last_day:
        return f"{words.alone[e.month]} {e.year}{suffix}"
    if same_month and (part := _month_part(e.day, l_.day, last_day)):
        return f"{words.parts[part]}{months[e.month]} {e.year}{suffix}"
    if (e.month, e.day, l_.month, l_.day) == (1, 1, 12, 31) and e.year == l_.year:
        return f"{e.year}{suffix}"
    return f"{e.day} {months[e.month]} {e.year} – {l_.day} {months[l_.month]} {l_.year}{suffix}"


def _open_reading(bounds: DateBounds, lang: str) -> str:
    """ "from 9 August 2020 (no end given)", "until 3 November 2020 (no start given)"."""
    words = READINGS.get(lang, READINGS["en"])
    start, _sep, end = bounds.edtf.partition("/")
    if bounds.latest == OPEN_END:
        return words.since.format(day=human_reading(start, lang))
    return words.until.format(day=human_reading(end, lang))


def month_part_edtf(year: int, month: int, part: str, approximate: bool = True) -> str:
    """EDTF for 'early/mid/late <month>': a day interval, approximate at both ends by default."""
    last_day = calendar.monthrange(year, month)[1]
    spans = {"early": (1, 10), "mid": (11, 20), "late": (21, last_day)}
    start, end = spans[part]
    mark = "~" if approximate else ""
    return f"{year:04d}-{month:02d}-{start:02d}{mark}/{year:04d}-{month:02d}-{end:02d}{mark}"
