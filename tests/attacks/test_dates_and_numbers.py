"""Dates and numbers that cannot break listings: open and very wide ranges, unknown ends,
numbers past what the database holds, and digits of other scripts."""

from __future__ import annotations

from datetime import date

import pytest

from belarchive.domain.edtf_dates import human_reading, parse_date
from belarchive.errors import ValidationError
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput
from belarchive.storage import queries


def _titles(cat: Catalogue, **window: date) -> set[str]:
    with cat.reader.connect() as conn:
        rows = queries.list_events(conn, queries.EventFilter(**window), limit=100)
    return {r.title for r in rows}


def test_one_very_wide_or_open_range_does_not_empty_every_listing(catalogue: Catalogue) -> None:
    for title, when in (
        ("march", "2020-11-08"),
        ("wide", "2020-08-09/9999-12-31"),
        ("open end", "2020-08-09/.."),
        ("unknown end", "2020-11-15/"),
        ("open start", "../2020-11-03"),
        ("before", "2020-06-01"),
    ):
        events.create_event(catalogue, "anna", EventInput(title=title, date=when))
    november = _titles(catalogue, date_from=date(2020, 11, 1), date_to=date(2020, 11, 30))
    assert november == {"march", "wide", "open end", "unknown end", "open start"}
    june = _titles(catalogue, date_from=date(2020, 6, 1), date_to=date(2020, 6, 30))
    assert june == {"before", "open start"}
    with catalogue.reader.connect() as conn:
        buckets = queries.timeline(conn, queries.EventFilter(), "month")
    assert min(b.start for b in buckets) == date(2020, 6, 1)  # no bucket in the year 1


def test_an_unknown_end_gets_no_invented_end() -> None:
    bounds = parse_date("2020-11-15/")
    assert bounds.latest == date.max  # open, not ten years later
    assert human_reading("2020-11-15/") == "from 15 November 2020 (no end given)"
    assert human_reading("../2020-11-03", "el") == "έως 3 Νοεμβρίου 2020 (χωρίς αρχή)"
    with pytest.raises(ValidationError, match="neither a start nor an end"):
        parse_date("../..")


@pytest.mark.parametrize("value", [2**63, 10**30, "9223372036854775808"])
def test_numbers_past_any_count_get_a_clear_message(catalogue: Catalogue, value: object) -> None:
    with pytest.raises(ValidationError, match="larger than any count"):
        events.create_event(catalogue, "anna", EventInput(
            title="x", date="2020-11-08", figures=(FigureInput("detained", value),)))  # type: ignore[arg-type]  # fmt: skip


def test_digits_of_other_scripts_are_read_as_ascii_and_stored_so(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "anna", EventInput(
        title="x", date="٢٠٢٠-١١-٠٨", figures=(FigureInput("detained", "١٢٣"),))).uuid  # fmt: skip
    d = events.event_detail(catalogue, uuid)
    assert d["date_edtf"] == "2020-11-08" and d["figures"][0]["value_min"] == 123
