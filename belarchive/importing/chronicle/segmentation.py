"""Sentences → event drafts: the dated chronicle, then the undated background part.

1. Anchors (sentence-initial dates) are resolved in order. The chronicle runs forward in
   time; an anchor earlier than the latest entry so far is a flashback if more forward
   entries follow, and otherwise belongs to the background part.
2. After the last chronicle entry, the background part starts at the first undated
   heading, the first sentence that looks back over the whole period (a retrospective cue
   such as "ήδη πριν", or a month earlier than the last entry's), or the first backward
   anchor — whichever comes first.
3. The background part is split into topical passages (background.py). Inside it a
   sentence that starts with a date opens a dated event, and a sentence that names a full
   day in its middle ("ανακοίνωσε στις 27 Αυγούστου του 2020") becomes a dated event of
   its own: both are specific, datable happenings, not thematic text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from belarchive.importing.chronicle.background import (
    opens_theme,
    shifts_topic,
    starts_with_connective,
)
from belarchive.importing.chronicle.date_tables import RETROSPECTIVE_CUES
from belarchive.importing.chronicle.dates import (
    DateMention,
    InvalidDate,
    ResolvedDate,
    mention_year,
    resolve,
)
from belarchive.importing.chronicle.sentences import Sentence

_BACKGROUND_DATE_FACTOR = 0.9  # dates found in the thematic part are a little less sure


@dataclass(slots=True)
class Draft:
    sentences: list[Sentence]
    is_background: bool
    anchor: DateMention | None = None  # the date that opened it (stripped from the title)
    resolved: ResolvedDate | None = None
    date_evidence: str = ""
    topic: str | None = None
    notes: list[str] = field(default_factory=list)
    basis: str = ""  # how the date was found: see ProposedEvent.date_basis
    derivation: str = ""
    is_summary: bool = False


@dataclass(slots=True)
class _Anchor:
    index: int
    mention: DateMention
    resolved: ResolvedDate | None


def _evidence(s: Sentence, m: DateMention) -> str:
    return s.text[m.lead_start : m.end].strip(" ,")


class Segmenter:
    def __init__(self, sentences: list[Sentence], year: int | None, warnings: list[str],
                 check_cancel: Callable[[], None]) -> None:  # fmt: skip
        self.sentences = sentences
        self.year = year
        self.warnings = warnings
        self.check_cancel = check_cancel

    # --- step 1: anchors -------------------------------------------------------------------

    def _anchors(self) -> list[_Anchor]:
        anchors: list[_Anchor] = []
        previous: date | None = None
        for index, s in enumerate(self.sentences):
            if index % 500 == 0:
                self.check_cancel()
            m = s.anchor
            if m is None:
                continue
            try:
                resolved = resolve(m, mention_year(m, self.year, previous), previous)
            except InvalidDate:
                self.warnings.append(
                    f"line {s.line_start}: '{s.text[m.start : m.end]}' is not a real date — "
                    "skipped as an anchor"
                )
                continue
            if resolved is None and m.kind in ("next", "first", "weekday"):
                continue  # nothing to count from
            anchors.append(_Anchor(index, m, resolved))
            if resolved is not None and (previous is None or resolved.first_day >= previous):
                previous = resolved.first_day
        return anchors

    @staticmethod
    def _chronicle_end(anchors: list[_Anchor]) -> int:
        """Position in ``anchors`` of the last entry that moves the chronicle forward."""
        latest: date | None = None
        end = -1
        for pos, a in enumerate(anchors):
            day = a.resolved.first_day if a.resolved else None
            if day is None or latest is None or day >= latest:
                end = pos
                latest = day or latest
        return end

    # --- step 2: where the background part starts -----------------------------------------

    def _background_start(self, anchors: list[_Anchor], end_pos: int) -> int:
        last = anchors[end_pos]
        later_anchor = {a.index for a in anchors[end_pos + 1 :]}
        last_day = last.resolved.first_day if last.resolved else None
        for index in range(last.index + 1, len(self.sentences)):
            s = self.sentences[index]
            if index in later_anchor or (s.is_heading and s.anchor is None):
                return index
            if any(cue in s.folded for cue in RETROSPECTIVE_CUES):
                return index
            if last_day is not None and any(
                not m.initial and m.kind in ("month", "part") and m.month is not None
                and m.year in (None, last_day.year) and m.month < last_day.month
                for m in s.mentions
            ):  # fmt: skip
                return index
        return len(self.sentences)

    # --- step 3: drafts --------------------------------------------------------------------

    def drafts(self) -> list[Draft]:
        anchors = self._anchors()
        if not anchors:
            return self._background(0, len(self.sentences))
        end_pos = self._chronicle_end(anchors)
        bg_start = self._background_start(anchors, end_pos)
        drafts: list[Draft] = []
        if anchors[0].index > 0:  # the title and introduction: kept in the archived copy only
            first, last = self.sentences[0], self.sentences[anchors[0].index - 1]
            self.warnings.append(
                f"lines {first.line_start}–{last.line_end}: the title and introduction before "
                "the first dated entry are kept in the archived document, not proposed as an event"
            )
        by_index = {a.index: a for a in anchors if a.index < bg_start}
        current: Draft | None = None
        for index in range(anchors[0].index, bg_start):
            s = self.sentences[index]
            a = by_index.get(index)
            if a is not None:
                current = self._dated(s, a.mention, a.resolved, 1.0)
                drafts.append(current)
            elif current is not None:
                current.sentences.append(s)
        drafts.extend(self._background(bg_start, len(self.sentences)))
        return [d for d in drafts if not _only_heading(d)]

    def _dated(self, s: Sentence, m: DateMention, resolved: ResolvedDate | None,
               factor: float) -> Draft:  # fmt: skip
        if resolved is not None and factor != 1.0:
            resolved = ResolvedDate(resolved.edtf, resolved.first_day,
                                    round(resolved.confidence * factor, 2))  # fmt: skip
        draft = Draft([s], False, m, resolved, _evidence(s, m))
        draft.basis = "relative" if m.kind in ("next", "first", "weekday") else "stated"
        if resolved is not None:
            draft.derivation = (f"relative to the entry before: '{draft.date_evidence}'"
                                if draft.basis == "relative"
                                else f"stated: '{s.text[m.start : m.end]}'")  # fmt: skip
        if resolved is not None and m.fuzzy:
            self.warnings.append(
                f"line {s.line_start}: '{s.text[m.start : m.end]}' has a misspelt month — "
                f"read as {resolved.edtf}"
            )
        if resolved is not None and m.kind in ("next", "first", "weekday"):
            self.warnings.append(
                f"line {s.line_start}: '{draft.date_evidence}' read as {resolved.edtf}, "
                "counted from the previous entry — please check"
            )
        return draft

    def _background_date(self, s: Sentence, m: DateMention) -> ResolvedDate | None:
        try:
            return resolve(m, m.year if m.year is not None else self.year, None)
        except InvalidDate:
            self.warnings.append(
                f"line {s.line_start}: '{s.text[m.start : m.end]}' is not a real date — "
                "left in the text"
            )
            return None

    def _background_dated(self, s: Sentence) -> Draft | None:
        """A dated event for a background sentence that starts with, or names, a date."""
        anchor = s.anchor
        if anchor is not None and anchor.kind in ("day", "part", "month"):
            resolved = self._background_date(s, anchor)
            if resolved is not None:
                return self._dated(s, anchor, resolved, _BACKGROUND_DATE_FACTOR)
        inner = next((m for m in s.mentions if not m.initial and m.kind == "day"), None)
        if inner is not None and (resolved := self._background_date(s, inner)) is not None:
            return self._dated(s, inner, resolved, _BACKGROUND_DATE_FACTOR * 0.9)
        return None

    @staticmethod
    def _opens_passage(s: Sentence, current: Draft | None, shift: bool, opener: bool) -> bool:
        if current is None:
            return True
        if (
            current.is_background
            and not s.is_heading
            and all(x.is_heading for x in current.sentences)
        ):
            return False  # the text under a heading belongs to it
        if s.is_heading or opener or shift:
            return True
        # After a one-sentence event dated in mid-sentence, only a connective continues it.
        return (
            not current.is_background
            and current.anchor is not None
            and not current.anchor.initial
            and len(current.sentences) == 1
            and not starts_with_connective(s.folded)
        )

    def _background(self, start: int, stop: int) -> list[Draft]:
        drafts: list[Draft] = []
        current: Draft | None = None
        for index in range(start, stop):
            if index % 500 == 0:
                self.check_cancel()
            s = self.sentences[index]
            shift, topic = shifts_topic(s.folded, current.topic if current else None)
            dated = self._background_dated(s)
            if dated is not None:
                dated.topic = topic
                current = dated
                drafts.append(current)
                continue
            opener = opens_theme(s.folded)
            if opener:
                topic = None  # the next sentence says which theme this passage is about
            if current is None or self._opens_passage(s, current, shift, opener):
                current = Draft([s], True, topic=topic)
                drafts.append(current)
            else:
                current.sentences.append(s)
                current.topic = topic
        return drafts


def _only_heading(d: Draft) -> bool:
    """A heading with nothing under it (a title, a bare date heading) is not an event."""
    if not all(s.is_heading for s in d.sentences):
        return False
    if d.is_background:
        return True
    rest = d.sentences[0].text[d.anchor.end :] if d.anchor is not None else ""
    return len(d.sentences) == 1 and len(rest.strip(" ,.:;–—-()")) < 3
