"""Enumerations and value helpers shared by every layer (pure, no I/O)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ARCHIVIST = "archivist"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Status(StrEnum):
    """Verification status of an event."""

    UNVERIFIED = "unverified"
    IN_REVIEW = "in_review"
    VERIFIED = "verified"
    DISPUTED = "disputed"
    REJECTED = "rejected"


class FigureKind(StrEnum):
    DETAINED = "detained"
    KILLED = "killed"
    INJURED = "injured"
    PARTICIPANTS = "participants"
    OTHER = "other"


class FigureScope(StrEnum):
    """What a figure counts over. Totals, charts and timelines add up only incident figures."""

    INCIDENT = "incident"  # the event itself (the default)
    PERIOD = "period"  # a reported running total or a period's figure: shown, never summed


class Qualifier(StrEnum):
    EXACT = "exact"
    APPROXIMATELY = "approximately"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    UP_TO = "up_to"


QUALIFIER_SYMBOL: dict[Qualifier, str] = {
    Qualifier.EXACT: "",
    Qualifier.APPROXIMATELY: "~",
    Qualifier.AT_LEAST: "≥",
    Qualifier.MORE_THAN: ">",
    Qualifier.UP_TO: "≤",
}


class SourceKind(StrEnum):
    NEWS = "news"
    NGO_REPORT = "ngo_report"
    OFFICIAL = "official"
    SOCIAL_MEDIA = "social_media"
    WITNESS = "witness"
    CHRONICLE = "chronicle"
    DOCUMENT = "document"
    OTHER = "other"


class Reliability(StrEnum):
    """Source reliability on the Admiralty scale (A completely reliable ... F cannot be judged)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    E = "E"
    F = "F"


class ActorKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


class ActorRole(StrEnum):
    VICTIM = "victim"
    PERPETRATOR = "perpetrator"
    SPEAKER = "speaker"
    ORGANISER = "organiser"
    WITNESS = "witness"
    MENTIONED = "mentioned"


# Credibility of one piece of information, Admiralty scale: 1 confirmed ... 6 cannot be judged.
CREDIBILITY_RANGE = range(1, 7)

LANGUAGES: tuple[str, ...] = ("el", "ru", "be", "en", "uk", "pl", "und")


# What an import does with an item that may repeat an incident already in the catalogue.
ON_DUPLICATE = ("new", "link", "skip")
