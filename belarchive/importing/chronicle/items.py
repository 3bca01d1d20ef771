"""Structured chronicles (headings, bullets, paragraphs) → one draft per news item.

A day heading ("# Cреда, 11 ноября", "Sunday, 9 August 2020", "**11.11.2020**") or a
"Date:" line opens a section and dates it. Inside a section every bullet, paragraph or
sub-heading is a news item of its own, unless it clearly continues the one before (a
pronoun or "later" at its start, a wrapped or nested line). A date at the start of an item
dates that item only; a relative day ("вчера", "on Sunday") is counted from the section's
date; an item that says nothing of its day inherits the section's. Items under a summary
heading ("Итоги", "Summary", "Σύνοψη") become summary records of their day. Undated
sections (thematic headings, the closing overview) go to the background splitter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from belarchive.importing.chronicle.date_tables import RETROSPECTIVE_CUES
from belarchive.importing.chronicle.dates import (
    DateMention,
    InvalidDate,
    ResolvedDate,
    mention_year,
    resolve,
)
from belarchive.importing.chronicle.model import DatedSection
from belarchive.importing.chronicle.numbers import NUMBER_WORDS
from belarchive.importing.chronicle.relative import find_relative, resolve_relative
from belarchive.importing.chronicle.segmentation import Draft, Segmenter
from belarchive.importing.chronicle.sentences import Line, Sentence, make_sentences
from belarchive.importing.chronicle.structure import (
    YEAR_HEADING,
    Unit,
    date_heading,
    is_plain_date_heading,
    title_rest,
    units_of,
)
from belarchive.importing.chronicle.text import fold

_SUMMARY = re.compile(
    r"^(?:итоги|итог|подводим итоги|коротко|вынікі|коратка|summary|in summary|in brief|"
    r"totals?|the day in numbers|the week in numbers|in numbers|итоги недели|неделя в цифрах|"
    r"в цифрах|у лічбах|συνοψη|συνοπτικα|απολογισμος|σε αριθμους)\b"
)
# Openings that continue the item before: a pronoun for its subject, or "later".
_CONTINUES = tuple(
    fold(w)
    for w in (
        "он ",
        "она ",
        "они ",
        "его ",
        "её ",
        "ее ",
        "их ",
        "ему ",
        "ей ",
        "позже",
        "затем",
        "потом",
        "впоследствии",
        "ён ",
        "яна ",
        "яны ",
        "яго ",
        "пазней",
        "he ",
        "she ",
        "they ",
        "his ",
        "her ",
        "their ",
        "later",
        "afterwards",
        "αυτός",
        "αυτή",
        "αυτοί",
        "αργότερα",
        "στη συνέχεια",
    )
)
# A participle right before a relative day makes the day part of a noun phrase:
# "Задержанного в воскресенье музыканта приговорили…" was sentenced today, not on Sunday.
_PARTICIPLE_BEFORE = re.compile(
    r"(?:нного|нных|нной|нную|нный|нная|нные|вшего|вших|вшая|вший|нага|ная|ных|ную|ным)\s+$"
)


# English: "12 protesters who were detained on Sunday were released" — the day belongs to
# the relative clause.
_RELATIVE_CLAUSE_BEFORE = re.compile(
    r"\bwho (?:were|was|had been|have been)\s+(?:detained|arrested|held|sentenced)\s+$"
)


def _states_a_count(s: Sentence) -> bool:
    """ "На прошлой неделе задержаны 1 500": the week is the count's period (a running
    total), the item is the report; "Last week police raided the office" happened then."""
    return any(t.is_digit or t.folded in NUMBER_WORDS for t in s.tokens)


def _modifies_noun(folded: str, start: int) -> bool:
    before = folded[max(0, start - 30) : start]
    return bool(_PARTICIPLE_BEFORE.search(before[-20:]) or _RELATIVE_CLAUSE_BEFORE.search(before))


class ItemSegmenter:
    def __init__(
        self,
        lines: list[Line],
        year: int | None,
        warnings: list[str],
        check_cancel: Callable[[], None],
    ) -> None:
        self.units = units_of(lines)
        self.year = year
        self.warnings = warnings
        self.check_cancel = check_cancel
        self.sections: list[DatedSection] = []
        self.drafts: list[Draft] = []
        self._section: ResolvedDate | None = None
        self._section_basis = "heading"
        self._day_level: int | None = None
        self._summary_level: int | None = None
        self._open_heading: tuple[Draft, int] | None = None
        self._previous: date | None = None  # the day of the last dated item
        self._background: list[Sentence] = []
        self._dated_region = False
        self._label: Sentence | None = None  # the heading of the report part we are in
        self._pending_first: Sentence | None = None
        self._section_items = 0

    # --- entry point ------------------------------------------------------------------------

    def run(self) -> tuple[list[Draft], list[DatedSection]]:
        for unit in self.units:
            unit.sentences = make_sentences(unit.lines)
            if unit.kind == "block" and is_plain_date_heading(unit):
                unit.kind, unit.level = "heading", 1  # "Sunday, 9 August 2020" on its own
        later_dated = self._later_dated()
        for index, unit in enumerate(self.units):
            if index % 200 == 0:
                self.check_cancel()
            if unit.kind == "date":
                self._date_line(unit)
            elif unit.kind == "heading":
                self._heading(unit)
            else:
                self._block(unit, later_dated[index])
        self._flush_background()
        self._warn_if_empty()
        self.drafts.sort(key=lambda d: d.sentences[0].line_start)
        return self.drafts, self.sections

    def _later_dated(self) -> list[bool]:
        """For each unit: does a dated heading or a dated block come after it?"""
        out = [False] * len(self.units)
        seen = False
        for index in range(len(self.units) - 1, -1, -1):
            out[index] = seen
            unit = self.units[index]
            first = unit.sentences[0] if unit.sentences else None
            if first is not None and (first.anchor is not None or unit.kind == "date"):
                seen = True
        return out

    # --- sections ---------------------------------------------------------------------------

    def _resolve(self, s: Sentence, m: DateMention, previous: date | None) -> ResolvedDate | None:
        try:
            return resolve(m, mention_year(m, self.year, previous), previous)
        except InvalidDate:
            self.warnings.append(
                f"line {s.line_start}: '{s.text[m.start : m.end]}' is not a real date — not used"
            )
            return None

    def _open_section(self, s: Sentence, resolved: ResolvedDate | None, basis: str) -> None:
        self._flush_background()
        self._warn_if_empty()
        self._section_items = len(self.drafts)
        self._label = None
        self.sections.append(
            DatedSection(s.line_start, s.text, resolved.edtf if resolved else None)
        )
        self._section = resolved
        self._section_basis = basis
        self._summary_level = None
        self._open_heading = None
        self._dated_region = True
        if resolved is not None:
            self._previous = resolved.first_day

    def _warn_if_empty(self) -> None:
        """A dated heading with nothing under it is reported, not silently dropped."""
        if self.sections and len(self.drafts) == self._section_items:
            last = self.sections[-1]
            self.warnings.append(
                f"line {last.line}: the heading '{last.text}' has no items "
                "under it; nothing was proposed for it"
            )

    def _date_line(self, unit: Unit) -> None:
        line = unit.lines[0]
        value = re.sub(r"^[^:]*:\s*", "", line.text)
        s = make_sentences([Line(line.number, value, [], True, False, "heading")])
        mention = next((m for m in s[0].mentions if m.kind == "day"), None) if s else None
        resolved = self._resolve(s[0], mention, self._previous) if s and mention else None
        if resolved is None:
            self.warnings.append(
                f"line {line.number}: '{line.text}' gives no date that can be read"
            )
        self._day_level = 0  # under a report date every heading is an item or a part of one
        self._open_section(
            s[0] if s else Sentence(line.text, fold(line.text), line.number, line.number),
            resolved,
            "report",
        )

    def _heading(self, unit: Unit) -> None:
        if not unit.sentences:
            return
        s = unit.sentences[0]
        mention = date_heading(s)
        if mention is not None:
            resolved = self._resolve(s, mention, self._previous)
            self._open_section(s, resolved, "heading")
            self._day_level = unit.level
            rest = title_rest(s, mention)
            if rest and resolved is not None:
                item = self._new_item(s, resolved, "heading", f"the heading '{s.text}'", mention)
                item.basis = "heading"
                self._open_heading = (item, unit.level)
            return
        if YEAR_HEADING.match(s.folded):
            self.year = int(re.sub(r"\D", "", s.folded)[:4])  # "## 2021": the year of what follows
            return
        if _SUMMARY.match(s.folded.lstrip(" #*")):
            self._summary_level = unit.level
            self._open_heading = None
            return
        if self._summary_level is not None and unit.level <= self._summary_level:
            self._summary_level = None
        nested = self._day_level is not None and unit.level > self._day_level
        if self._dated_region and self._section is not None and nested:
            self._label = None
            self._open_heading = (self._item_for(s), unit.level)
            return
        # An undated heading at the level of the day headings ends the dated part.
        self._open_heading = None
        self._dated_region = False
        self._section = None
        self._background.append(s)

    # --- items ------------------------------------------------------------------------------

    def _block(self, unit: Unit, later_dated: bool) -> None:
        sentences = unit.sentences or []
        if not sentences:
            return
        first = sentences[0]
        if not self._dated_region and first.anchor is not None and first.anchor.kind != "month":
            self._flush_background()  # what came before is the title or an undated section
            self._dated_region = True  # a run of dated paragraphs with no day headings
        if (
            self._dated_region
            and not unit.bullet
            and not later_dated
            and self._retrospective(first)
        ):
            self._dated_region = False  # the closing overview after the last dated entry
        if not self._dated_region:
            self._background.extend(sentences)
            return
        if self._open_heading is not None:
            item = self._open_heading[0]
            if unit.bullet and len(item.sentences) == 1 and item.basis != "heading":
                # A heading with a list under it names a part of the report ("## Detentions",
                # "## Sunday's events"), not an item: its list items are the items.
                self.drafts.remove(item)
                self._label = item.sentences[0]
                self._open_heading = None
            elif not (unit.bullet and len(item.sentences) > 1):
                item.sentences.extend(sentences)
                if unit.lines[-1].kind == "source":
                    self._open_heading = None  # its source line closes a news item
                return
            self._open_heading = None  # a list after the item's own text: items of their own
        current: Draft | None = None
        if self.drafts and not unit.bullet and first.folded.startswith(_CONTINUES):
            current = self.drafts[-1]
        for k, s in enumerate(sentences):
            rest_dated = later_dated or any(x.anchor is not None for x in sentences[k + 1 :])
            if k > 0 and not unit.bullet and not rest_dated and self._retrospective(s):
                self._dated_region = False  # "By the end of 2021 …": the closing overview
                self._background.extend(sentences[k:])
                return
            if current is None or (k > 0 and (s.anchor is not None or self._same_or_next(s))):
                current = self._item_for(s)
            else:
                current.sentences.append(s)

    def _same_or_next(self, s: Sentence) -> bool:
        rel = find_relative(s.folded, 40)
        return rel is not None and rel.start <= 3 and rel.kind in ("same", "next")

    def _retrospective(self, s: Sentence) -> bool:
        if s.anchor is not None or find_relative(s.folded) is not None:
            return False
        return any(cue in s.folded for cue in RETROSPECTIVE_CUES)

    def _item_for(self, s: Sentence) -> Draft:
        """A new item starting with ``s``, dated as the text says."""
        anchor = s.anchor
        section_day = self._section.first_day if self._section else None
        if self._summary_level is not None and self._section is not None:
            return self._new_item(s, self._section, self._section_basis, "a summary of its day")
        if anchor is not None and anchor.kind in ("day", "part", "month"):
            resolved = self._resolve(s, anchor, self._previous or section_day)
            if resolved is not None:
                return self._new_item(
                    s, resolved, "stated", f"stated: '{s.text[anchor.start : anchor.end]}'", anchor
                )
        rel = find_relative(s.folded)
        if rel is not None and (
            (rel.kind in ("week", "weekend") and _states_a_count(s))
            or _modifies_noun(s.folded, rel.start)
        ):
            rel = None  # "на прошлой неделе" scopes a figure; "задержанного в воскресенье" a noun
        if anchor is not None and anchor.kind in ("next", "first"):
            resolved = resolve(anchor, self.year, self._previous)
            if resolved is not None:
                words = s.text[anchor.start : anchor.end]
                return self._new_item(
                    s, resolved, "relative", f"relative to {self._previous}: '{words}'", anchor
                )
        if rel is None and self._label is not None:
            label_rel = find_relative(self._label.folded)
            if label_rel is not None and label_rel.kind not in ("week", "weekend", "same", "next"):
                rel, s = label_rel, self._label_as_evidence(s)
        if rel is not None:
            found = resolve_relative(rel, section_day, self._previous)
            if found is not None:
                edtf, first_day = found
                base = self._previous if rel.kind in ("same", "next") else section_day
                words = s.text[rel.start : rel.end]
                return self._new_item(
                    s,
                    ResolvedDate(edtf, first_day, 0.8),
                    "relative",
                    f"relative to {base}: '{words}'",
                )
        if self._section is not None:
            label = "the report date" if self._section_basis == "report" else "the heading"
            return self._new_item(
                s,
                self._section,
                self._section_basis,
                f"inherited from {label} ({self._section.edtf})",
            )
        if self._previous is not None:
            day = self._previous
            return self._new_item(
                s,
                ResolvedDate(day.isoformat(), day, 0.6),
                "previous",
                f"inherited from the entry before ({day})",
            )
        draft = Draft([s], True)
        self.drafts.append(draft)
        return draft

    def _label_as_evidence(self, s: Sentence) -> Sentence:
        """``s`` stays the item's first sentence; the words quoted are the heading's."""
        assert self._label is not None
        self._pending_first = s
        return self._label

    def _new_item(
        self,
        s: Sentence,
        resolved: ResolvedDate,
        basis: str,
        derivation: str,
        anchor: DateMention | None = None,
    ) -> Draft:
        if self._pending_first is not None:  # dated by the heading of its part of the report
            s, self._pending_first = self._pending_first, None
            derivation += " (from the heading of this part)"
        draft = Draft(
            [s],
            False,
            anchor,
            resolved,
            s.text[anchor.lead_start : anchor.end].strip(" ,") if anchor else "",
        )
        draft.basis = basis
        draft.derivation = derivation
        draft.is_summary = self._summary_level is not None
        if anchor is not None and anchor.fuzzy:
            self.warnings.append(
                f"line {s.line_start}: '{s.text[anchor.start : anchor.end]}' has a misspelt "
                f"month — read as {resolved.edtf}"
            )
        if basis in ("stated", "relative") and resolved.first_day is not None:
            self._previous = resolved.first_day
        self.drafts.append(draft)
        return draft

    def _flush_background(self) -> None:
        if not self._background:
            return
        if not self.sections and not any(d for d in self.drafts if not d.is_background):
            # Before the first dated heading: the document's title and introduction. The
            # archived copy keeps them; they are not an incident.
            first, last = self._background[0].line_start, self._background[-1].line_end
            self.warnings.append(
                f"lines {first}–{last}: the title and introduction before the first dated "
                "heading are kept in the archived document, not proposed as an event"
            )
            self._background = []
            return
        segmenter = Segmenter(self._background, self.year, self.warnings, self.check_cancel)
        for draft in segmenter._background(0, len(self._background)):
            if not all(s.is_heading for s in draft.sentences):
                draft.basis = "stated" if not draft.is_background else ""
                self.drafts.append(draft)
        self._background = []
