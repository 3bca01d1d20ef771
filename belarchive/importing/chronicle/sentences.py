"""Lines → sentences: Markdown clean-up, links, wrapped lines, sentence and mid-line splits.

The sample chronicle has one sentence or so per line, sometimes two, and once a new entry
starts in the middle of a line after a lost full stop ("... εδώ Στις 7 Νοεβρίου , ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from belarchive.importing.chronicle.date_tables import SPLIT_LEADS
from belarchive.importing.chronicle.dates import DateMention, find_mentions
from belarchive.importing.chronicle.links import (
    find_links,
    is_source_line,
    source_line_links,
    unescape_markdown,
)
from belarchive.importing.chronicle.model import ProposedLink
from belarchive.importing.chronicle.text import Token, fix_lookalikes, fold, tokenize

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
_BULLET = re.compile(r"^(\s*)(?:[-*•–+]|\d{1,3}[.)])\s+")
_RULE = re.compile(r"^\s{0,3}(?:[-*_=]\s*){3,}$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(.+?)\1\s*:?\s*$")
# "Date: 9 November 2020", "Дата: 9 ноября", "Ημερομηνία:", "Дата справаздачы:"
_DATE_LINE = re.compile(
    r"^\s*(?:date|report date|дата(?: отчета| отчёта| справаздачы)?|ημερομηνια)\s*:\s*",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)")
# A sentence ends at . ! ? … (possibly repeated, possibly before a closing quote) or at a
# colon, when a capital letter, an opening quote or a heading follows. Digits do not count:
# "παρ . 4.4" and "1.000" stay whole.
_BOUNDARY = re.compile(r"(?:[.!?…]+[»\"”’)]?|:)\s+(?=[«\"“(]?[^\W\d_])")
_ABBREVIATIONS = frozenset(
    fold(w)
    for w in (
        "κ",
        "π.χ",
        "δηλ",
        "βλ",
        "παρ",
        "τ.е",
        "т.д",
        "т.п",
        "г",
        "ул",
        "им",
        "пр",
        "e.g",
        "i.e",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "St",
        "vs",
        "No",
        "U.S",
        "U.K",
        "Jr",
    )
)


@dataclass(slots=True)
class Line:
    number: int  # 1-based
    text: str  # cleaned: no Markdown markers, links replaced by their labels
    links: list[ProposedLink]
    is_heading: bool
    is_bullet: bool
    # "text", "heading", "bullet", "blank", "rule", "source" (only names a source) or
    # "date" (a "Date:" line that sets the report's date)
    kind: str = "text"
    level: int = 0  # heading level (1–6), or the indent of a bullet
    problems: list[str] = field(default_factory=list)
    through: int = 0  # the last line of a source line that was attached to this one


@dataclass(slots=True)
class Sentence:
    text: str
    folded: str
    line_start: int
    line_end: int
    is_heading: bool = False
    links: list[ProposedLink] = field(default_factory=list)
    mentions: list[DateMention] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)

    @property
    def anchor(self) -> DateMention | None:
        """The date that opens an entry here, if the sentence starts with one.

        A bare month opens an entry only in a heading and with a year ("Август 2020"): a
        headline such as "Август повторяется?" is not a date.
        """
        if self.mentions and self.mentions[0].initial:
            first = self.mentions[0]
            if first.kind != "month" or first.year is not None:
                return first
        return None


def clean_line(number: int, raw: str) -> Line:
    text, links, problems = find_links(raw, number)
    if not text.strip():
        return Line(number, "", links, False, False, "blank")
    if _RULE.match(text):
        return Line(number, "", links, False, False, "rule")
    level = 0
    kind = "text"
    heading = _HEADING.match(text)
    if heading:
        text, kind, level = text[heading.end() :], "heading", len(heading.group(1))
    elif bullet := _BULLET.match(text):
        text, kind, level = text[bullet.end() :], "bullet", len(bullet.group(1).expandtabs(4))
    elif bold := _BOLD_LINE.match(text):
        text, kind, level = bold.group(2), "heading", 6  # "**11 ноября**" on a line of its own
    text = unescape_markdown(_EMPHASIS.sub("", text)).strip()
    if text.startswith(">"):
        text = text.lstrip("> ")
    text = text.rstrip("#").rstrip() if kind == "heading" else text
    if kind == "text":
        level = len(raw) - len(raw.lstrip(" \t"))
    if _DATE_LINE.match(text):
        kind = "date"
    elif kind != "heading" and is_source_line(text, links):
        links = source_line_links(text, number, links)
        kind = "source"
    return Line(number, text, links, kind == "heading", kind == "bullet", kind, level, problems)


def _ends_sentence(text: str) -> bool:
    return text.rstrip()[-1:] in '.!?…:;»"”)'


@dataclass(slots=True)
class _Logical:
    parts: list[str]
    start: int
    end: int
    heading: bool
    links: list[ProposedLink]


def logical_lines(lines: list[Line]) -> list[tuple[str, int, int, bool, list[ProposedLink]]]:
    """Join hard-wrapped lines (no final punctuation, next line starts lower-case)."""
    out: list[_Logical] = []
    for line in lines:
        if not line.text:
            continue
        last = out[-1] if out else None
        if (
            last is not None
            and not last.heading
            and not line.is_heading
            and not line.is_bullet
            and last.end == line.number - 1
            and not _ends_sentence(last.parts[-1])
            and line.text[0].islower()
        ):
            last.parts.append(line.text)  # joined once at the end: long paragraphs stay linear
            last.end = max(line.number, line.through)
            last.links.extend(line.links)
            continue
        out.append(
            _Logical(
                [line.text],
                line.number,
                max(line.number, line.through),
                line.is_heading,
                list(line.links),
            )
        )
    return [(" ".join(x.parts), x.start, x.end, x.heading, x.links) for x in out]


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([^\W\d_][^\W\d_.]*(?:\.[^\W\d_]+)*)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = fold(word.group(1))
    return token in _ABBREVIATIONS or (len(token) == 1 and word.group(1).isupper())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one logical line."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if not text[m.end() : m.end() + 4].lstrip('«"“(')[:1].isupper():
            continue  # "Ε.Ε . και", "κ.α . Τέτοιες" — a lower-case word continues the sentence
        if text[m.start()] == "." and _is_abbreviation(text, m.start()):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _mid_line_cuts(text: str, mentions: list[DateMention]) -> list[int]:
    """Offsets where a capitalised lead word ("Στις", "On") begins a new entry mid-sentence."""
    cuts = []
    for m in mentions:
        if m.initial or m.kind not in ("day", "part") or m.lead_start == 0:
            continue
        lead = re.match(r"[^\W\d_]+", text[m.lead_start : m.lead_start + 12])
        if lead and lead.group()[0].isupper() and fold(lead.group()) in SPLIT_LEADS:
            cuts.append(m.lead_start)
    return cuts


def _sentence(
    text: str, start: int, end: int, heading: bool, links: list[ProposedLink]
) -> Sentence:
    folded = fix_lookalikes(fold(text))
    tokens = tokenize(text, folded)
    return Sentence(
        text, folded, start, end, heading, links, find_mentions(text, folded, tokens), tokens
    )


def _content_lines(lines: list[Line]) -> list[Line]:
    """Lines that carry text; a source line's links go to the line before it."""
    out: list[Line] = []
    for line in lines:
        if line.kind == "source" and out:
            out[-1].links.extend(link for link in line.links if link not in out[-1].links)
            out[-1].through = line.number
        elif line.kind in ("text", "heading", "bullet") and line.text:
            out.append(line)
        elif line.kind == "source":
            out.append(line)  # a source line with nothing before it keeps its own sentence
    return out


def make_sentences(lines: list[Line]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for text, start, end, heading, links in logical_lines(_content_lines(lines)):
        for a, b in split_sentences(text):
            piece = text[a:b].strip()
            if not piece:
                continue
            whole = _sentence(piece, start, end, heading, links)
            cuts = _mid_line_cuts(piece, whole.mentions)
            if not cuts:
                sentences.append(whole)
                continue
            bounds = [0, *cuts, len(piece)]
            for k in range(len(bounds) - 1):
                part = piece[bounds[k] : bounds[k + 1]].strip()
                if part:  # links stay with the first part, where they were found
                    sentences.append(_sentence(part, start, end, heading, links if k == 0 else []))
    return sentences
