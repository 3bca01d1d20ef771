"""Property tests: the parser never raises on arbitrary text and its output is consistent."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from belarchive.domain.edtf_dates import parse_date
from belarchive.importing.chronicle import parse_chronicle

# Fragments that exercise the interesting paths, mixed with arbitrary text.
_FRAGMENTS = st.sampled_from([
    "Στις 3 Νοεμβρίου ", "Στις 31 Φεβρουαρίου ", "Την επομένη ", "Την πρώτη του μήνα ",
    "τουλάχιστον 340 συλλήψεις . ", "περίπου 1.000 ", "διακόσιες ", "Μινσκ ", "Γκόντνο ",
    "Στα μέσα Οκτωβρίου ", "του 2020 ", "На следующий день ", "9 августа 2020 г. ",
    "не менее 200 человек задержаны. ", "On 13 September ", "at least 633 were detained. ",
    "# ", "- ", "\n", " . ", ", ", "[link](https://x.org/a) ", "Μπαντάρεκα ", "20η ", "78 χρονών ",
])  # fmt: skip
_TEXT = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=20)), max_size=40).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.one_of(st.none(), st.integers(1990, 2030)))
def test_never_raises_and_output_is_consistent(text: str, year: int | None) -> None:
    report = parse_chronicle(text, year=year)
    line_count = report.line_count
    assert line_count >= 1
    for event in report.events:
        assert 1 <= event.line_start <= event.line_end <= line_count
        assert len(event.title) <= 120
        if event.edtf is not None:
            parse_date(event.edtf)
            assert 0.0 < event.date_confidence <= 1.0
        for fig in event.figures:
            assert fig.evidence and fig.evidence in fig.sentence
            assert event.line_start <= fig.line <= event.line_end
            assert fig.value_min >= 0 and (fig.value_max is None or fig.value_max >= fig.value_min)
        for place in event.places:
            assert place.matched and event.line_start <= place.line <= event.line_end
        for actor in event.actors:
            assert actor.matched and actor.name


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    report = parse_chronicle(text)
    assert all(1 <= e.line_start <= e.line_end <= report.line_count for e in report.events)
