"""parse_chronicle end to end: the sample's structure, progress, cancellation, speed."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import sys
import time

import pytest

from belarchive.config import sample_chronicle_path
from belarchive.domain.values import FigureKind
from belarchive.errors import Cancelled, ValidationError
from belarchive.importing.chronicle import ChronicleReport, ProposedEvent, parse_chronicle

SAMPLE = sample_chronicle_path().read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def report() -> ChronicleReport:
    return parse_chronicle(SAMPLE)


def by_date(report: ChronicleReport, edtf: str) -> ProposedEvent:
    (event,) = [e for e in report.events if e.edtf == edtf]
    return event


def test_report_basics(report: ChronicleReport) -> None:
    assert report.language == "el" and report.line_count == 103
    assert report.year_used == 2020 and "line 99" in report.year_source
    assert [e.index for e in report.events] == list(range(len(report.events)))
    assert dataclasses.is_dataclass(report) and report.__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_last_entry_is_not_glued_to_the_background(report: ChronicleReport) -> None:
    last = by_date(report, "2020-12-27")
    assert (last.line_start, last.line_end) == (55, 57)
    following = report.events[last.index + 1]
    assert following.is_background and following.edtf is None and following.line_start == 58
    assert "background" in {t.key for t in following.tags}


def test_background_passages_keep_their_figures(report: ChronicleReport) -> None:
    background = [e for e in report.events if e.is_background]
    assert len(background) >= 5
    figures = {(f.kind, f.value_min, f.qualifier.value) for e in background for f in e.figures}
    assert (FigureKind.DETAINED, 30000, "more_than") in figures
    assert (FigureKind.DETAINED, 25000, "exact") in figures
    assert (FigureKind.KILLED, 4, "exact") in figures


def test_dates_inside_the_background_part(report: ChronicleReport) -> None:
    putin = by_date(report, "2020-08-27")
    assert not putin.is_background and putin.date_evidence == "στις 27 Αυγούστου του 2020"
    assert putin.date_confidence < by_date(report, "2020-11-03").date_confidence
    assert by_date(report, "2020-10-11~/2020-10-20~").title.startswith("Οι αστυνομικές αρχές")


def test_entry_details(report: ChronicleReport) -> None:
    first = by_date(report, "2020-12-01")
    assert first.date_evidence == "Την πρώτη του μήνα" and first.date_confidence < 0.9
    assert first.title.startswith("Η Σβετλάνα Τσιχανόφσκαγια ανακοίνωσε")
    dec6 = by_date(report, "2020-12-06")
    assert (dec6.line_start, dec6.line_end) == (31, 35)
    assert {"protest", "shutdown", "detention"} <= {t.key for t in dec6.tags}
    assert sorted((f.value_min, f.qualifier.value) for f in dec6.figures) == [
        (2, "exact"), (340, "at_least")
    ]  # fmt: skip
    for event in report.events:
        assert len(event.title) <= 120 and not event.title.endswith((" .", ","))
        for fig in event.figures:
            assert fig.evidence in fig.sentence and fig.sentence in event.text
            assert event.line_start <= fig.line <= event.line_end


def test_markdown_links_become_links_and_disappear_from_text() -> None:
    text = (
        "- On 9 August [Viasna](https://spring96.org/en/news/1) reported arrests: https://x.org/a."
    )
    (event,) = parse_chronicle(text, year=2020).events
    assert event.urls == ["https://spring96.org/en/news/1", "https://x.org/a"]
    assert "](" not in event.text and event.text.startswith("On 9 August Viasna reported")


def test_progress_and_cancel() -> None:
    calls: list[tuple[int, int]] = []
    parse_chronicle(SAMPLE * 5, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (calls[-1][1], calls[-1][1]) and len(calls) >= 2
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(calls))
    with pytest.raises(Cancelled):
        parse_chronicle(SAMPLE, cancel=lambda: True)


def test_parsing_grows_linearly_with_the_chronicle() -> None:
    # Not a timing target (bench/ holds those): a guard against work that grows with the
    # square of a chronicle's length. Eight times the lines costs about eight times the
    # CPU when parsing is linear, ~64 times when it is quadratic.
    lines = SAMPLE.split("\n")[:57]
    parse_chronicle("warm-up: vocabularies load once per process")

    def cpu(copies: int) -> tuple[float, int]:
        start = time.process_time()  # CPU time: other work on the machine does not count
        report = parse_chronicle("\n".join(lines * copies), year=2020)
        return time.process_time() - start, report.line_count

    small, small_lines = cpu(22)
    large, large_lines = cpu(176)  # ~10,000 lines of dense chronicle
    assert large_lines >= 10_000 and large_lines >= 7 * small_lines
    assert large < 16 * small, (
        f"{small:.2f} s for {small_lines} lines, {large:.2f} s for {large_lines}"
    )


def test_parser_imports_no_qt() -> None:
    code = (
        "import sys; sys.modules['PySide6'] = None\n"
        "import belarchive.importing.chronicle as c\n"
        "print(len(c.parse_chronicle('On 9 August 2020 a march.').events))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1"


@pytest.mark.parametrize("text", ["", "\n\n", "   ", "...", "12345", "\x00\x01"])
def test_degenerate_text_does_not_crash(text: str) -> None:
    report = parse_chronicle(text)
    assert not report.dated_events


@pytest.mark.parametrize(
    "text",
    [
        "задержаны 100 человек, " * 5000,  # one sentence, 5,000 figures
        "Στις 3 Νοεμβρίου 340 συλλήψεις " * 2000,  # one line, 2,000 mid-line entries
        "1 " * 30000,
        "a wrapped line without punctuation\n" * 20000,  # one long joined paragraph
    ],
)
def test_long_lines_stay_linear(text: str) -> None:
    start = time.process_time()
    parse_chronicle(text, year=2020)
    assert time.process_time() - start < 3.0


def test_impossible_year_from_the_caller_is_refused() -> None:
    with pytest.raises(ValidationError, match="not a plausible year"):
        parse_chronicle("Στις 3 Νοεμβρίου πορεία .", year=20)
