"""Tags (hierarchical, multilingual) and the place gazetteer: seeding, lookup, additions."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, cast

from sqlmodel import Session, select

from belarchive.config import read_resource, resource
from belarchive.domain.models import Place, PlaceName, Tag, row_id
from belarchive.domain.text import fold
from belarchive.errors import NotFoundError, ValidationError
from belarchive.gazetteer_data import HAND_MADE, file_digest, gazetteer_files, read_places
from belarchive.i18n import _
from belarchive.services import audit
from belarchive.services.uow import UnitOfWork

_TAG_KEY = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,62}$")


def _load(name: str) -> dict[str, object]:
    return dict(json.loads(read_resource("vocabularies", name).decode("utf-8")))


def seed(uow: UnitOfWork) -> None:
    """Fill a new catalogue with the bundled tag vocabulary and gazetteer (audited)."""
    session = uow.session
    tag_ids: dict[str, int] = {}
    tags = cast(list[dict[str, Any]], _load("tags.json")["tags"])
    for item in tags:
        tag = Tag(
            key=item["key"],
            parent_id=tag_ids.get(item.get("parent", "")),
            labels_json=json.dumps(item["labels"], ensure_ascii=False),
            repression=bool(item.get("repression", False)),
            seeded=True,
        )
        session.add(tag)
        session.flush()
        tag_ids[tag.key] = int(tag.id or 0)
        uow.record("tag.add", "tag", tag.key, after=item)
    for item in read_places(resource("vocabularies", HAND_MADE)):
        _insert_place(uow, item)
    add_missing_places(uow)
    uow.change.vocabulary = True


GAZETTEER_META = "gazetteer_digest"


def gazetteer_digest() -> str:
    """One digest of the bundled gazetteer files: a catalogue records the one it has."""
    return hashlib.sha256("".join(file_digest(p) for p in gazetteer_files()).encode()).hexdigest()


def add_missing_places(uow: UnitOfWork) -> list[str]:
    """Add every bundled place whose key this catalogue lacks (bulk SQL, audited per place).

    Places are only added, never changed or removed: a catalogue's own edits and the events
    that name its places stay as they are. Records the bundle's digest in ``meta``.
    """
    conn = uow.session.connection()
    known = {k for (k,) in conn.exec_driver_sql("SELECT key FROM place")}
    next_id = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM place").scalar() or 0) + 1
    places, names, added = [], [], []
    for path in gazetteer_files():
        for item in read_places(path):
            key = str(item["key"])
            if key in known:
                continue
            known.add(key)
            item_names: dict[str, list[str]] = item["names"]
            display = (item_names.get("en") or next(iter(item_names.values())))[0]
            places.append((next_id, key, str(item.get("kind", "city")), item.get("parent"),
                           item.get("lat"), item.get("lon"),
                           json.dumps(item_names, ensure_ascii=False), display))  # fmt: skip
            seen: set[str] = set()
            for lang, variants in item_names.items():
                for name in variants:
                    if name not in seen:
                        seen.add(name)
                        names.append((next_id, name, lang, fold(name)))
            uow.record("place.add", "place", key, after=item)
            added.append(key)
            next_id += 1
    if places:
        conn.exec_driver_sql(
            "INSERT INTO place (id, key, kind, parent_key, lat, lon, names_json, display_name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", places)  # fmt: skip
        conn.exec_driver_sql(
            "INSERT INTO placename (place_id, name, language, folded) VALUES (?, ?, ?, ?)", names
        )
        uow.change.vocabulary = True
    conn.exec_driver_sql(audit.META_SET_SQL, (GAZETTEER_META, gazetteer_digest()))
    return added


def _insert_place(uow: UnitOfWork, item: dict[str, object]) -> Place:
    names: dict[str, list[str]] = item["names"]  # type: ignore[assignment]
    display = (names.get("en") or next(iter(names.values())))[0]
    place = Place(
        key=str(item["key"]),
        kind=str(item.get("kind", "city")),
        parent_key=item.get("parent"),  # type: ignore[arg-type]
        lat=item.get("lat"),  # type: ignore[arg-type]
        lon=item.get("lon"),  # type: ignore[arg-type]
        names_json=json.dumps(names, ensure_ascii=False),
        display_name=display,
    )
    uow.session.add(place)
    uow.session.flush()
    seen: set[str] = set()
    for lang, variants in names.items():
        for name in variants:
            if name not in seen:
                seen.add(name)
                uow.session.add(
                    PlaceName(place_id=row_id(place), name=name, language=lang, folded=fold(name))
                )
    uow.record("place.add", "place", place.key, after=item)
    return place


def add_tag(uow: UnitOfWork, key: str, labels: dict[str, str], parent: str | None = None) -> Tag:
    """A user's own tag (free tag), optionally under a parent of the vocabulary."""
    key = key.strip().lower()
    if not _TAG_KEY.match(key):
        raise ValidationError(
            _(
                "'{key}' is not a usable tag key: use lower-case letters, digits, '_' or '-' (up "
                "to 63 characters)."
            ).format(key=key)
        )
    if uow.session.exec(select(Tag).where(Tag.key == key)).first():
        raise ValidationError(_("The tag '{key}' already exists.").format(key=key))
    parent_tag = find_tag(uow.session, parent) if parent else None
    tag = Tag(
        key=key,
        parent_id=parent_tag.id if parent_tag else None,
        labels_json=json.dumps(labels or {"en": key}, ensure_ascii=False),
    )
    uow.session.add(tag)
    uow.session.flush()
    uow.record("tag.add", "tag", key, after={"key": key, "labels": labels, "parent": parent})
    uow.change.vocabulary = True
    return tag


