"""What callers hand to the services: plain, validated-on-use values."""

from __future__ import annotations

from dataclasses import dataclass

from belarchive.domain.values import ActorRole, FigureKind, FigureScope, Qualifier
from belarchive.services.changes import Change


@dataclass(frozen=True, slots=True)
class FigureInput:
    kind: FigureKind | str
    value_min: int
    value_max: int | None = None
    qualifier: Qualifier | str = Qualifier.EXACT
    citation: str | None = None  # citation UUID on the same event
    note: str = ""
    scope: FigureScope | str = FigureScope.INCIDENT
    period: str | None = None  # EDTF of a period figure's period
    part_of: int | None = None  # index, in the same figures tuple, of the figure it is part of


@dataclass(frozen=True, slots=True)
class ActorInput:
    name: str
    role: ActorRole | str = ActorRole.MENTIONED
    kind: str = "person"


@dataclass(frozen=True, slots=True)
class EventInput:
    title: str
    date: str | None = None  # EDTF; None only for undated background records
    description: str = ""
    language: str = "und"
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    actors: tuple[ActorInput, ...] = ()
    figures: tuple[FigureInput, ...] = ()
    uuid: str | None = None  # given by imports that must keep identity


@dataclass(frozen=True, slots=True)
class EventPatch:
    """Fields left as None stay as they are; lists replace the whole list."""

    title: str | None = None
    date: str | None = None
    description: str | None = None
    language: str | None = None
    tags: tuple[str, ...] | None = None
    places: tuple[str, ...] | None = None
    actors: tuple[ActorInput, ...] | None = None
    figures: tuple[FigureInput, ...] | None = None
    clear_date: bool = False


@dataclass(frozen=True, slots=True)
class SourceInput:
    title: str
    kind: str = "other"
    author: str = ""
    publisher: str = ""
    url: str = ""
    published: str | None = None  # EDTF
    accessed: str | None = None  # ISO date
    language: str = "und"
    reliability: str = "F"
    uuid: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """A write's result: the UUID it created or touched, and the change set."""

    uuid: str
    change: Change
