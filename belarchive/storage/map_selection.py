"""The map's selection worked out in memory for the facets it is mostly asked with.

Ticking a tag (or clicking a place) with the map in front asks the map for the totals of a
new selection while the list, its count and the facet counts read the same selection on
the same two cores. Read in SQL, the selection of a broad tag (72,593 events at 100k: a
tag with eight sub-tags) took 58 ms alone and up to 190 ms beside the others. Held as sets
of event ids per tag and per place, it is a union and an intersection made in C: a few
milliseconds. Only the events the map can show are held, so the sets stay small.

Any other condition (dates, months, statuses, languages, a search) is left to SQL:
``select`` then answers None. tests/test_map.py holds both ways to the same answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from belarchive.storage import dialect, one_row
from belarchive.storage.queries import EventFilter

_BY_TAG = "SELECT et.tag_id, {ids} FROM eventtag et GROUP BY et.tag_id"
_BY_PLACE = ("SELECT p.key, {ids} FROM eventplace ep JOIN place p ON p.id = ep.place_id "
             "GROUP BY p.key")  # fmt: skip
_NONE: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class FacetSets:
    tag_ids: dict[str, int]  # key -> id
    children: dict[int, list[int]]  # tag id -> its sub-tags' ids
    by_tag: dict[int, frozenset[int]]  # tag id -> the shown events carrying it
    by_place: dict[str, frozenset[int]]  # place key -> the shown events there
    withdrawn: frozenset[int]  # shown events that are withdrawn (deleted)
    shown: frozenset[int]  # the events the map can show (those with a mappable place)

    @classmethod
    def read(cls, conn: Connection, shown: frozenset[int]) -> FacetSets:
        tag_ids: dict[str, int] = {}
        children: dict[int, list[int]] = {}
        tags: list[tuple[int, str, int | None]] = [
            (int(i), str(k), None if p is None else int(p))
            for i, k, p in _rows(conn, "SELECT id, key, parent_id FROM tag")
        ]
        for tag_id, key, parent in tags:
            tag_ids[key] = tag_id
            if parent is not None:
                children.setdefault(parent, []).append(tag_id)
        ids = dialect.joined(conn, "CAST(et.event_id AS TEXT)", ",")
        by_tag = {int(t): _ids(e, shown) for t, e in _rows(conn, _BY_TAG.format(ids=ids))}
        ids = dialect.joined(conn, "CAST(ep.event_id AS TEXT)", ",")
        by_place = {str(k): _ids(e, shown) for k, e in _rows(conn, _BY_PLACE.format(ids=ids))}
        deleted = one_row.values(conn, "CAST(s.id AS TEXT)",
                                 "SELECT id FROM event WHERE deleted = true", {})  # fmt: skip
        withdrawn = shown.intersection(map(int, deleted))
        return cls(tag_ids, children, by_tag, by_place, withdrawn, shown)

    def select(self, f: EventFilter) -> frozenset[int] | None:
        """The shown events ``f`` selects, or None when SQL must work it out."""
        if _other_conditions(f):
            return None
        chosen = self.shown
        if f.tags:  # any of them or of their sub-tags
            tags = self._with_sub_tags(f.tags)
            chosen = chosen & _union(self.by_tag.get(t, _NONE) for t in tags)
        if f.places:  # any of them
            chosen = chosen & _union(self.by_place.get(k, _NONE) for k in f.places)
        if f.withdrawn:
            return chosen & self.withdrawn
        return chosen if f.include_deleted else chosen - self.withdrawn

    def _with_sub_tags(self, keys: Iterable[str]) -> set[int]:
        found: set[int] = set()
        todo = [self.tag_ids[k] for k in keys if k in self.tag_ids]
        while todo:
            tag = todo.pop()
            if tag not in found:
                found.add(tag)
                todo.extend(self.children.get(tag, ()))
        return found


def _other_conditions(f: EventFilter) -> bool:
    """Whether ``f`` sets anything besides tags, places and which events are withdrawn."""
    held = EventFilter(tags=f.tags, places=f.places, include_deleted=f.include_deleted,
                       withdrawn=f.withdrawn)  # fmt: skip
    return f != held


def _rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text(sql))]


def _ids(joined: object, shown: frozenset[int]) -> frozenset[int]:
    return shown.intersection(map(int, str(joined).split(","))) if joined else frozenset()


def _union(sets: Iterable[frozenset[int]]) -> frozenset[int]:
    return frozenset().union(*sets)
