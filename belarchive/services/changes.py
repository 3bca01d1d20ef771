"""The one value every write returns and every view refreshes from."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(slots=True)
class ChangeBuilder:
    events: set[str] = field(default_factory=set)
    created: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    vocabulary: bool = False
    users: bool = False
    searches: bool = False  # the saved searches

    def freeze(self, audit_seq: int) -> Change:
        return Change(
            events=frozenset(self.events | self.created | self.deleted),
            created=frozenset(self.created),
            deleted=frozenset(self.deleted),
            sources=frozenset(self.sources),
            vocabulary=self.vocabulary,
            users=self.users,
            searches=self.searches,
            audit_seq=audit_seq,
        )


@dataclass(frozen=True, slots=True)
class Change:
    """What a committed transaction touched (event and source UUIDs) and the audit head after it."""

    events: frozenset[str] = frozenset()
    created: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()
    vocabulary: bool = False
    users: bool = False
    searches: bool = False
    audit_seq: int = 0
    # Who made it, when it came from another desktop of a team catalogue (services.live);
    # empty for this program's own writes.
    authors: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not (self.events or self.sources or self.vocabulary or self.users or self.searches)


class OwnWrites:
    """The audit entries one program appended to a team catalogue, as (first, last) ranges:
    the live feed (services.live) must not announce them as another desktop's. A range is
    noted before its commit, since the feed may read the entries as soon as they land."""

    def __init__(self) -> None:
        self._ranges: list[tuple[int, int]] = []
        self._lock = threading.Lock()

    def expect(self, first: int, last: int) -> tuple[int, int] | None:
        if not first or last < first:
            return None
        with self._lock:
            self._ranges.append((first, last))
        return (first, last)

    def drop(self, noted: tuple[int, int] | None) -> None:
        """The transaction did not commit: those numbers will be someone else's."""
        if noted is not None:
            with self._lock:
                self._ranges.remove(noted)

    def holds(self, seq: int) -> bool:
        with self._lock:
            return any(first <= seq <= last for first, last in self._ranges)

    def forget(self, below: int) -> None:
        with self._lock:
            self._ranges = [r for r in self._ranges if r[1] > below]
