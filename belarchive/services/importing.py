"""Importing a narrative chronicle: preview (read-only) then commit (one transaction).

Provenance: the document is archived as an attachment of a 'chronicle' source; every event
cites it with its line span; every figure cites the sentence it came from. The document's
SHA-256 is remembered, so importing the same bytes again creates nothing.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import select

from belarchive.domain.models import Annotation, ImportRecord, Place, Tag
from belarchive.domain.values import ActorRole, SourceKind
from belarchive.errors import Cancelled, ImportError_, ValidationError
from belarchive.importing.chronicle import (
    ChronicleReport,
    ProposedEvent,
    parse_chronicle,
    read_chronicle_file,
)
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.event_parts import set_figures
from belarchive.services.events import add_event
from belarchive.services.inputs import ActorInput, EventInput, FigureInput, SourceInput
from belarchive.services.sources import add_attachment, add_citation, new_source
from belarchive.services.uow import UnitOfWork

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]
QUOTE_LIMIT = 600


@dataclass(frozen=True, slots=True)
class ChroniclePreview:
    path: Path
    sha256: str
    size: int
    encoding: str
    report: ChronicleReport
    already_imported: bool
    previous_import: str  # "" or "2026-11-25 by anna (31 events)"

    @property
    def events(self) -> list[ProposedEvent]:
        return self.report.events


@dataclass(frozen=True, slots=True)
class ImportResult:
    change: Change
    event_uuids: list[str]
    source_uuid: str | None
    skipped_duplicate: bool = False
    warnings: tuple[str, ...] = ()


def _previous(cat: Catalogue, sha: str) -> ImportRecord | None:
    with cat.session() as s:
        return s.exec(select(ImportRecord).where(ImportRecord.sha256 == sha)).first()


def preview_chronicle(
    cat: Catalogue,
    path: Path,
    *,
    year: int | None = None,
    language: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> ChroniclePreview:
    """Read, decode and parse a chronicle; nothing is written."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"There is no file at {path}.")
    decoded = read_chronicle_file(path, encoding)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if year is not None and not 1900 <= year <= 2100:
        raise ValidationError(f"{year} is not a plausible year for a chronicle.")
    report = parse_chronicle(
        decoded.text, year=year, language=language, cancel=cancel, progress=progress
    )
    prev = _previous(cat, sha)
    described = (
        f"{prev.imported_at:%Y-%m-%d} by {prev.imported_by} ({prev.event_count} events)"
        if prev
        else ""
    )
    return ChroniclePreview(
        path, sha, path.stat().st_size, decoded.encoding, report, prev is not None, described
    )


