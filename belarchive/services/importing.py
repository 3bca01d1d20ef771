"""Importing a narrative chronicle: preview (read-only) then commit (one transaction).

Provenance: the document is archived as an attachment of a 'chronicle' source; every event
cites it with its line span, every linked source with the item's text, and every figure its
sentence (see import_writes.py). The document's SHA-256 and the fingerprint of its
normalised text are remembered, so importing the same chronicle again — even re-saved or
re-encoded — creates nothing. Items that report an incident already in the catalogue are
shown with their candidates; the archivist links them (one incident, several sources),
keeps them as new, or skips them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import cast

from sqlalchemy import select as sa_select
from sqlmodel import col, or_, select

from belarchive.domain.models import Event, EventPlace, EventTag, Figure, ImportRecord, Place, Tag
from belarchive.domain.values import ON_DUPLICATE, SourceKind
from belarchive.errors import Cancelled, ImportError_, ValidationError
from belarchive.i18n import _
from belarchive.importing.chronicle import (
    ChronicleReport,
    ProposedEvent,
    parse_chronicle,
    read_chronicle_file,
)
from belarchive.importing.chronicle.matching import (
    Incident,
    Match,
    candidates,
    incident_of,
    words_of,
)
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.import_writes import (
    QUOTE_LIMIT,
    Planned,
    as_input,
    link_sources,
    link_to_existing,
    write_new,
)
from belarchive.services.inputs import EventInput, SourceInput
from belarchive.services.sources import add_attachment, new_source
from belarchive.services.uow import UnitOfWork

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


def fingerprint(text: str) -> str:
    """SHA-256 of the normalised text: NFC, line ends and runs of white space folded."""
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChroniclePreview:
    path: Path
    sha256: str
    size: int
    encoding: str
    report: ChronicleReport
    already_imported: bool
    previous_import: str  # "" or "'file.md' on 2026-11-25 by anna (31 events)"
    fingerprint: str = ""
    # Proposal index → existing events that may be the same incident, best first.
    matches: dict[int, list[Match]] = field(default_factory=dict)

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
    linked: list[str] = field(default_factory=list)  # existing events that gained sources
    skipped: int = 0  # proposals skipped as already in the catalogue


def _previous(cat: Catalogue, sha: str, print_: str) -> ImportRecord | None:
    with cat.session() as s:
        return s.exec(
            select(ImportRecord).where(
                or_(ImportRecord.sha256 == sha, ImportRecord.fingerprint == print_)
            )
        ).first()


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
        raise ImportError_(_("There is no file at {path}.").format(path=path))
    decoded = read_chronicle_file(path, encoding)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    if year is not None and not 1900 <= year <= 2100:
        raise ValidationError(
            _("{year} is not a plausible year for a chronicle.").format(year=year)
        )
    report = parse_chronicle(
        decoded.text, year=year, language=language, cancel=cancel, progress=progress
    )
    print_ = fingerprint(decoded.text)
    prev = _previous(cat, sha, print_)
    described = (
        f"'{prev.original_name}' on {prev.imported_at:%Y-%m-%d} by {prev.imported_by} "
        f"({prev.event_count} events)"
        if prev
        else ""
    )
    return ChroniclePreview(
        path,
        sha,
        path.stat().st_size,
        decoded.encoding,
        report,
        prev is not None,
        described,
        print_,
        {} if prev else find_matches(cat, report.events),
    )


def find_matches(cat: Catalogue, proposals: Sequence[ProposedEvent]) -> dict[int, list[Match]]:
    """Existing events that may be the incident each dated proposal reports."""
    items = [incident_of(p) for p in proposals if not p.is_background]
    days = [i.day for i in items if i.day is not None]
    if not days:
        return {}
    pool = _catalogue_incidents(cat, min(days) - timedelta(days=1), max(days) + timedelta(days=1))
    by_day: dict[date, list[Incident]] = {}
    for inc in pool:
        if inc.day is not None:
            by_day.setdefault(inc.day, []).append(inc)
    out: dict[int, list[Match]] = {}
    for item in items:
        if item.day is None:
            continue
        near = [x for d in (-1, 0, 1) for x in by_day.get(item.day + timedelta(days=d), [])]
        if found := candidates(item, near):
            out[int(item.key[1:])] = found
    return out


def _catalogue_incidents(cat: Catalogue, first: date, last: date) -> list[Incident]:
    with cat.session() as s:
        # Five columns: more than SQLModel's typed select() takes, so SQLAlchemy's own.
        rows = s.execute(
            sa_select(
                col(Event.id),
                col(Event.uuid),
                col(Event.title),
                col(Event.description),
                col(Event.date_earliest),
            )
            .where(col(Event.deleted).is_(False))
            .where(col(Event.date_earliest) >= first, col(Event.date_earliest) <= last)
        ).all()
        ids = [r[0] for r in rows]
        places: dict[int, set[str]] = {}
        for eid, key in s.exec(
            select(EventPlace.event_id, Place.key)
            .join(Place)
            .where(col(EventPlace.event_id).in_(ids))
        ):
            places.setdefault(eid, set()).add(key)
        tags: dict[int, set[str]] = {}
        for eid, key in s.exec(
            select(EventTag.event_id, Tag.key).join(Tag).where(col(EventTag.event_id).in_(ids))
        ):
            tags.setdefault(eid, set()).add(key)
        figures: dict[int, set[tuple[str, int]]] = {}
        for eid, kind, value in s.exec(
            select(Figure.event_id, Figure.kind, Figure.value_min)
            .where(col(Figure.event_id).in_(ids))
            .where(Figure.scope == "incident")
        ):
            figures.setdefault(eid, set()).add((kind, value))
    return [
        Incident(
            uuid,
            title,
            day,
            frozenset(places.get(eid, ())),
            frozenset(tags.get(eid, ())),
            words_of(f"{title} {text}"),
            frozenset(figures.get(eid, ())),
            text[:QUOTE_LIMIT],
        )
        for eid, uuid, title, text, day in cast(list[tuple[int, str, str, str, date | None]], rows)
    ]


def commit_chronicle(
    cat: Catalogue,
    user: str,
    preview: ChroniclePreview,
    *,
    accepted: Sequence[int] | None = None,
    overrides: Mapping[int, EventInput] | None = None,
    on_duplicate: str | None = None,
    decisions: Mapping[int, str | None] | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> ImportResult:
    """Write the accepted proposals (all by default) in ONE transaction, or nothing.

    A proposal that matches an existing incident (``preview.matches``) or repeats an earlier
    item of the file is linked to it, kept as new or skipped: per proposal by ``decisions``
    (index → UUID of the event to link to, "new" or "skip"), else by ``on_duplicate``
    ("link" takes the best candidate). With matches and neither, nothing is written.
    """
    if preview.already_imported or _previous(cat, preview.sha256, preview.fingerprint):
        return ImportResult(
            Change(),
            [],
            None,
            skipped_duplicate=True,
            warnings=(
                f"This chronicle was already imported ({preview.previous_import}); nothing was "
                "added.",
            ),
        )
    if on_duplicate is not None and on_duplicate not in ON_DUPLICATE:
        raise ValidationError(
            _("'{on_duplicate}' is not a choice: use new, link or skip.").format(
                on_duplicate=on_duplicate
            )
        )
    chosen = [e for e in preview.events if accepted is None or e.index in set(accepted)]
    if not chosen:
        raise ImportError_(_("No events were selected for import; nothing was written."))
    overrides, decisions = overrides or {}, decisions or {}
    if not any((overrides[e.index].date if e.index in overrides else e.edtf) for e in chosen):
        raise ImportError_(
            _(
                "No dates could be read from this text (is the year known? give it with --year); "
                "nothing was written."
            )
        )
    plans = _plan(preview, chosen, overrides, on_duplicate, decisions)
    with cat.write(user) as uow:
        chronicle = _archive_document(uow, cat, preview)
        language = preview.report.language
        sources = link_sources(uow, [link for p in plans for link in p.proposal.links], language)
        tags_known, places_known = _known_keys(uow)
        new = [p for p in plans if p.target is None]
        inputs = [
            p.override or as_input(p.proposal, language, tags_known, places_known) for p in new
        ]
        if cancel and cancel():
            raise Cancelled(_("Import cancelled; nothing was written."))
        uuids = write_new(uow, new, inputs, chronicle, sources)
        created = {p.proposal.index: u for p, u in zip(new, uuids, strict=True)}
        linked = []
        for n, plan in enumerate(p for p in plans if p.target is not None):
            if cancel and cancel():
                raise Cancelled(_("Import cancelled; nothing was written."))
            assert plan.target is not None  # the plans were filtered on it above
            target = (
                created.get(int(plan.target[1:])) if plan.target.startswith("#") else plan.target
            )
            linked.append(
                link_to_existing(uow, Planned(plan.proposal, None, target), chronicle, sources)
            )
            if progress:
                progress(n + 1, len(plans))
        _record_import(uow, preview, chronicle, len(uuids), len(linked))
    if progress:
        progress(len(plans), len(plans))
    assert uow.result is not None
    return ImportResult(
        uow.result, uuids, chronicle, linked=linked, skipped=len(chosen) - len(plans)
    )


def _plan(
    preview: ChroniclePreview,
    chosen: list[ProposedEvent],
    overrides: Mapping[int, EventInput],
    policy: str | None,
    decisions: Mapping[int, str | None],
) -> list[Planned]:
    plans: list[Planned] = []
    undecided = 0
    for p in chosen:
        decision = decisions.get(p.index)
        best: str | None = None
        if p.duplicate_of is not None:
            best = f"#{p.duplicate_of}"  # a repeat inside the file: the earlier item's event
        elif preview.matches.get(p.index):
            best = preview.matches[p.index][0].key
        if decision is None and best is not None:
            decision = policy
            if decision is None:
                undecided += 1
                continue
        if decision == "link":
            decision = best or "new"  # nothing to link to: a new event
        if decision == "skip":
            continue
        target = None if decision in (None, "new") else decision
        plans.append(Planned(p, overrides.get(p.index), target))
    if undecided:
        raise ImportError_(
            _(
                "{undecided} of the proposals may report incidents already in the catalogue or "
                "earlier in this file; choose what to do with them (--on-duplicate new, link or "
                "skip, or per proposal in the import wizard). Nothing was written."
            ).format(undecided=undecided)
        )
    indices = {p.proposal.index for p in plans}
    return [
        p
        if p.target is None or not p.target.startswith("#") or int(p.target[1:]) in indices
        else Planned(p.proposal, p.override, None)  # the original was not imported: keep it
        for p in plans
    ]


def _record_import(
    uow: UnitOfWork, preview: ChroniclePreview, chronicle: str, created: int, linked: int
) -> None:
    uow.session.add(
        ImportRecord(
            sha256=preview.sha256,
            kind="chronicle",
            original_name=preview.path.name,
            imported_at=uow.now,
            imported_by=uow.user_name,
            event_count=created,
            source_uuid=chronicle,
            fingerprint=preview.fingerprint,
        )
    )
    uow.record(
        "import.chronicle",
        "source",
        chronicle,
        after={
            "file": preview.path.name,
            "sha256": preview.sha256,
            "fingerprint": preview.fingerprint,
            "events": created,
            "linked": linked,
            "encoding": preview.encoding,
        },
    )


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
    add_attachment(uow, cat.files, source.uuid, preview.path)
    return source.uuid


def _known_keys(uow: UnitOfWork) -> tuple[set[str], set[str]]:
    tags = set(uow.session.exec(select(Tag.key)).all())
    places = set(uow.session.exec(select(Place.key)).all())
    return tags, places
