"""The parser's results: frozen, typed values with no database or Qt dependency."""

from __future__ import annotations

from dataclasses import dataclass, field

from belarchive.domain.values import FigureKind, FigureScope, Qualifier


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    confidence: float  # 0..1: 1.0 for valid UTF-8 / a BOM / an encoding the caller named


@dataclass(frozen=True, slots=True)
class ProposedFigure:
    kind: FigureKind
    value_min: int
    value_max: int | None  # None unless the text gives a range ("200–300")
    qualifier: Qualifier
    sentence: str  # the sentence the figure came from (as in ProposedEvent.text)
    evidence: str  # the matched span; always a substring of ``sentence``
    line: int
    confidence: float
    # What the figure counts over: the incident itself, or a reported running total over a
    # period (``period`` is then an EDTF interval such as "2020-08-09/2020-11-03" or
    # "../2020-11-03" when the start is not stated). Running totals are never summed.
    scope: FigureScope = FigureScope.INCIDENT
    period: str | None = None
    scope_evidence: str = ""  # the words that set the scope ("с начала протестов")
    part_of: int | None = None  # index (in the event's figures) of the figure it is part of


@dataclass(frozen=True, slots=True)
class ProposedLink:
    """A source named inside or after an item: a Markdown link, a bare URL, "Источник: X"."""

    url: str  # "" when the text names a source without an address
    publisher: str  # from the link text or the web address
    label: str  # the link text as written ("" for a bare URL)
    line: int


@dataclass(frozen=True, slots=True)
class ProposedPlace:
    key: str  # gazetteer key
    matched: str  # the spelling found in the text
    line: int
    others: tuple[str, ...] = ()  # other places with this name (the key is the likeliest)


@dataclass(frozen=True, slots=True)
class ProposedActor:
    name: str  # canonical display name (English)
    matched: list[str]  # every spelling found in the event, in order of appearance
    needs_review: bool  # a spelling was grouped by fuzzy matching (possible typo)
    key: str | None


@dataclass(frozen=True, slots=True)
class ProposedTag:
    key: str  # tag vocabulary key (resources/vocabularies/tags.json)
    evidence: str  # the word or phrase that suggested it


@dataclass(frozen=True, slots=True)
class ProposedEvent:
    index: int
    edtf: str | None  # None for undated background passages (and when no year is known)
    date_evidence: str  # the anchor text as found ("" when undated)
    date_confidence: float
    is_background: bool
    title: str
    text: str
    line_start: int  # 1-based, inclusive: the citation locator "lines 8–10"
    line_end: int
    figures: list[ProposedFigure] = field(default_factory=list)
    places: list[ProposedPlace] = field(default_factory=list)
    actors: list[ProposedActor] = field(default_factory=list)
    tags: list[ProposedTag] = field(default_factory=list)
    links: list[ProposedLink] = field(default_factory=list)
    confidence: float = 0.5
    # How the date was found: "stated", "relative", "heading", "report", "previous" or ""
    # (undated), with words a person can check ("relative to 2020-11-09: 'в воскресенье'").
    date_basis: str = ""
    date_derivation: str = ""
    is_summary: bool = False  # a day summary ("Итоги"): its figures are never counted again
    duplicate_of: int | None = None  # index of an earlier proposal reporting the same incident

    @property
    def urls(self) -> list[str]:
        return [link.url for link in self.links if link.url]


@dataclass(frozen=True, slots=True)
class DatedSection:
    """A day heading or report date line and the date it was read as (None: not dated)."""

    line: int
    text: str
    edtf: str | None


@dataclass(frozen=True, slots=True)
class ChronicleReport:
    language: str
    year_used: int | None
    year_source: str  # "caller", "text: '…του 2020' (line 84)", "none"
    events: list[ProposedEvent]
    warnings: list[str]
    line_count: int
    sections: list[DatedSection] = field(default_factory=list)

    @property
    def dated_events(self) -> list[ProposedEvent]:
        return [e for e in self.events if e.edtf is not None]
