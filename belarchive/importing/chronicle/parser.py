"""parse_chronicle: narrative chronicle text → proposed events (no database involved)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from belarchive.errors import Cancelled, ValidationError
from belarchive.i18n import _
from belarchive.importing.chronicle.actors import ActorHit, ActorLexicon, load_actor_lexicon
from belarchive.importing.chronicle.figures import dedupe, sentence_figures
from belarchive.importing.chronicle.gazetteer import Gazetteer, load_gazetteer
from belarchive.importing.chronicle.items import ItemSegmenter
from belarchive.importing.chronicle.matching import mark_repeats
from belarchive.importing.chronicle.model import (
    ChronicleReport,
    DatedSection,
    ProposedEvent,
    ProposedFigure,
    ProposedLink,
    ProposedPlace,
    ProposedTag,
)
from belarchive.importing.chronicle.segmentation import Draft, Segmenter
from belarchive.importing.chronicle.sentences import Sentence, clean_line, make_sentences
from belarchive.importing.chronicle.structure import is_structured
from belarchive.importing.chronicle.tags import merge_tags, sentence_tags
from belarchive.importing.chronicle.text import detect_language, stem, truncate

_PROGRESS_STEP = 200  # lines between progress reports
_YEAR_IN_TEXT = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]\d)")
_BACKGROUND_CONFIDENCE = 0.5

_default_gazetteer: Gazetteer | None = None
_default_actors: ActorLexicon | None = None


def _defaults() -> tuple[Gazetteer, ActorLexicon]:
    """The bundled vocabularies, loaded once per process (they do not change at run time)."""
    global _default_gazetteer, _default_actors
    if _default_gazetteer is None:
        _default_gazetteer = load_gazetteer()
    if _default_actors is None:
        _default_actors = load_actor_lexicon()
    return _default_gazetteer, _default_actors


def _infer_year(sentences: list[Sentence]) -> tuple[int | None, str]:
    """The first year written in a date ("27 Αυγούστου του 2020"), else the commonest year."""
    for s in sentences:
        for m in s.mentions:
            if m.year is not None:
                return m.year, f"text: '{s.text[m.start : m.end]}' (line {s.line_start})"
    counts: Counter[int] = Counter()
    first_seen: dict[int, Sentence] = {}
    for s in sentences:
        for match in _YEAR_IN_TEXT.finditer(s.text):
            value = int(match.group(1))
            counts[value] += 1
            first_seen.setdefault(value, s)
    if not counts:
        return None, "none"
    value, _count = counts.most_common(1)[0]
    return value, f"text: year {value} mentioned (first on line {first_seen[value].line_start})"


def parse_chronicle(
    text: str,
    *,
    year: int | None = None,
    language: str | None = None,
    gazetteer: Gazetteer | None = None,
    actors: ActorLexicon | None = None,
    cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ChronicleReport:
    """Split a chronicle into proposed events with dates, figures, places, actors and tags.

    Never raises on odd text: problems are reported in ``warnings``. Raises Cancelled when
    ``cancel()`` returns True and ValidationError for an impossible ``year``.
    ``progress(done, total)`` counts lines.
    """

    def check_cancel() -> None:
        if cancel is not None and cancel():
            raise Cancelled(_("The chronicle import was cancelled."))

    if year is not None and not 1000 <= year <= 2999:
        raise ValidationError(
            _("{year} is not a plausible year for a chronicle.").format(year=year)
        )
    if gazetteer is None or actors is None:
        default_gazetteer, default_actors = _defaults()
        gazetteer = gazetteer or default_gazetteer
        actors = actors or default_actors
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw_lines and raw_lines[-1] == "" and len(raw_lines) > 1:
        raw_lines.pop()  # a final newline does not make an extra line
    total = len(raw_lines)
    lines = []
    for number, raw in enumerate(raw_lines, start=1):
        if number % 500 == 0:
            check_cancel()
        lines.append(clean_line(number, raw))
    sentences = make_sentences(lines)
    warnings: list[str] = []
    year_used: int | None
    if year is not None:
        year_used, year_source = year, "caller"
    else:
        year_used, year_source = _infer_year(sentences)
        if year_used is None:
            warnings.append("The chronicle never states a year; give the year to date its entries.")
    sections: list[DatedSection] = []
    if is_structured(lines):
        drafts, sections = ItemSegmenter(lines, year_used, warnings, check_cancel).run()
    else:
        drafts = Segmenter(sentences, year_used, warnings, check_cancel).drafts()
    for line in lines:
        warnings.extend(line.problems)
    events: list[ProposedEvent] = []
    next_report = _PROGRESS_STEP
    for draft in drafts:
        check_cancel()
        events.append(_build_event(len(events), draft, gazetteer, actors, warnings, year_used))
        if progress is not None and events[-1].line_end >= next_report:
            progress(min(events[-1].line_end, total), total)
            next_report = events[-1].line_end + _PROGRESS_STEP
    if progress is not None:
        progress(total, total)
    events, repeats = mark_repeats(events)
    if repeats and repeats * 3 >= len(events):
        first = next(e for e in events if e.duplicate_of is not None)
        warnings.append(
            f"This file repeats itself: {repeats} of {len(events)} items say again what an "
            f"earlier item said (the first from line {first.line_start}). Was the chronicle "
            "pasted twice? The repeats are proposed as the same incidents as the originals."
        )
    if not any(e.edtf for e in events):
        warnings.append("No dated entries were found: nothing in the text reads as a date "
                        "such as '3 November' at the start of a sentence.")  # fmt: skip
    return ChronicleReport(
        language=language or detect_language(text),
        warnings=sorted(warnings, key=_warning_line),
        year_used=year_used,
        year_source=year_source,
        events=events,
        line_count=total,
        sections=sections,
    )


def _warning_line(warning: str) -> int:
    """Sort key: warnings about a line in line order, general ones first."""
    match = re.match(r"line (\d+):", warning)
    return int(match.group(1)) if match else 0


def _title(draft: Draft) -> str:
    for pos, s in enumerate(draft.sentences):
        body = s.text
        if pos == 0 and draft.anchor is not None and draft.anchor.initial:
            body = body[draft.anchor.end :]
        body = body.strip(" ,.:;–—-\t")
        if len(body) >= 3:
            body = re.sub(r"\s+([,.;:!?»)])", r"\1", body)
            body = re.sub(r"([«(])\s+", r"\1", body)
            return truncate(body[0].upper() + body[1:], 120).rstrip(" .")
    return truncate(draft.sentences[0].text, 120)


def _join(sentences: list[Sentence]) -> str:
    parts: list[str] = []
    for k, s in enumerate(sentences):
        if k and sentences[k - 1].line_end != s.line_start:
            parts.append("\n")
        elif k:
            parts.append(" ")
        parts.append(s.text)
    return "".join(parts)


def _build_event(index: int, draft: Draft, gazetteer: Gazetteer, actors: ActorLexicon,
                 warnings: list[str], year: int | None) -> ProposedEvent:  # fmt: skip
    figures: list[ProposedFigure] = []
    places: list[ProposedPlace] = []
    actor_hits: list[ActorHit] = []
    tags: list[ProposedTag] = []
    links: list[ProposedLink] = []
    day = draft.resolved.first_day if draft.resolved else None
    for s in draft.sentences:
        tokens = s.tokens
        stems = [stem(t.folded) for t in tokens]  # shared by the place and actor matchers
        date_spans = [(m.start, m.end) for m in s.mentions]
        found = sentence_figures(s.text, s.line_start, date_spans, tokens, s.folded,
                                 mentions=s.mentions, day=day, year=year,
                                 summary=draft.is_summary,
                                 whole=figures[-1] if figures else None)  # fmt: skip
        offset = len(figures)
        figures.extend(
            replace(f, part_of=f.part_of + offset) if f.part_of is not None else f for f in found
        )
        places.extend(gazetteer.find(s.text, s.line_start, tokens, stems))
        actor_hits.extend(actors.find(s.text, s.line_start, tokens, stems))
        tags.extend(sentence_tags(s.text, s.folded))
        links.extend(link for link in s.links if link not in links)
    grouped = actors.group(actor_hits)
    for actor in grouped:
        if actor.needs_review:
            fuzzy = [h for h in actor_hits if h.key == actor.key and h.fuzzy]
            warnings.append(
                f"line {fuzzy[0].line}: '{fuzzy[0].matched}' looks like a spelling of "
                f"{actor.name} — grouped with it, please review"
            )
    for actor in grouped:
        if actor.key and actors.is_international(actor.key):
            tags.append(ProposedTag("international_reaction", actor.matched[0]))
    if draft.is_background:
        tags.append(ProposedTag("background", "thematic passage with no date"))
    first_places: dict[str, ProposedPlace] = {}
    for place in places:
        first_places.setdefault(place.key, place)  # keep the first mention of each place
    for place in first_places.values():
        if place.others:
            warnings.append(
                f"line {place.line}: '{place.matched}' names several places; read as "
                f"{place.key} (also: {', '.join(place.others[:3])}) — please check"
            )
    resolved = draft.resolved
    date_confidence = resolved.confidence if resolved else 0.0
    return ProposedEvent(
        index=index,
        edtf=resolved.edtf if resolved else None,
        date_evidence=draft.date_evidence,
        date_confidence=date_confidence,
        is_background=draft.is_background,
        title=_title(draft),
        text=_join(draft.sentences),
        line_start=draft.sentences[0].line_start,
        line_end=max(s.line_end for s in draft.sentences),
        figures=dedupe(figures),
        places=list(first_places.values()),
        actors=grouped,
        tags=merge_tags(tags),
        links=links,
        date_basis=draft.basis if resolved else "",
        date_derivation=draft.derivation if resolved else "",
        is_summary=draft.is_summary,
        confidence=round(date_confidence * 0.9, 2) if resolved else _BACKGROUND_CONFIDENCE,
    )
