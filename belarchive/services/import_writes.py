"""Writing a chronicle's accepted items in one transaction, through the bulk SQL path.

Provenance per item: a citation of the archived chronicle with the item's line span, a
citation of every source the item links to (one source per web address, however many items
cite it), and a citation per figure sentence — of the item's own source when it names one
(the ministry's figure cites the ministry), else of the chronicle. Items that report an
incident already in the catalogue add their citations and figures to it instead.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from belarchive.domain.models import Annotation, Figure
from belarchive.domain.values import ActorRole, SourceKind
from belarchive.importing.chronicle import ProposedEvent, ProposedLink
from belarchive.services.bulk import FIGURE_INSERT, figure_rows_of, insert_events
from belarchive.services.bulk_citations import (
    CitationInput,
    ids_of,
    insert_citations,
    insert_sources,
)
from belarchive.services.event_parts import checked_figure, get_event, snapshot
from belarchive.services.events import bump_version
from belarchive.services.inputs import ActorInput, EventInput, FigureInput, SourceInput
from belarchive.services.sources import add_citation
from belarchive.services.uow import UnitOfWork

QUOTE_LIMIT = 600


@dataclass(frozen=True, slots=True)
class Planned:
    proposal: ProposedEvent
    override: EventInput | None
    target: str | None  # UUID of the existing event it is linked to; None: a new event


def span_of(p: ProposedEvent) -> str:
    return (
        f"line {p.line_start}"
        if p.line_start == p.line_end
        else f"lines {p.line_start}–{p.line_end}"
    )


def link_sources(uow: UnitOfWork, links: Sequence[ProposedLink], language: str) -> dict[str, str]:
    """Source UUID per link key (its URL, or "name:<publisher>" when it has none).

    A web address already in the catalogue is that source; new ones are created once.
    """
    wanted: dict[str, ProposedLink] = {}
    for link in links:
        wanted.setdefault(link_key(link), link)
    if not wanted:
        return {}
    conn = uow.session.connection()
    urls = [link.url for link in wanted.values() if link.url]
    known = {
        url: uuid
        for url, uuid in conn.exec_driver_sql(
            "SELECT url, uuid FROM source WHERE url IN (SELECT value FROM json_each(?))",
            (json.dumps(urls),),
        )
    }
    # A source named without an address ("Источник: Весна") is the catalogue's news source
    # of that name and no address, if there is one: cited again, not created again.
    names = [link.publisher for link in wanted.values() if not link.url]
    known.update(
        (f"name:{publisher}", uuid)
        for publisher, uuid in conn.exec_driver_sql(
            "SELECT publisher, min(uuid) FROM source WHERE url = '' AND kind = 'news' "
            "AND publisher IN (SELECT value FROM json_each(?)) GROUP BY publisher",
            (json.dumps(names),),
        )
    )
    out: dict[str, str] = {}
    new: list[SourceInput] = []
    for key, link in wanted.items():
        if key in known:
            out[key] = str(known[key])
            continue
        uuid = str(uuidlib.uuid4())
        out[key] = uuid
        new.append(
            SourceInput(
                title=link.label or link.publisher or link.url,
                kind=SourceKind.NEWS,
                publisher=link.publisher,
                url=link.url,
                language=language,
                uuid=uuid,
            )
        )
    if new:
        insert_sources(uow, new)
    return out


def link_key(link: ProposedLink) -> str:
    return link.url or f"name:{link.publisher}"


def _figure_source(p: ProposedEvent, chronicle: str, sources: dict[str, str]) -> str:
    return sources[link_key(p.links[0])] if p.links else chronicle


def _citations_and_figures(
    p: ProposedEvent, event_uuid: str, chronicle: str, sources: dict[str, str]
) -> tuple[list[CitationInput], list[FigureInput]]:
    """The item's citations (the chronicle with its lines, each linked source) and its
    figures, each citing its sentence. A figure whose sentence is the whole item cites the
    item's own citation of that source instead of a second one quoting the same words."""
    quote = p.text[:QUOTE_LIMIT]
    cits = [CitationInput(event_uuid, chronicle, span_of(p), quote, 6, str(uuidlib.uuid4()))]
    cits += [
        CitationInput(event_uuid, sources[link_key(link)], "", quote, 6, str(uuidlib.uuid4()))
        for link in dict.fromkeys(p.links)
    ]
    figure_source = _figure_source(p, chronicle, sources)
    whole_item = str(next(c.uuid for c in cits if c.source_uuid == figure_source))
    by_sentence: dict[tuple[int, str], str] = {}
    figures: list[FigureInput] = []
    for f in p.figures:
        key = (f.line, f.sentence)
        if key not in by_sentence:
            if " ".join(f.sentence.split()) == " ".join(p.text.split()):
                by_sentence[key] = whole_item
            else:
                by_sentence[key] = str(uuidlib.uuid4())
                locator = f"line {f.line}" if figure_source == chronicle else ""
                quoted = f.sentence[:QUOTE_LIMIT]
                cits.append(
                    CitationInput(event_uuid, figure_source, locator, quoted, 6, by_sentence[key])
                )
        figures.append(
            FigureInput(
                f.kind,
                f.value_min,
                f.value_max,
                f.qualifier,
                by_sentence[key],
                f"“{f.evidence}”",
                f.scope,
                f.period,
                f.part_of,
            )
        )
    return cits, figures