def add_place(
    uow: UnitOfWork,
    key: str,
    names: dict[str, list[str]],
    *,
    kind: str = "city",
    lat: float | None = None,
    lon: float | None = None,
) -> Place:
    key = key.strip().lower()
    if not _TAG_KEY.match(key):
        raise ValidationError(_("'{key}' is not a usable place key.").format(key=key))
    if uow.session.exec(select(Place).where(Place.key == key)).first():
        raise ValidationError(_("The place '{key}' already exists.").format(key=key))
    if not any(names.values()):
        raise ValidationError(_("A place needs at least one name."))
    if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
        raise ValidationError(_("Coordinates out of range (latitude ±90, longitude ±180)."))
    place = _insert_place(uow, {"key": key, "names": names, "kind": kind, "lat": lat, "lon": lon})
    uow.change.vocabulary = True
    return place


def find_tag(session: Session, key_or_label: str) -> Tag:
    """A tag by key or by any of its labels, accent- and case-insensitively."""
    wanted = key_or_label.strip()
    tag = session.exec(select(Tag).where(Tag.key == wanted.lower())).first()
    if tag:
        return tag
    target = fold(wanted)
    for candidate in session.exec(select(Tag)).all():
        labels = json.loads(candidate.labels_json).values()
        if any(fold(label) == target for label in labels):
            return candidate
    raise NotFoundError(
        _("Unknown tag '{wanted}'. See the vocabulary with: belarchive tags").format(wanted=wanted)
    )


def find_place(session: Session, key_or_name: str) -> Place:
    """A place by key or by any name variant in any script."""
    wanted = key_or_name.strip()
    place = session.exec(select(Place).where(Place.key == wanted.lower())).first()
    if place:
        return place
    hit = session.exec(select(PlaceName).where(PlaceName.folded == fold(wanted))).first()
    if hit:
        found = session.get(Place, hit.place_id)
        if found:
            return found
    raise NotFoundError(
        _(
            "Unknown place '{wanted}'. Add it to the gazetteer first (belarchive place add) or "
            "check the spelling."
        ).format(wanted=wanted)
    )


def tag_label(tag: Tag, lang: str = "en") -> str:
    labels: dict[str, str] = json.loads(tag.labels_json)
    return labels.get(lang) or labels.get("en") or tag.key


def descendant_tag_ids(session: Session, tag: Tag) -> list[int]:
    """The tag and every tag below it (filters on 'repression' include 'detention')."""
    all_tags = session.exec(select(Tag.id, Tag.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for tid, parent in all_tags:
        if tid is not None:
            children.setdefault(parent, []).append(tid)
    out, stack = [], [int(tag.id or 0)]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(children.get(current, []))
    return out