def commit_chronicle(
    cat: Catalogue,
    user: str,
    preview: ChroniclePreview,
    *,
    accepted: Sequence[int] | None = None,
    overrides: Mapping[int, EventInput] | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> ImportResult:
    """Write the accepted proposals (all by default) in ONE transaction, or nothing."""
    if preview.already_imported or _previous(cat, preview.sha256):
        return ImportResult(
            Change(),
            [],
            None,
            skipped_duplicate=True,
            warnings=(
                f"This document was already imported {preview.previous_import}; nothing was added.",
            ),
        )
    chosen = [e for e in preview.events if accepted is None or e.index in set(accepted)]
    if not chosen:
        raise ImportError_("No events were selected for import; nothing was written.")
    overrides = overrides or {}
    dated = [e for e in chosen if (overrides[e.index].date if e.index in overrides else e.edtf)]
    if not dated:
        raise ImportError_(
            "No dates could be read from this text (is the year known? give it "
            "with --year); nothing was written."
        )
    warnings: list[str] = []
    with cat.write(user) as uow:
        source_uuid = _archive_document(uow, cat, preview)
        known = _known_keys(uow)
        uuids: list[str] = []
        for n, proposal in enumerate(chosen):
            if cancel and cancel():
                raise Cancelled("Import cancelled; nothing was written.")
            override = overrides.get(proposal.index)
            uuids.append(
                _write_event(uow, proposal, override, preview, source_uuid, known, warnings)
            )
            if progress:
                progress(n + 1, len(chosen))
        uow.session.add(
            ImportRecord(
                sha256=preview.sha256,
                kind="chronicle",
                original_name=preview.path.name,
                imported_at=uow.now,
                imported_by=uow.user_name,
                event_count=len(uuids),
                source_uuid=source_uuid,
            )
        )
        uow.record(
            "import.chronicle",
            "source",
            source_uuid,
            after={
                "file": preview.path.name,
                "sha256": preview.sha256,
                "events": len(uuids),
                "encoding": preview.encoding,
            },
        )
    assert uow.result is not None
    return ImportResult(uow.result, uuids, source_uuid, warnings=tuple(warnings))


def _archive_document(uow: UnitOfWork, cat: Catalogue, preview: ChroniclePreview) -> str:
    source = new_source(
        uow,
        SourceInput(
            title=preview.path.name,
            kind=SourceKind.CHRONICLE,
            language=preview.report.language,
            reliability="F",
        ),
    )
    add_attachment(uow, cat.files_dir, source.uuid, preview.path)
    return source.uuid


def _known_keys(uow: UnitOfWork) -> tuple[set[str], set[str]]:
    tags = set(uow.session.exec(select(Tag.key)).all())
    places = set(uow.session.exec(select(Place.key)).all())
    return tags, places


def _write_event(
    uow: UnitOfWork,
    p: ProposedEvent,
    override: EventInput | None,
    preview: ChroniclePreview,
    source_uuid: str,
    known: tuple[set[str], set[str]],
    warnings: list[str],
) -> str:
    tags_known, places_known = known
    data = override or _as_input(p, preview.report.language)
    missing = [k for k in data.places if k not in places_known]
    if missing:
        warnings.append(
            f"Proposal {p.index + 1}: places {', '.join(missing)} are not in this "
            "catalogue's gazetteer and were left out."
        )
    data = _keep_known(data, tags_known, places_known)
    event = add_event(uow, data)
    span = (
        f"line {p.line_start}"
        if p.line_start == p.line_end
        else f"lines {p.line_start}–{p.line_end}"
    )
    add_citation(
        uow, event.uuid, source_uuid, locator=span, quote=p.text[:QUOTE_LIMIT], credibility=6
    )
    if override is None and p.figures:
        figures = []
        for f in p.figures:
            cite = add_citation(
                uow,
                event.uuid,
                source_uuid,
                locator=f"line {f.line}",
                quote=f.sentence[:QUOTE_LIMIT],
                credibility=6,
            )
            figures.append(
                FigureInput(
                    f.kind,
                    f.value_min,
                    f.value_max,
                    f.qualifier,
                    citation=cite.uuid,
                    note=f"“{f.evidence}”",
                )
            )
        set_figures(uow.session, event, tuple(figures))
        uow.session.flush()
        uow.record(
            "event.figures",
            "event",
            event.uuid,
            after={
                "figures": [
                    {
                        "kind": str(f.kind),
                        "value_min": f.value_min,
                        "value_max": f.value_max,
                        "qualifier": str(f.qualifier),
                        "citation": f.citation,
                    }
                    for f in figures
                ]
            },
        )
    for actor in p.actors:
        if actor.needs_review:
            note = (
                f"Import: the spellings {' / '.join(actor.matched)} were grouped as "
                f"{actor.name}; please check."
            )
            uow.session.add(
                Annotation(
                    uuid=str(uuidlib.uuid4()),
                    event_id=event.id,
                    author=uow.user_name,
                    created_at=uow.now,
                    text=note,
                )
            )
            uow.record("annotation.add", "event", event.uuid, after={"text": note})
    return event.uuid


def _as_input(p: ProposedEvent, language: str) -> EventInput:
    tags = tuple(dict.fromkeys(t.key for t in p.tags))
    if p.is_background and "background" not in tags:
        tags = (*tags, "background")
    return EventInput(
        title=p.title,
        date=p.edtf,
        description=p.text,
        language=language,
        tags=tags,
        places=tuple(dict.fromkeys(pl.key for pl in p.places)),
        actors=tuple(ActorInput(a.name, ActorRole.MENTIONED) for a in p.actors),
    )


def _keep_known(data: EventInput, tags: set[str], places: set[str]) -> EventInput:
    return EventInput(
        title=data.title,
        date=data.date,
        description=data.description,
        language=data.language,
        tags=tuple(t for t in data.tags if t in tags),
        places=tuple(p for p in data.places if p in places),
        actors=data.actors,
        figures=data.figures,
        uuid=data.uuid,
    )