def write_new(
    uow: UnitOfWork,
    planned: Sequence[Planned],
    inputs: Sequence[EventInput],
    chronicle: str,
    sources: dict[str, str],
) -> list[str]:
    """The new events, their citations and figures, all through the bulk path."""
    if not inputs:
        return []
    uuids = insert_events(uow, inputs)
    citations: list[CitationInput] = []
    figures: dict[str, list[FigureInput]] = {}
    for plan, uuid in zip(planned, uuids, strict=True):
        if plan.override is not None:  # an edited proposal: the archivist's figures stand
            citations.append(
                CitationInput(
                    uuid, chronicle, span_of(plan.proposal), plan.proposal.text[:QUOTE_LIMIT], 6
                )
            )
            continue
        cits, figs = _citations_and_figures(plan.proposal, uuid, chronicle, sources)
        citations += cits
        if figs:
            figures[uuid] = figs
    insert_citations(uow, citations)
    _insert_figures(uow, figures)
    _review_notes(uow, planned, uuids)
    return uuids


def _insert_figures(uow: UnitOfWork, figures: dict[str, list[FigureInput]]) -> None:
    if not figures:
        return
    events = ids_of(uow.session.connection(), "event", figures)
    cited = [f.citation for figs in figures.values() for f in figs if f.citation]
    citation_ids = ids_of(uow.session.connection(), "citation", cited)
    rows: list[tuple[Any, ...]] = []
    for uuid, figs in figures.items():
        figure_rows, audit = figure_rows_of(events[uuid], figs, citation_ids)
        rows += figure_rows
        uow.record("event.figures", "event", uuid, after={"figures": audit})
    uow.session.connection().exec_driver_sql(FIGURE_INSERT, rows)


def _review_notes(uow: UnitOfWork, planned: Sequence[Planned], uuids: Sequence[str]) -> None:
    """Spellings grouped by fuzzy matching get a note asking a reviewer to check them."""
    ids = None
    for plan, uuid in zip(planned, uuids, strict=True):
        for actor in plan.proposal.actors:
            if not actor.needs_review:
                continue
            ids = ids or ids_of(uow.session.connection(), "event", uuids)
            note = (
                f"Import: the spellings {' / '.join(actor.matched)} were grouped as "
                f"{actor.name}; please check."
            )
            uow.session.add(
                Annotation(
                    uuid=str(uuidlib.uuid4()),
                    event_id=ids[uuid],
                    author=uow.user_name,
                    created_at=uow.now,
                    text=note,
                )
            )
            uow.record("annotation.add", "event", uuid, after={"text": note})


def link_to_existing(
    uow: UnitOfWork, plan: Planned, chronicle: str, sources: dict[str, str]
) -> str:
    """Add an item's citations and figures to the incident it reports (each figure keeps its
    own source). A substantive addition to a verified event sends it back to review."""
    assert plan.target is not None
    event = get_event(uow.session, plan.target)
    before = snapshot(uow.session, event)
    cits, figs = _citations_and_figures(plan.proposal, event.uuid, chronicle, sources)
    made: dict[str, str] = {}
    for c in cits:
        row = add_citation(uow, event.uuid, c.source_uuid, locator=c.locator, quote=c.quote)
        if c.uuid:
            made[c.uuid] = row.uuid
    existing = uow.session.exec(select(Figure).where(Figure.event_id == event.id)).all()
    added = [
        checked_figure(
            uow.session,
            event,
            FigureInput(
                f.kind,
                f.value_min,
                f.value_max,
                f.qualifier,
                made.get(f.citation or ""),
                f.note,
                f.scope,
                f.period,
            ),
        )
        for f in figs
    ]
    for figure_row, f in zip(added, figs, strict=True):
        if f.part_of is not None:
            figure_row.part_of = added[f.part_of].uuid
        uow.session.add(figure_row)
    uow.session.flush()
    if added:
        bump_version(uow, event, substantive=True)
    uow.record(
        "event.link_import",
        "event",
        event.uuid,
        before=before,
        after={
            **snapshot(uow.session, event),
            "figures_before": len(existing),
            "linked_lines": span_of(plan.proposal),
        },
    )
    uow.change.events.add(event.uuid)
    return event.uuid


def as_input(
    p: ProposedEvent, language: str, tags_known: set[str], places_known: set[str]
) -> EventInput:
    tags = tuple(dict.fromkeys(t.key for t in p.tags))
    if p.is_background and "background" not in tags:
        tags = (*tags, "background")
    if p.is_summary and "report" not in tags:
        tags = (*tags, "report")  # a day summary is a report of the day, not an incident
    return EventInput(
        title=p.title,
        date=p.edtf,
        description=p.text,
        language=language,
        tags=tuple(t for t in tags if t in tags_known),
        places=tuple(k for k in dict.fromkeys(pl.key for pl in p.places) if k in places_known),
        actors=tuple(ActorInput(a.name, ActorRole.MENTIONED) for a in p.actors),
    )
