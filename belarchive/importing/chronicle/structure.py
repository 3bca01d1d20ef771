"""A structured chronicle's units: headings, report dates and blocks (a bullet with its
wrapped and nested lines, a paragraph), and what makes a line a day heading."""

from __future__ import annotations

import re
from dataclasses import dataclass

from belarchive.importing.chronicle.dates import DateMention
from belarchive.importing.chronicle.sentences import Line, Sentence
from belarchive.importing.chronicle.text import fold

_HEADING_MAX_CHARS = 80
YEAR_HEADING = re.compile(
    r"^\W*(?:year |год |гадзе |ετος )?(?:19|20)\d\d(?: г\.?| год| гг?\.?)?\W*$"
)
_MIN_TITLE_WORDS = 2


@dataclass(slots=True)
class Unit:
    kind: str  # "heading", "date" or "block"
    lines: list[Line]
    level: int
    bullet: bool = False
    sentences: list[Sentence] | None = None


def is_structured(lines: list[Line]) -> bool:
    """True for Markdown digests and reports; False for run-on prose like the sample."""
    headings = sum(1 for ln in lines if ln.kind == "heading")
    bullets = sum(1 for ln in lines if ln.kind == "bullet")
    blocks = sum(
        1 for k, ln in enumerate(lines) if ln.text and (k == 0 or lines[k - 1].kind == "blank")
    )
    dates = sum(1 for ln in lines if ln.kind == "date")
    return headings >= 1 or bullets >= 1 or blocks >= 3 or dates >= 1


def units_of(lines: list[Line]) -> list[Unit]:
    units: list[Unit] = []
    current: Unit | None = None
    for line in lines:
        kind = line.kind
        if kind in ("blank", "rule"):
            current = None
        elif kind == "source":
            target = next((u for u in reversed(units) if u.kind == "block"), None)
            if target is not None and units and units[-1] is target:
                target.lines.append(line)
            else:
                units.append(Unit("block", [line], 0))
            current = None
        elif kind in ("heading", "date"):
            units.append(Unit(kind, [line], line.level))
            current = None
        elif kind == "bullet":
            if current is not None and current.bullet and line.level > current.level:
                current.lines.append(line)  # a nested bullet belongs to its parent
            else:
                current = Unit("block", [line], line.level, bullet=True)
                units.append(current)
        elif current is not None and (
            not current.bullet or line.level > 0 or line.text[:1].islower()
        ):
            current.lines.append(line)
        else:
            current = Unit("block", [line], line.level)
            units.append(current)
    return units


def date_heading(s: Sentence) -> DateMention | None:
    """The date of a line that is a day heading ("Sunday, 9 August 2020", "# 11 ноября")."""
    if len(s.text) > _HEADING_MAX_CHARS:
        return None
    anchor = s.anchor
    if anchor is not None and anchor.kind in ("day", "part", "month"):
        return anchor
    if s.is_heading:
        return next((m for m in s.mentions if m.kind == "day"), None)
    return None


def is_plain_date_heading(unit: Unit) -> bool:
    """A line of its own that is only a date ("Sunday, 9 August 2020", "11.11.2020")."""
    if unit.bullet or len(unit.lines) != 1 or not unit.sentences or len(unit.sentences) != 1:
        return False
    s = unit.sentences[0]
    m = date_heading(s)
    return m is not None and m.kind == "day" and not title_rest(s, m) and s.text[-1:] != "."


def title_rest(s: Sentence, m: DateMention) -> str:
    """What a heading says besides its date ("9 ноября: марш в Минске" → "марш в Минске")."""
    rest = (s.text[: m.lead_start] + " " + s.text[m.end :]).strip(" ,.:;–—-()|")
    words = [w for w in re.findall(r"[^\W\d_]{2,}", rest) if fold(w) not in ("г", "года", "гг")]
    return rest if len(words) >= _MIN_TITLE_WORDS else ""
