"""Adding a tag or a place while cataloguing: from a label typed in the editor, by an
archivist or an admin (reviewers decide; they do not extend the vocabulary), audited like
every write. The key is made from the label (any script, through ``anyascii``)."""

from __future__ import annotations

import re

from anyascii import anyascii
from sqlmodel import select

from belarchive.domain.models import Place, Tag
from belarchive.domain.values import Role
from belarchive.errors import PermissionDenied, ValidationError
from belarchive.i18n import _
from belarchive.services import vocabulary
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import Outcome
from belarchive.services.uow import UnitOfWork

EXTENDERS = frozenset({Role.ARCHIVIST, Role.ADMIN})


def may_extend(role: Role | str) -> bool:
    return Role(role) in EXTENDERS


def _check(uow: UnitOfWork) -> None:
    if not may_extend(uow.user.role):
        raise PermissionDenied(_("Only archivists and admins add tags and places."))


def key_for(label: str, taken: set[str]) -> str:
    """'Пытки в РУВД' -> 'pytki_v_ruvd'; a number added if the key is taken."""
    base = re.sub(r"[^a-z0-9]+", "_", anyascii(label).lower()).strip("_")[:56] or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _label(text: str) -> str:
    label = " ".join(text.split())
    if not label:
        raise ValidationError(_("Give the new entry a name."))
    return label


def new_tag(cat: Catalogue, user: str, label: str, lang: str) -> Outcome:
    """A free tag labelled ``label`` in ``lang`` (and in English until someone adds one)."""
    label = _label(label)
    with cat.write(user) as uow:
        _check(uow)
        taken = set(uow.session.exec(select(Tag.key)).all())
        tag = vocabulary.add_tag(uow, key_for(label, taken), {lang: label, "en": label})
    return Outcome(tag.key, uow.result)  # type: ignore[arg-type]


def new_place(cat: Catalogue, user: str, name: str, lang: str) -> Outcome:
    """A place known by ``name`` (in ``lang``); coordinates can be added later."""
    name = _label(name)
    with cat.write(user) as uow:
        _check(uow)
        taken = set(uow.session.exec(select(Place.key)).all())
        place = vocabulary.add_place(uow, key_for(name, taken), {lang: [name]}, kind="place")
    return Outcome(place.key, uow.result)  # type: ignore[arg-type]
