"""Date anchors: where entries start, what date they get, and what is refused."""

from __future__ import annotations

import pytest

from belarchive.domain.edtf_dates import month_part_edtf, parse_date
from belarchive.importing.chronicle import parse_chronicle
from belarchive.importing.chronicle.dates import find_mentions, month_of
from belarchive.importing.chronicle.text import fold


def dated(text: str, year: int | None = 2020) -> list[tuple[str | None, int, int]]:
    report = parse_chronicle(text, year=year)
    return [(e.edtf, e.line_start, e.line_end) for e in report.events if not e.is_background]


@pytest.mark.parametrize(
    ("sentence", "edtf"),
    [
        ("Στις 3 Νοεμβρίου η ομάδα εργασίας συνεδρίασε .", "2020-11-03"),
        ("Την Κυριακή , 15 Νοεμβρίου , χιλιάδες διαδηλωτές βγήκαν .", "2020-11-15"),
        ("Στις 7 Νοεβρίου γυναίκες διαδήλωσαν .", "2020-11-07"),  # misspelt month
        ("# Воскресенье, 9 августа 2020 г.", None),  # a heading alone is not an event
        ("Sunday, 9 August 2020\nProtests began.", "2020-08-09"),
        ("On 13 September, the Heroes' March took place.", "2020-09-13"),
        ("On September 13, 2021, a march took place.", "2021-09-13"),
        ("Στα μέσα Οκτωβρίου η αστυνομία απείλησε .", month_part_edtf(2020, 10, "mid")),
        ("В конце августа прошли марши.", month_part_edtf(2020, 8, "late")),
        ("In early September the strikes spread.", month_part_edtf(2020, 9, "early")),
        ("## 09.08.2020\nПротесты.", "2020-08-09"),
    ],
)
def test_single_anchor(sentence: str, edtf: str | None) -> None:
    got = [d[0] for d in dated(sentence)]
    assert got == ([edtf] if edtf else [])
    if edtf:
        parse_date(edtf)  # a valid EDTF string


def test_relative_anchors_count_from_the_previous_entry() -> None:
    text = (
        "Στις 30 Νοεμβρίου διαδήλωσαν συνταξιούχοι .\n"
        "Την πρώτη του μήνα η Τσιχανόφσκαγια ανακοίνωσε κάτι .\n"
        "Στις 6 Δεκεμβρίου πορείες .\n"
        "Την επομένη οι συνταξιούχοι βγήκαν ξανά .\n"
        "На следующий день прошла акция.\n"
        "The next day, police detained 5 people."
    )
    assert [d[0] for d in dated(text)] == [
        "2020-11-30", "2020-12-01", "2020-12-06", "2020-12-07", "2020-12-08", "2020-12-09",
    ]  # fmt: skip
    warnings = parse_chronicle(text, year=2020).warnings
    assert any("line 2" in w and "2020-12-01" in w for w in warnings)


def test_date_in_the_middle_of_a_line_starts_a_new_entry() -> None:
    text = (
        "Στις 5 Νοεμβρίου ο ΟΑΣΕ δημοσίευσε έκθεση .\n"
        "Η έκθεση εδώ Στις 7 Νοεβρίου , πορείες στο Μινσκ ."
    )
    report = parse_chronicle(text, year=2020)
    assert [(e.edtf, e.line_start, e.line_end) for e in report.events] == [
        ("2020-11-05", 1, 2), ("2020-11-07", 2, 2),
    ]  # fmt: skip
    assert report.events[0].text.endswith("Η έκθεση εδώ")
    assert report.events[1].title.startswith("Πορείες στο Μινσκ")


def test_a_date_inside_a_sentence_does_not_split_the_chronicle() -> None:
    text = "Στις 8 Νοεμβρίου πορεία .\nΟ Λουκασένκο είπε ότι στις 10 Νοεμβρίου θα μιλήσει ."
    assert dated(text) == [("2020-11-08", 1, 2)]


def test_impossible_date_is_a_warning_not_an_anchor() -> None:
    report = parse_chronicle(
        "Στις 31 Φεβρουαρίου έγινε πορεία .\nΣτις 3 Μαρτίου πορεία .", year=2020
    )
    assert [e.edtf for e in report.events if e.edtf] == ["2020-03-03"]
    assert any("line 1: '31 Φεβρουαρίου' is not a real date" in w for w in report.warnings)


def test_year_comes_from_the_caller_or_from_later_text() -> None:
    text = "Στις 3 Νοεμβρίου πορεία .\nΜέχρι το τέλος του 2020 είχαν καταγραφεί θάνατοι ."
    assert parse_chronicle(text, year=2021).year_source == "caller"
    report = parse_chronicle(text)
    assert report.year_used == 2020 and "2020" in report.year_source
    assert report.events[0].edtf == "2020-11-03"


def test_no_year_anywhere_leaves_entries_undated_with_a_warning() -> None:
    report = parse_chronicle("Στις 3 Νοεμβρίου πορεία .")
    assert report.year_used is None and report.events[0].edtf is None
    assert report.events[0].date_evidence == "Στις 3 Νοεμβρίου"
    assert any("never states a year" in w for w in report.warnings)


def test_year_rolls_over_from_december_to_january() -> None:
    text = "On 30 December a march.\nOn 2 January another march."
    assert [d[0] for d in dated(text)] == ["2020-12-30", "2021-01-02"]


def test_text_without_dates_gives_zero_dated_events_and_a_warning() -> None:
    report = parse_chronicle("Η κυβέρνηση καταστέλλει τις διαδηλώσεις .\nΠολλοί συνελήφθησαν .")
    assert not report.dated_events and report.events and report.events[0].is_background
    assert any("No dated entries" in w for w in report.warnings)


def test_fuzzy_month_needs_a_long_word_and_a_day() -> None:
    assert month_of(fold("Νοεβρίου")) == (11, True)
    assert month_of(fold("августа")) == (8, False)
    assert month_of(fold("μαρτυρίες")) is None
    assert find_mentions("Η πορεία πήγε μέσα στην πόλη .") == []
    mentions = find_mentions("We may march in May.")  # lower-case may/march are not months
    assert [(m.kind, m.month) for m in mentions] == [("month", 5)]


def test_bare_date_headings_are_dropped_but_headings_with_text_are_kept() -> None:
    text = "## 9 августа 2020 г.\n## 10 августа 2020 г. — выборы: задержаны 3000 человек\n"
    report = parse_chronicle(text)
    assert [(e.edtf, e.title) for e in report.events] == [
        ("2020-08-10", "Выборы: задержаны 3000 человек")
    ]
