"""Sources, citations and archived copies (attachments)."""

from __future__ import annotations

import mimetypes
import uuid as uuidlib
from dataclasses import asdict
from pathlib import Path

from sqlmodel import select

from belarchive.domain.edtf_dates import parse_date
from belarchive.domain.models import Attachment, Citation, Source, row_id
from belarchive.domain.values import Reliability, SourceKind
from belarchive.i18n import _
from belarchive.services import validation
from belarchive.services.catalogue import Catalogue
from belarchive.services.event_parts import get_event, source_by_uuid
from belarchive.services.inputs import Outcome, SourceInput
from belarchive.services.uow import UnitOfWork
from belarchive.storage import filestore


def add_source(cat: Catalogue, user: str, data: SourceInput) -> Outcome:
    with cat.write(user) as uow:
        source = new_source(uow, data)
    assert uow.result is not None
    return Outcome(source.uuid, uow.result)


def new_source(uow: UnitOfWork, data: SourceInput) -> Source:
    published = parse_date(data.published).edtf if data.published else None
    source = Source(
        uuid=data.uuid or str(uuidlib.uuid4()),
        kind=validation.enum_value(SourceKind, data.kind, _("source kind")).value,
        title=validation.title(data.title),
        author=data.author.strip(),
        publisher=data.publisher.strip(),
        url=validation.url(data.url),
        published=published,
        accessed=validation.iso_day(data.accessed, _("access date")),
        language=validation.language(data.language),
        reliability=validation.enum_value(
            Reliability, data.reliability.upper(), _("reliability grade (A–F)")
        ).value,
        created_by=uow.user_name,
        created_at=uow.now,
    )
    uow.session.add(source)
    uow.session.flush()
    uow.record("source.add", "source", source.uuid, after={**asdict(data), "uuid": source.uuid})
    uow.change.sources.add(source.uuid)
    return source


def cite(
    cat: Catalogue,
    user: str,
    event_uuid: str,
    source_uuid: str,
    *,
    locator: str = "",
    quote: str = "",
    credibility: int = 6,
) -> Outcome:
    with cat.write(user) as uow:
        citation = add_citation(
            uow, event_uuid, source_uuid, locator=locator, quote=quote, credibility=credibility
        )
    assert uow.result is not None
    return Outcome(citation.uuid, uow.result)


def add_citation(
    uow: UnitOfWork,
    event_uuid: str,
    source_uuid: str,
    *,
    locator: str = "",
    quote: str = "",
    credibility: int = 6,
) -> Citation:
    event = get_event(uow.session, event_uuid)
    source = source_by_uuid(uow.session, source_uuid)
    citation = Citation(
        uuid=str(uuidlib.uuid4()),
        event_id=row_id(event),
        source_id=row_id(source),
        locator=locator.strip(),
        quote=validation.text(quote, _("quote")).strip(),
        credibility=validation.credibility(credibility),
        created_by=uow.user_name,
        created_at=uow.now,
    )
    uow.session.add(citation)
    uow.session.flush()
    uow.record(
        "citation.add",
        "event",
        event.uuid,
        after={
            "citation": citation.uuid,
            "source": source.uuid,
            "locator": citation.locator,
            "quote": citation.quote,
            "credibility": citation.credibility,
        },
    )
    uow.change.events.add(event.uuid)
    return citation


def attach_file(cat: Catalogue, user: str, source_uuid: str, path: Path) -> Outcome:
    """Archive a copy of a source. The bytes land in the store before the row is committed;
    an orphan blob after a crash is harmless, a row without its blob would not be."""
    with cat.write(user) as uow:
        attachment = add_attachment(uow, cat.files, source_uuid, Path(path))
    assert uow.result is not None
    return Outcome(attachment.sha256, uow.result)


def add_attachment(
    uow: UnitOfWork, files: filestore.FileStore, source_uuid: str, path: Path
) -> Attachment:
    source = source_by_uuid(uow.session, source_uuid)
    stored = files.store(path)
    existing = uow.session.exec(
        select(Attachment).where(
            Attachment.source_id == source.id, Attachment.sha256 == stored.sha256
        )
    ).first()
    if existing:
        return existing
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    attachment = Attachment(
        uuid=str(uuidlib.uuid4()),
        source_id=row_id(source),
        sha256=stored.sha256,
        size=stored.size,
        media_type=media_type,
        original_name=path.name,
        captured_at=uow.now,
        created_by=uow.user_name,
    )
    uow.session.add(attachment)
    uow.session.flush()
    uow.record(
        "attachment.add",
        "source",
        source.uuid,
        after={
            "attachment": attachment.uuid,
            "sha256": stored.sha256,
            "size": stored.size,
            "media_type": media_type,
            "original_name": path.name,
        },
    )
    uow.change.sources.add(source.uuid)
    return attachment


def verify_files(cat: Catalogue) -> list[filestore.FileProblem]:
    with cat.session() as session:
        expected = sorted(
            set(session.exec(select(Attachment.sha256, Attachment.original_name)).all())
        )
    return cat.files.verify(expected)
