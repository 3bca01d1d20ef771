"""EDTF handling: our fast path agrees with the edtf library; readings are humane."""

from __future__ import annotations

import time
from datetime import date

import pytest
from edtf import parse_edtf
from hypothesis import given, settings
from hypothesis import strategies as st

from belarchive.domain.edtf_dates import human_reading, month_part_edtf, parse_date
from belarchive.errors import ValidationError


def _library_bounds(text: str) -> tuple[date, date]:
    parsed = parse_edtf(text)
    lo, hi = parsed.lower_strict(), parsed.upper_strict()
    return (date(*time.struct_time(lo)[:3]), date(*time.struct_time(hi)[:3]))


simple_part = st.builds(
    lambda y, m, d, shape, q: (
        (
            f"{y:04d}"
            if shape == 0
            else f"{y:04d}-{m:02d}"
            if shape == 1
            else f"{y:04d}-{m:02d}-{d:02d}"
        )
        + q
    ),
    st.integers(1900, 2100),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
    st.sampled_from(["", "~", "?", "%"]),
)


@settings(max_examples=150, deadline=None)
@given(simple_part)
def test_fast_path_matches_the_library_for_single_dates(text: str) -> None:
    ours = parse_date(text)
    assert (ours.earliest, ours.latest) == _library_bounds(text)


@settings(max_examples=100, deadline=None)
@given(simple_part, simple_part)
def test_intervals_have_ordered_bounds_or_are_refused(a: str, b: str) -> None:
    text = f"{a}/{b}"
    try:
        ours = parse_date(text)
    except ValidationError as exc:
        assert "ends before it begins" in exc.message
        assert _library_bounds(a)[0] > _library_bounds(b)[1]
        return
    assert ours.earliest <= ours.latest
    assert (ours.earliest, ours.latest) == (_library_bounds(a)[0], _library_bounds(b)[1])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20))
def test_arbitrary_text_never_crashes(text: str) -> None:
    try:
        bounds = parse_date(text)
    except ValidationError:
        return
    assert bounds.earliest <= bounds.latest


@pytest.mark.parametrize(
    ("text", "en", "el"),
    [
        ("2020-11-15", "15 November 2020", "15 Νοεμβρίου 2020"),
        ("2020-10", "October 2020", "Οκτώβριος 2020"),
        (
            month_part_edtf(2020, 10, "mid"),
            "mid-October 2020 (approximate)",
            "Μέσα Οκτωβρίου 2020 (περίπου)",
        ),
        (
            month_part_edtf(2020, 9, "early"),
            "early-September 2020 (approximate)",
            "Αρχές Σεπτεμβρίου 2020 (περίπου)",
        ),
        (
            "2020-11-13/2020-11-15",
            "13 November 2020 – 15 November 2020",
            "13 Νοεμβρίου 2020 – 15 Νοεμβρίου 2020",
        ),
    ],
)
def test_human_reading(text: str, en: str, el: str) -> None:
    assert human_reading(text) == en
    assert human_reading(text, "el") == el


@pytest.mark.parametrize(
    "bad", ["2020-02-31", "31 Φεβρουαρίου", "2020-13", "", "2020-11-15/2020-11-01"]
)
def test_invalid_dates_are_named(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_date(bad)
