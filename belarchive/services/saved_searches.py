"""Saved searches: a named query with the list's filters and the search's options.

Everyone who opens the catalogue sees them (a team's "detentions in Minsk, unverified"
is a shared working list); anyone signed in may save one, its author or an admin may
rename or remove it. Every change is audited, and a removed search is only marked
removed: the log says who saved what, when.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from belarchive.domain.models import SavedSearch
from belarchive.domain.values import Role
from belarchive.errors import NotFoundError, PermissionDenied, SearchQueryError, ValidationError
from belarchive.i18n import _
from belarchive.services.catalogue import Catalogue
from belarchive.services.filters import place_keys, statuses, tag_keys
from belarchive.services.inputs import Outcome
from belarchive.services.uow import UnitOfWork
from belarchive.storage.queries import EventFilter

MAX_NAME = 80
OPTIONS = ("word_families", "cross_script")


@dataclass(frozen=True, slots=True)
class SavedSearchView:
    uuid: str
    name: str
    query: str
    filters: EventFilter
    options: dict[str, bool]
    created_by: str


def filter_record(f: EventFilter) -> dict[str, Any]:
    """What of a listing filter a saved search keeps (JSON-ready); a search's own result
    set (uuids) is not kept: it is searched anew when the saved search is opened."""
    return {
        "date_from": f.date_from.isoformat() if f.date_from else None,
        "date_to": f.date_to.isoformat() if f.date_to else None,
        "tags": list(f.tags),
        "places": list(f.places),
        "statuses": list(f.statuses),
        "languages": list(f.languages),
        "periods": [[a.isoformat(), b.isoformat()] for a, b in f.periods],
        "withdrawn": f.withdrawn,
    }


def filter_from_record(record: dict[str, Any]) -> EventFilter:
    def day(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    return EventFilter(
        date_from=day(record.get("date_from")),
        date_to=day(record.get("date_to")),
        tags=tuple(record.get("tags", ())),
        places=tuple(record.get("places", ())),
        statuses=tuple(record.get("statuses", ())),
        languages=tuple(record.get("languages", ())),
        periods=tuple(
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in record.get("periods", ())
        ),
        withdrawn=bool(record.get("withdrawn", False)),
    )


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise ValidationError(_("Give the saved search a name."))
    if len(name) > MAX_NAME:
        raise ValidationError(
            _("A saved search's name has at most {n} characters.").format(n=MAX_NAME)
        )
    return name


def _checked(session: Session, query: str, f: EventFilter) -> EventFilter:
    """The filter with canonical keys; a malformed query or an unknown value is refused
    now, not when someone opens the search next month."""
    from belarchive.search.query import parse  # the parser only: no index is opened

    try:
        parse(query)
    except SearchQueryError as exc:
        raise ValidationError(exc.message) from exc
    return EventFilter(
        date_from=f.date_from,
        date_to=f.date_to,
        tags=tag_keys(session, f.tags),
        places=place_keys(session, f.places),
        statuses=statuses(f.statuses),
        languages=f.languages,
        periods=f.periods,
        withdrawn=f.withdrawn,
    )


def _taken(session: Session, name: str, other_than: str | None = None) -> bool:
    rows = session.exec(
        select(SavedSearch).where(SavedSearch.name == name, SavedSearch.deleted == False)  # noqa: E712
    ).all()
    return any(r.uuid != other_than for r in rows)


def save_search(
    cat: Catalogue,
    user: str,
    name: str,
    query: str,
    filters: EventFilter | None = None,
    options: dict[str, bool] | None = None,
) -> Outcome:
    """Save ``query`` with ``filters`` and ``options`` under ``name`` (unique among those
    not removed); returns the saved search's UUID."""
    name, query = _name(name), query.strip()
    chosen = {k: bool(v) for k, v in (options or {}).items() if k in OPTIONS}
    with cat.write(user) as uow:
        f = _checked(uow.session, query, filters or EventFilter())
        if _taken(uow.session, name):
            raise ValidationError(_("A saved search is already called '{name}'.").format(name=name))
        record = filter_record(f)
        row = SavedSearch(uuid=str(uuidlib.uuid4()), name=name, query=query,
                          filters_json=json.dumps(record, ensure_ascii=False),
                          options_json=json.dumps(chosen), created_by=user,
                          created_at=uow.now)  # fmt: skip
        uow.session.add(row)
        uow.session.flush()
        uow.record("search.save", "savedsearch", row.uuid,
                   after={"name": name, "query": query, "filters": record,
                          "options": chosen})  # fmt: skip
        uow.change.searches = True
    return Outcome(row.uuid, uow.result)  # type: ignore[arg-type]


def _own(uow: UnitOfWork, uuid: str) -> SavedSearch:
    row = uow.session.exec(
        select(SavedSearch).where(SavedSearch.uuid == uuid, SavedSearch.deleted == False)  # noqa: E712
    ).first()
    if row is None:
        raise NotFoundError(_("There is no saved search {uuid}.").format(uuid=uuid))
    if row.created_by != uow.user.name and Role(uow.user.role) != Role.ADMIN:
        raise PermissionDenied(
            _("Only {author} (who saved it) or an admin may change '{name}'.").format(
                author=row.created_by, name=row.name
            )
        )
    return row


def rename_search(cat: Catalogue, user: str, uuid: str, name: str) -> Outcome:
    name = _name(name)
    with cat.write(user) as uow:
        row = _own(uow, uuid)
        if _taken(uow.session, name, other_than=uuid):
            raise ValidationError(_("A saved search is already called '{name}'.").format(name=name))
        before, row.name = row.name, name
        uow.session.add(row)
        uow.record("search.rename", "savedsearch", uuid, before={"name": before},
                   after={"name": name})  # fmt: skip
        uow.change.searches = True
    return Outcome(uuid, uow.result)  # type: ignore[arg-type]


def remove_search(cat: Catalogue, user: str, uuid: str) -> Outcome:
    """Mark the saved search removed (it stays in the catalogue and its history)."""
    with cat.write(user) as uow:
        row = _own(uow, uuid)
        row.deleted = True
        uow.session.add(row)
        uow.record("search.remove", "savedsearch", uuid, before={"name": row.name})
        uow.change.searches = True
    return Outcome(uuid, uow.result)  # type: ignore[arg-type]


def list_searches(cat: Catalogue) -> list[SavedSearchView]:
    """The saved searches not removed, by name."""
    with cat.session() as session:
        rows = session.exec(
            select(SavedSearch)
            .where(SavedSearch.deleted == False)  # noqa: E712
            .order_by(SavedSearch.name)
        ).all()
        return [
            SavedSearchView(
                r.uuid,
                r.name,
                r.query,
                filter_from_record(json.loads(r.filters_json or "{}")),
                json.loads(r.options_json or "{}"),
                r.created_by,
            )
            for r in rows
        ]
