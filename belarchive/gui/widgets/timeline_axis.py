"""Pure helpers of the timeline: bucket choice, gap filling, period bounds, nice axis ticks.

Kept free of painting so the arithmetic is easy to test and the widget stays small.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta

from belarchive.storage.queries import Bucket

BUCKET_NAMES = ("day", "week", "month")

# Up to about two months of data, days are readable; up to about two years, weeks; then months.
_DAY_LIMIT = 62
_WEEK_LIMIT = 730


@dataclass(frozen=True, slots=True)
class Slot:
    """One column of the chart: a period with its counts (zero where the query had no row)."""

    start: date
    end: date
    events: int
    detained: int


def auto_bucket(first: date, last: date) -> str:
    span = (last - first).days
    if span <= _DAY_LIMIT:
        return "day"
    if span <= _WEEK_LIMIT:
        return "week"
    return "month"


def period_end(start: date, bucket: str) -> date:
    if bucket == "day":
        return start
    if bucket == "week":
        return start + timedelta(days=6)
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def next_start(start: date, bucket: str) -> date:
    return period_end(start, bucket) + timedelta(days=1)


def fill_gaps(buckets: list[Bucket], bucket: str) -> list[Slot]:
    """Every period from the first to the last bucket, so quiet periods show as gaps."""
    if not buckets:
        return []
    by_start = {b.start: b for b in buckets}
    slots: list[Slot] = []
    cur, last = buckets[0].start, buckets[-1].start
    while cur <= last:
        b = by_start.get(cur)
        slots.append(Slot(cur, period_end(cur, bucket), b.events if b else 0,
                          b.detained if b else 0))  # fmt: skip
        cur = next_start(cur, bucket)
    return slots


def nice_ceiling(value: int) -> int:
    """The smallest 1/2/5 x 10^n at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    exp: int = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


GRID_STEPS = 2  # grid lines above zero: enough to read a 200-px strip without clutter


def nice_top(value: int, steps: int = GRID_STEPS) -> int:
    """The axis maximum: ``steps`` equal whole-number steps of a 1/2/5 x 10^n size."""
    return steps * nice_ceiling(math.ceil(max(1, value) / steps))


def ticks(top: int, steps: int = GRID_STEPS) -> list[int]:
    """Grid values 0..top; exact because ``nice_top`` makes top a multiple of ``steps``."""
    return [top * i // steps for i in range(steps + 1)]


def label_step(slot_width: float, label_width: float) -> int:
    """Label every n-th slot so that neighbouring labels never overlap."""
    if slot_width <= 0:
        return 1
    return max(1, math.ceil((label_width + 10) / slot_width))
