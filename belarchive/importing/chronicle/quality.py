"""Precision and recall of the chronicle parser against hand-written expected results.

    .venv/bin/python -m belarchive.importing.chronicle.quality [expected.json ...]

Without arguments it evaluates every tests/fixtures/chronicles/*.expected.json of a source
checkout and prints one table (the one recorded in docs/import-quality.md).

Two forms of expected results:
* day level (``entries``, the first fixtures): the items of one day are pooled, so dates are
  compared as the set of days, figures by (day, kind, value, qualifier), places by (day, key);
* item level (``items``, ``format`` 2): every news item with its line span, date, figures
  (with scope), places and links, and the day headings. Items are matched by their span.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from belarchive.domain.values import FigureKind
from belarchive.importing.chronicle.decoding import read_chronicle_file
from belarchive.importing.chronicle.model import ChronicleReport
from belarchive.importing.chronicle.parser import parse_chronicle

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "chronicles"
BACKGROUND = "background"


@dataclass(frozen=True, slots=True)
class Score:
    expected: int
    found: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.expected if self.expected else 1.0


def _score(expected: Iterable[tuple[object, ...]], found: Iterable[tuple[object, ...]]) -> Score:
    exp, got = Counter(expected), Counter(found)
    return Score(sum(exp.values()), sum(got.values()), sum((exp & got).values()))


def _expected_figures(data: dict[str, Any], kinds: set[str] | None) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for entry in data["entries"]:
        out += [
            (entry["date"], f["kind"], f["value"], f["qualifier"])
            for f in entry["figures"]
            if kinds is None or f["kind"] in kinds
        ]
    for passage in data["background"]:
        out += [
            (BACKGROUND, f["kind"], f["value"], f["qualifier"])
            for f in passage["figures"]
            if kinds is None or f["kind"] in kinds
        ]
    return out


def _found_figures(report: ChronicleReport, kinds: set[str] | None) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for event in report.events:
        key = BACKGROUND if event.is_background else event.edtf
        out += [
            (key, f.kind.value, f.value_min, f.qualifier.value)
            for f in event.figures
            if kinds is None or f.kind.value in kinds
        ]
    return out


def evaluate(report: ChronicleReport, data: dict[str, Any]) -> dict[str, Score]:
    """Scores of one report against one expected-results document."""
    if "items" in data:
        return evaluate_items(report, data)
    dated = [e for e in report.events if e.edtf is not None and not e.is_background]
    spans = {(e.edtf, e.line_start, e.line_end) for e in dated}
    detained = {FigureKind.DETAINED.value}
    scores = {
        "dates": _score({(e["date"],) for e in data["entries"]}, {(e.edtf,) for e in dated}),
        "line spans": _score(
            [(e["date"], *e["lines"]) for e in data["entries"]],
            [s for s in spans if s[0] in {e["date"] for e in data["entries"]}],
        ),
        "detained figures": _score(
            _expected_figures(data, detained), _found_figures(report, detained)
        ),
        "all figures": _score(_expected_figures(data, None), _found_figures(report, None)),
        "places": _score(
            [(e["date"], p) for e in data["entries"] for p in e["places"]],
            [(e.edtf, p.key) for e in dated for p in e.places],
        ),
        "background passages": _score(
            [(p["lines"][0],) for p in data["background"]],
            [(e.line_start,) for e in report.events if e.is_background],
        ),
    }
    if report.sections:  # item-level parse of a day-level fixture: spans are items, not days
        del scores["line spans"]
    return scores


def _item_key(e: dict[str, Any]) -> str:
    return "background" if e.get("background") else str(e.get("date"))


def evaluate_items(report: ChronicleReport, data: dict[str, Any]) -> dict[str, Score]:
    """Item-level scores: headings, boundaries, dates, figures with scope, places, links."""
    items = data["items"]
    found = report.events
    by_start = {e.line_start: e for e in found}

    def figs(
        kinds: set[str] | None, incident_only: bool = False
    ) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
        exp: list[tuple[object, ...]] = [
            (_item_key(i), f["kind"], f["value"], f["qualifier"], f.get("scope", "incident"))
            for i in items
            for f in i["figures"]
            if (kinds is None or f["kind"] in kinds)
        ]
        got: list[tuple[object, ...]] = [
            (
                "background" if e.is_background else e.edtf,
                f.kind.value,
                f.value_min,
                f.qualifier.value,
                f.scope.value,
            )
            for e in found
            for f in e.figures
            if kinds is None or f.kind.value in kinds
        ]
        return exp, got

    exp_d, got_d = figs({FigureKind.DETAINED.value})
    exp_a, got_a = figs(None)
    totals = [
        (i["lines"][0], f["value"])
        for i in items
        for f in i["figures"]
        if f.get("scope") == "period"
    ]
    counted_totals = [
        (line, value)
        for line, value in totals
        if (e := by_start.get(line)) is not None
        and any(f.value_min == value and f.scope.value == "incident" for f in e.figures)
    ]
    linked = [(i["lines"][0], url) for i in items for url in i.get("links", [])]
    return {
        "headings dated": _score(
            [(h[0], h[1]) for h in data.get("headings", [])],
            [(s.line, s.edtf) for s in report.sections if s.edtf],
        ),
        "item boundaries": _score(
            [tuple(i["lines"]) for i in items], [(e.line_start, e.line_end) for e in found]
        ),
        "item dates": _score(
            [(i["lines"][0], i["date"]) for i in items if not i.get("background")],
            [(e.line_start, e.edtf) for e in found if not e.is_background and e.edtf],
        ),
        "detained figures": _score(exp_d, got_d),
        "all figures": _score(exp_a, got_a),
        "places": _score(
            [(i["lines"][0], p) for i in items for p in i.get("places", [])],
            [(e.line_start, p.key) for e in found for p in e.places],
        ),
        "links cited": _score(
            linked,
            [(e.line_start, u) for e in found for u in e.urls if (e.line_start, u) in set(linked)]
            + [
                x
                for x in [(e.line_start, u) for e in found for u in e.urls]
                if x not in set(linked)
            ],
        ),
        # Recall here is the share of running totals kept out of daily totals (must be 1.00).
        "running totals kept out": Score(
            len(totals), len(totals), len(totals) - len(counted_totals)
        ),
    }


def run(expected_path: Path) -> tuple[ChronicleReport, dict[str, Score]]:
    data = json.loads(expected_path.read_text(encoding="utf-8"))
    decoded = read_chronicle_file(REPO_ROOT / data["text"])
    report = parse_chronicle(decoded.text, year=data.get("year"))
    return report, evaluate(report, data)


def holdout(path: Path) -> bool:
    return "holdout" in path.name


def table(paths: list[Path]) -> str:
    rows = [
        "| file | measure | expected | found | correct | precision | recall |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for path in paths:
        _, scores = run(path)
        name = path.name.removesuffix(".expected.json")
        for measure, s in scores.items():
            rows.append(
                f"| {name} | {measure} | {s.expected} | {s.found} | {s.correct} | "
                f"{s.precision:.2f} | {s.recall:.2f} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted(FIXTURES.glob("*.expected.json"))
    if not paths:
        print("No expected-results files found.", file=sys.stderr)
        return 1
    print(table(paths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
