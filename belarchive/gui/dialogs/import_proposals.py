"""The wizard's working copy of an import preview: accept/reject, edit, split and merge.

Edits stay ``ProposedEvent`` values (frozen; replaced, never mutated), so the committed events
keep the parser's provenance: line spans, and each figure's sentence as its citation. The
edited list is handed to ``commit_chronicle`` as a new preview, re-indexed 0..n-1.
No Qt here: the rules are plain Python and tested as such.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from belarchive.domain.edtf_dates import is_valid
from belarchive.errors import ValidationError
from belarchive.importing.chronicle import ProposedEvent, ProposedTag
from belarchive.importing.chronicle.figures import concat_figures, select_figures
from belarchive.importing.chronicle.matching import Match
from belarchive.importing.chronicle.sentences import split_sentences
from belarchive.services.importing import ChroniclePreview


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int  # offset in ProposedEvent.text
    end: int
    line_offset: int  # how many line breaks precede it in the event's text

    def of(self, text: str) -> str:
        return text[self.start : self.end].strip()


def sentences_of(text: str) -> list[Sentence]:
    """The event's text as sentences: its lines (joined with '\\n') split at sentence ends."""
    out: list[Sentence] = []
    pos = 0
    for n, line in enumerate(text.split("\n")):
        out.extend(Sentence(pos + a, pos + b, n) for a, b in split_sentences(line))
        pos += len(line) + 1
    return out


def _dedupe_tags(tags: list[ProposedTag]) -> list[ProposedTag]:
    by_key: dict[str, ProposedTag] = {}
    for tag in tags:
        by_key.setdefault(tag.key, tag)
    return list(by_key.values())


@dataclass(frozen=True, slots=True)
class SameIncident:
    """What a row may repeat: events in the catalogue, or an earlier row of the file, and
    the archivist's choice — "link:<event uuid or #origin>", "new" or "skip"."""

    candidates: tuple[Match, ...] = ()
    repeat_of: int | None = None  # the original index of the proposal it repeats
    choice: str = "new"

    @property
    def asked(self) -> bool:
        return bool(self.candidates) or self.repeat_of is not None


NEW, SKIP, LINK = "new", "skip", "link:"


