"""Measured quality against hand-written expected results (tests/fixtures/chronicles).

The thresholds are what the parser honestly meets; the full table is printed by
``python -m belarchive.importing.chronicle.quality`` and kept in docs/import-quality.md.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from belarchive.importing.chronicle.model import ChronicleReport
from belarchive.importing.chronicle.quality import FIXTURES, REPO_ROOT, Score, _score, evaluate, run

SAMPLE = FIXTURES / "belarus-2020-11-12.el.expected.json"


@pytest.fixture(scope="module")
def sample() -> tuple[ChronicleReport, dict[str, Score]]:
    return run(SAMPLE)


def test_scoring_counts_matches_as_multisets() -> None:
    s = _score([("a",), ("a",), ("b",)], [("a",), ("c",)])
    assert (s.expected, s.found, s.correct) == (3, 2, 1)
    assert s.precision == 0.5 and s.recall == pytest.approx(1 / 3)
    assert _score([], []).precision == 1.0


def test_sample_every_dated_entry_has_the_right_date(sample: tuple) -> None:
    _, scores = sample
    assert scores["dates"].expected == 21
    assert scores["dates"].recall == 1.0 and scores["dates"].precision == 1.0
    assert scores["line spans"].recall == 1.0


def test_sample_every_detention_figure_has_value_and_qualifier(sample: tuple) -> None:
    _, scores = sample
    detained = scores["detained figures"]
    # 12 dated, with the arrest of 24 November said without a numeral, and Kolesnikova's
    # arrest in the background part: every detention figure of the sample.
    assert detained.expected == 13 and detained.recall == 1.0 and detained.precision == 1.0
    assert scores["all figures"].recall == 1.0 and scores["all figures"].precision >= 0.9


def test_sample_places_and_background(sample: tuple) -> None:
    _, scores = sample
    assert scores["places"].recall >= 0.95 and scores["places"].precision >= 0.95
    assert scores["background passages"].recall >= 0.85


def test_sample_detention_figures_by_date(sample: tuple) -> None:
    report, _ = sample
    found = Counter(
        (e.edtf, f.value_min, f.qualifier.value)
        for e in report.events
        if not e.is_background
        for f in e.figures
        if f.kind.value == "detained"
    )
    assert found == Counter(
        {
            ("2020-11-08", 340, "at_least"): 1,
            ("2020-11-15", 390, "approximately"): 1,
            ("2020-11-24", 1, "exact"): 1,
            ("2020-11-29", 170, "more_than"): 1,
            ("2020-11-30", 12, "at_least"): 1,
            ("2020-12-06", 340, "at_least"): 1,
            ("2020-12-06", 2, "exact"): 1,
            ("2020-12-13", 200, "exact"): 1,
            ("2020-12-14", 80, "exact"): 1,
            ("2020-12-20", 150, "approximately"): 1,
        }
    )


@pytest.mark.parametrize("name", ["ru-2020", "en-2020", "be-2020"])
def test_development_fixtures(name: str) -> None:
    _, scores = run(FIXTURES / f"{name}.expected.json")
    assert scores["dates"].recall >= 0.95 and scores["dates"].precision >= 0.95
    assert scores["detained figures"].recall >= 0.9 and scores["detained figures"].precision >= 0.9
    assert scores["places"].recall >= 0.9 and scores["places"].precision >= 0.9


@pytest.mark.parametrize("name", ["ru-holdout-2021", "en-holdout-2021", "el-holdout-2020"])
def test_holdout_fixtures_meet_lower_bars(name: str) -> None:
    # Written after the parser was frozen, never tuned against: the bars are lower on purpose.
    _, scores = run(FIXTURES / f"{name}.expected.json")
    assert scores["dates"].recall >= 0.9 and scores["dates"].precision >= 0.9
    assert scores["detained figures"].recall >= 0.8 and scores["detained figures"].precision >= 0.8
    assert scores["places"].recall >= 0.8 and scores["places"].precision >= 0.8


def test_evaluate_penalises_a_wrong_date() -> None:
    report, _ = run(SAMPLE)
    data = {
        "entries": [{"date": "2020-11-04", "lines": [1, 2], "places": [], "figures": []}],
        "background": [],
    }
    scores = evaluate(report, data)
    assert scores["dates"].correct == 0 and scores["dates"].recall == 0.0


def test_expected_files_name_existing_texts() -> None:
    for path in FIXTURES.glob("*.expected.json"):
        assert path.stat().st_size > 100
        text = path.read_text(encoding="utf-8")
        assert ('"entries"' in text or '"items"' in text) and path.name.endswith(".expected.json")
        data = json.loads(text)
        assert (REPO_ROOT / data["text"]).is_file()


ITEM_TUNED = [
    "ru-digest-2020-11",
    "en-daily-2020-11",
    "be-chronicle-2020-12",
    "el-chronicle-2020-08",
]
ITEM_HOLDOUTS = [
    "ru-digest-holdout-2020-12",
    "en-daily-holdout-2021-01",
    "be-chronicle-holdout-2021-02",
    "el-chronicle-holdout-2021",
    "ru-telegram-holdout2-2021-01",
    "en-weekly-holdout2-2021-03",
    "be-numbered-holdout2-2021-03",
    "el-chronicle-holdout2-2021",
]


@pytest.mark.parametrize("name", ITEM_TUNED + ITEM_HOLDOUTS)
def test_item_level_fixtures_meet_the_issue_targets(name: str) -> None:
    """Issue 9's targets, on every item-level fixture (the hold-outs were measured first on
    the frozen parser; docs/import-quality.md keeps those first-run figures)."""
    data = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    assert len(data["items"]) >= 30
    _, s = run(FIXTURES / f"{name}.expected.json")
    assert s["headings dated"].recall >= 0.99
    assert s["detained figures"].recall >= 0.85 and s["detained figures"].precision >= 0.85
    assert s["running totals kept out"].recall == 1.0  # no running total in any daily total
    assert s["item boundaries"].precision >= 0.85  # proposed events are one news item
    assert s["links cited"].recall >= 0.9


def test_item_level_evaluation_counts_a_running_total_counted_as_an_incident() -> None:
    report, _ = run(FIXTURES / "ru-digest-2020-11.expected.json")
    data = json.loads((FIXTURES / "ru-digest-2020-11.expected.json").read_text(encoding="utf-8"))
    for item in data["items"]:  # pretend the text said these were one day's detentions
        for f in item["figures"]:
            f["scope"] = "incident"
    scores = evaluate(report, data)
    assert scores["running totals kept out"].expected == 0
    assert scores["detained figures"].precision < 1.0
