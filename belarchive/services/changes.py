"""The one value every write returns and every view refreshes from."""

from __future__ import annotations

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