class ProposalList:
    """Ordered proposals with an accepted flag each. Rows are positions in this list."""

    def __init__(
        self, events: list[ProposedEvent], matches: dict[int, list[Match]] | None = None
    ) -> None:
        self.items: list[ProposedEvent] = list(events)
        # Background passages (no date, thematic) are proposed but not accepted by default.
        self.accepted: list[bool] = [not e.is_background for e in events]
        # Which parsed proposal each row came from (split halves share it): repeats inside
        # the file point at proposals by this number.
        self.origin: list[int] = [e.index for e in events]
        matches = matches or {}
        self.same: list[SameIncident] = [
            _same_incident(e, matches.get(e.index, [])) for e in events
        ]

    def __len__(self) -> int:
        return len(self.items)

    def set_accepted(self, row: int, value: bool) -> None:
        self.accepted[row] = value

    def set_all(self, value: bool) -> None:
        self.accepted = [value] * len(self.items)

    def set_title(self, row: int, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise ValidationError("A title cannot be empty.")
        self.items[row] = replace(self.items[row], title=title)

    def set_date(self, row: int, edtf: str) -> None:
        edtf = edtf.strip()
        if edtf and not is_valid(edtf):
            raise ValidationError(f"'{edtf}' is not an EDTF date (2020-11-15, 2020-11~, …).")
        # A date the archivist typed is certain as far as the import is concerned.
        self.items[row] = replace(
            self.items[row],
            edtf=edtf or None,
            date_confidence=1.0,
            date_evidence=self.items[row].date_evidence or "(edited)",
        )

    def set_choice(self, row: int, choice: str) -> None:
        """ "new", "skip" or "link:<key>" where key is a candidate's (or "#<origin>")."""
        same = self.same[row]
        keys = {m.key for m in same.candidates} | (
            {f"#{same.repeat_of}"} if same.repeat_of is not None else set()
        )
        if choice not in (NEW, SKIP) and choice.removeprefix(LINK) not in keys:
            raise ValidationError("Choose one of the incidents proposed for this row.")
        self.same[row] = replace(same, choice=choice)

    def can_split(self, row: int) -> bool:
        return len(sentences_of(self.items[row].text)) > 1

    def split(self, row: int, at_sentence: int) -> None:
        """Split before sentence ``at_sentence`` (1..n-1): two proposals, facts shared out."""
        event = self.items[row]
        parts = sentences_of(event.text)
        if not 0 < at_sentence < len(parts):
            raise ValidationError("Choose a sentence after the first one to split at.")
        cut = parts[at_sentence]
        first_text = event.text[: cut.start].rstrip()
        second_text = event.text[cut.start :].lstrip()
        split_line = min(event.line_end, event.line_start + cut.line_offset)
        first = _part(event, first_text, event.line_start, split_line, keep_date=True)
        second = _part(event, second_text, split_line, event.line_end, keep_date=False)
        self.items[row : row + 1] = [first, second]
        self.accepted[row : row + 1] = [self.accepted[row]] * 2
        self.origin[row : row + 1] = [self.origin[row]] * 2
        self.same[row : row + 1] = [self.same[row], SameIncident()]

    def merge_with_next(self, row: int) -> None:
        """Fold proposal ``row + 1`` into ``row`` (the earlier one's date and title stay)."""
        if not 0 <= row < len(self.items) - 1:
            raise ValidationError("Select a proposal that has another one after it.")
        a, b = self.items[row], self.items[row + 1]
        merged = replace(
            a,
            text=f"{a.text}\n{b.text}",
            line_end=max(a.line_end, b.line_end),
            line_start=min(a.line_start, b.line_start),
            figures=concat_figures(a.figures, b.figures),
            places=[*a.places, *(p for p in b.places if p.key not in {q.key for q in a.places})],
            actors=[*a.actors, *(x for x in b.actors if x.name not in {y.name for y in a.actors})],
            tags=_dedupe_tags([*a.tags, *b.tags]),
            links=[*a.links, *b.links],
            is_background=a.is_background and b.is_background,
            confidence=min(a.confidence, b.confidence),
            edtf=a.edtf or b.edtf,
        )
        self.items[row : row + 2] = [merged]
        self.accepted[row : row + 2] = [self.accepted[row] or self.accepted[row + 1]]
        self.origin[row : row + 2] = [self.origin[row]]
        self.same[row : row + 2] = [self.same[row]]

    def accepted_count(self) -> int:
        return sum(self.accepted)

    def to_preview(
        self, preview: ChroniclePreview
    ) -> tuple[ChroniclePreview, list[int], dict[int, str]]:
        """A preview whose events are this list (re-indexed), the accepted indices, and the
        decision for each row that may repeat an incident (commit_chronicle's ``decisions``)."""
        row_of_origin: dict[int, int] = {}
        for row, origin in enumerate(self.origin):
            row_of_origin.setdefault(origin, row)
        events, decisions = [], {}
        for i, (e, same) in enumerate(zip(self.items, self.same, strict=True)):
            original = row_of_origin.get(same.repeat_of) if same.repeat_of is not None else None
            events.append(replace(e, index=i, duplicate_of=original))
            if not same.asked:
                continue
            key = same.choice.removeprefix(LINK)
            if key.startswith("#"):  # the row it repeats, by its new number
                target = row_of_origin.get(int(key[1:]))
                decisions[i] = "link" if target is not None and self.accepted[target] else NEW
            else:
                decisions[i] = key
        report = replace(preview.report, events=events)
        matches = {i: list(s.candidates) for i, s in enumerate(self.same) if s.candidates}
        return (
            replace(preview, report=report, matches=matches),
            [i for i, ok in enumerate(self.accepted) if ok],
            decisions,
        )


def _same_incident(e: ProposedEvent, candidates: list[Match]) -> SameIncident:
    """The choice offered first: the file's earlier item for a repeat, else the best
    candidate in the catalogue — shown in the table, changed with one click."""
    if e.duplicate_of is not None:
        return SameIncident(tuple(candidates), e.duplicate_of, f"{LINK}#{e.duplicate_of}")
    if candidates:
        return SameIncident(tuple(candidates), None, f"{LINK}{candidates[0].key}")
    return SameIncident()


def _part(
    event: ProposedEvent, text: str, line_start: int, line_end: int, *, keep_date: bool
) -> ProposedEvent:
    """One side of a split: the facts whose evidence lies in ``text``."""
    lines = range(line_start, line_end + 1)
    title = " ".join(text.split())
    return replace(
        event,
        text=text,
        line_start=line_start,
        line_end=line_end,
        # The first part starts with the same sentence, so the parser's title still fits it.
        title=event.title if keep_date else (title[:117] + "…" if len(title) > 120 else title),
        figures=select_figures(
            event.figures, [bool(f.sentence and f.sentence in text) for f in event.figures]
        ),
        places=[p for p in event.places if p.matched in text and p.line in lines],
        actors=[a for a in event.actors if any(m in text for m in a.matched)],
        tags=[t for t in event.tags if t.evidence in text or (keep_date and t.key == "background")],
        links=[link for link in event.links if link.line in lines],
        edtf=event.edtf,  # the second part happened on the same date unless edited
        date_evidence=event.date_evidence if keep_date else "",
    )
