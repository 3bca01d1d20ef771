"""Many sources and citations in one transaction (imports, benchmarks) via the bulk SQL path.

Like ``bulk.py``: column tuples with executemany instead of ORM objects (the ORM costs
~0.7 ms an object), the same validation as ``sources.py``, and the same audit entries, one
per source and per citation, so the audit log cannot tell a bulk write from single ones.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, cast

from sqlalchemy import Connection

from belarchive.domain.edtf_dates import parse_date
from belarchive.domain.values import Reliability, SourceKind
from belarchive.errors import Cancelled, NotFoundError, ValidationError
from belarchive.i18n import _
from belarchive.services import validation
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.inputs import SourceInput
from belarchive.services.uow import UnitOfWork

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class CitationInput:
    event_uuid: str
    source_uuid: str
    locator: str = ""
    quote: str = ""
    credibility: int = 6
    uuid: str | None = None


def _stamp(uow: UnitOfWork) -> str:
    # The text form SQLAlchemy itself writes for a DateTime column, so ORM reads parse it.
    return uow.now.strftime("%Y-%m-%d %H:%M:%S.%f")


def add_sources_bulk(cat: Catalogue, user: str, sources: Sequence[SourceInput]) -> Change:
    """All or nothing: one invalid source leaves the catalogue as it was."""
    with cat.write(user) as uow:
        insert_sources(uow, sources)
    assert uow.result is not None
    return uow.result


def insert_sources(uow: UnitOfWork, sources: Sequence[SourceInput]) -> list[str]:
    now, rows, uuids = _stamp(uow), [], []
    for n, data in enumerate(sources):
        try:
            row = _source_row(data, uow.user_name, now)
        except (ValidationError, NotFoundError) as exc:
            where = _("Source {number} ('{title}'): {problem}")
            problem = where.format(number=n + 1, title=data.title[:40], problem=exc.message)
            raise type(exc)(problem) from exc
        rows.append(row)
        uuids.append(row[0])
        uow.record("source.add", "source", row[0], after={**asdict(data), "uuid": row[0]})
    uow.session.connection().exec_driver_sql(
        "INSERT INTO source (uuid, kind, title, author, publisher, url, published, accessed, "
        "language, reliability, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    uow.change.sources.update(uuids)
    return uuids


def _source_row(data: SourceInput, who: str, now: str) -> tuple[Any, ...]:
    accessed = validation.iso_day(data.accessed, _("access date"))
    return (
        data.uuid or str(uuidlib.uuid4()),
        validation.enum_value(SourceKind, data.kind, _("source kind")).value,
        validation.title(data.title),
        data.author.strip(),
        data.publisher.strip(),
        validation.url(data.url),
        parse_date(data.published).edtf if data.published else None,
        accessed.isoformat() if accessed else None,
        validation.language(data.language),
        validation.enum_value(
            Reliability, data.reliability.upper(), _("reliability grade (A–F)")
        ).value,
        who,
        now,
    )


def cite_bulk(
    cat: Catalogue,
    user: str,
    citations: Sequence[CitationInput],
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> Change:
    """All or nothing: an unknown event or source, or a cancel, writes nothing."""
    with cat.write(user) as uow:
        insert_citations(uow, citations, progress=progress, cancel=cancel)
    assert uow.result is not None
    return uow.result


def ids_of(conn: Connection, table: str, uuids: Iterable[str]) -> dict[str, int]:
    """Row ids by UUID of ``table`` (event, source, citation…)."""
    # json_each keeps one statement for any number of UUIDs (no 32k-parameter limit).
    sql = f"SELECT uuid, id FROM {table} WHERE uuid IN (SELECT value FROM json_each(?))"
    rows = conn.exec_driver_sql(sql, (json.dumps(sorted(set(uuids))),))
    return {str(u): int(cast(Any, i)) for u, i in rows}


def insert_citations(
    uow: UnitOfWork,
    citations: Sequence[CitationInput],
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> list[str]:
    conn = uow.session.connection()
    events = ids_of(conn, "event", {c.event_uuid.strip() for c in citations})
    sources = ids_of(conn, "source", {c.source_uuid.strip() for c in citations})
    now, rows, uuids = _stamp(uow), [], []
    for n, c in enumerate(citations):
        if cancel and n % 500 == 0 and cancel():
            raise Cancelled(_("Cancelled; no citation was written."))
        event_id = events.get(c.event_uuid.strip())
        source_id = sources.get(c.source_uuid.strip())
        if event_id is None or source_id is None:
            missing = (
                _("event {id}").format(id=c.event_uuid)
                if event_id is None
                else _("source {id}").format(id=c.source_uuid)
            )
            raise NotFoundError(
                _("Citation {citation}: no {missing}.").format(citation=n + 1, missing=missing)
            )
        cid = c.uuid or str(uuidlib.uuid4())
        locator = c.locator.strip()
        quote = validation.text(c.quote, _("quote")).strip()
        grade = validation.credibility(c.credibility)
        rows.append((cid, event_id, source_id, locator, quote, grade, uow.user_name, now))
        uow.record(
            "citation.add",
            "event",
            c.event_uuid.strip(),
            after={
                "citation": cid,
                "source": c.source_uuid.strip(),
                "locator": locator,
                "quote": quote,
                "credibility": grade,
            },
        )
        uow.change.events.add(c.event_uuid.strip())
        uuids.append(cid)
        if progress and n % 1000 == 0:
            progress(n, len(citations))
    conn.exec_driver_sql(
        "INSERT INTO citation (uuid, event_id, source_id, locator, quote, credibility, "
        "created_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
        rows,
    )
    if progress:
        progress(len(citations), len(citations))
    return uuids
