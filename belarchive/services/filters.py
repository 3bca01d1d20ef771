"""Filter values a person typed (tags, places, statuses), checked against the catalogue.

An unknown value is an error that names it: a misspelt tag must not look like "no events".
One place for the command line's listings, exports, searches and the dossier options.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from belarchive.domain.values import Status
from belarchive.errors import NotFoundError, ValidationError
from belarchive.i18n import _
from belarchive.services.vocabulary import find_place, find_tag


def status_value(raw: str) -> str:
    """ "In review", "in-review", "IN_REVIEW" → "in_review"; anything else is refused."""
    key = raw.strip().lower().replace(" ", "_").replace("-", "_")
    if key not in {s.value for s in Status}:
        options = ", ".join(s.value for s in Status)
        raise ValidationError(
            _("'{raw}' is not a verification status; choose from: {options}.").format(
                raw=raw, options=options
            )
        )
    return key


def statuses(raw: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(status_value(s) for s in raw if s.strip()))


def tag_keys(session: Session, names: Iterable[str]) -> tuple[str, ...]:
    """Canonical tag keys (by key or label in any language); an unknown one is refused."""
    try:
        return tuple(dict.fromkeys(find_tag(session, n).key for n in names if n.strip()))
    except NotFoundError as exc:
        raise ValidationError(exc.message) from exc


def place_keys(session: Session, names: Iterable[str]) -> tuple[str, ...]:
    """Canonical place keys (by key or any name in any script); an unknown one is refused."""
    try:
        return tuple(dict.fromkeys(find_place(session, n).key for n in names if n.strip()))
    except NotFoundError as exc:
        raise ValidationError(exc.message) from exc
