"""Totals that respect qualifiers: one figure per incident and kind, summed honestly.

The rule (printed in every dossier): only figures of the incident itself count — reported
running totals ("since 9 August") and parts of another figure (journalists among the
detained) are listed, never added. When several figures of one kind are recorded for an
incident (sources disagree), the highest *lower bound* is used — a range counts as its
minimum, "more than N" and "approximately N" as N, and "up to N" is skipped because it
gives no minimum. A total is a minimum ("at least") as soon as one figure in it is not
exact. The weekly chart uses the same per-incident figure, so chart and totals agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from belarchive.domain.edtf_dates import OPEN_START
from belarchive.domain.map_data import AREA_KINDS
from belarchive.domain.values import Qualifier
from belarchive.storage.detail import EventDetail, FigureInfo

KINDS = ("detained", "killed", "injured")


@dataclass(frozen=True, slots=True)
class Counted:
    """The figure an incident contributes for one kind."""

    value: int
    minimum: bool  # True when the figure is not exact (or is a range)
    figure: FigureInfo


def incident_figure(detail: EventDetail, kind: str) -> Counted | None:
    """The figure an incident contributes: reported running totals and parts never count."""
    best: Counted | None = None
    for fig in detail.figures_of(kind):
        if fig.qualifier == Qualifier.UP_TO.value or not fig.counted:
            continue
        exact = fig.qualifier == Qualifier.EXACT.value and fig.value_max is None
        cand = Counted(fig.value_min, not exact, fig)
        # Ties go to the exact figure: it makes the total no less precise.
        if (
            best is None
            or cand.value > best.value
            or (cand.value == best.value and best.minimum and not cand.minimum)
        ):
            best = cand
    return best


@dataclass(slots=True)
class Total:
    people: int = 0
    incidents: int = 0
    minimum: bool = False


@dataclass(slots=True)
class Summary:
    incidents: int = 0
    totals: dict[str, Total] = field(default_factory=lambda: {k: Total() for k in KINDS})
    by_tag: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    detained_per_week: dict[date, int] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)
    attachments: dict[str, tuple[str, int, str]] = field(default_factory=dict)  # sha -> info
    # Reported running totals, each with its event: shown as reported, never summed.
    running_totals: list[tuple[EventDetail, FigureInfo]] = field(default_factory=list)
    # Place key -> (name, lat, lon, events): the map of the summary (places with coordinates).
    by_place: dict[str, tuple[str, float, float, int]] = field(default_factory=dict)

    def add(self, detail: EventDetail) -> None:
        self.incidents += 1
        self.by_status[detail.status] += 1
        self.by_tag.update(detail.tags)
        for kind in KINDS:
            counted = incident_figure(detail, kind)
            if counted is None:
                continue
            total = self.totals[kind]
            total.people += counted.value
            total.incidents += 1
            total.minimum |= counted.minimum
            earliest = detail.date_earliest
            if kind == "detained" and earliest is not None and earliest != OPEN_START:
                week = monday(earliest)
                self.detained_per_week[week] = self.detained_per_week.get(week, 0) + counted.value
        self.running_totals += [(detail, f) for f in detail.figures if f.scope != "incident"]
        for place in detail.places:
            if place.lat is not None and place.lon is not None and place.kind not in AREA_KINDS:
                name, lat, lon, n = self.by_place.get(place.key, (place.display_name, place.lat,
                                                                  place.lon, 0))  # fmt: skip
                self.by_place[place.key] = (name, lat, lon, n + 1)
        for cit in detail.citations:
            self.sources.add(cit.source.uuid)
            for att in cit.source.attachments:
                self.attachments.setdefault(
                    att.sha256, (att.original_name, att.size, cit.source.title)
                )


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weekly_series(per_week: dict[date, int]) -> list[tuple[date, int]]:
    """Every week from the first to the last, empty weeks included (a gap is information)."""
    if not per_week:
        return []
    start, end = min(per_week), max(per_week)
    out, week = [], start
    while week <= end:
        out.append((week, per_week.get(week, 0)))
        week += timedelta(days=7)
    return out


def summarise(details: Iterable[EventDetail]) -> Summary:
    summary = Summary()
    for d in details:
        summary.add(d)
    return summary
