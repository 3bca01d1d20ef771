"""Fuzzing the ways text gets in: dates, numbers, the query language, JSON files.

None may end in anything but a result or belarchive's own clear error; after a refused
JSON file the catalogue is as it was (``check`` passes, nothing was half-imported).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import PASSPHRASE

from belarchive.errors import BelarchiveError, SearchQueryError, ValidationError
from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import import_json
from belarchive.search.query import parse
from belarchive.services import events, maintenance, validation
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput

DATEISH = st.text(
    alphabet=st.sampled_from(list("0123456789-/.~?%XuU ١٢٣٤٥٦٧٨٩٠٠ .T:Z+")), max_size=30
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(DATEISH, st.text(max_size=30)))
def test_dates_give_ordered_bounds_or_a_clear_refusal(value: str) -> None:
    try:
        bounds = validation.edtf(value)
    except ValidationError:
        return
    if bounds is not None and bounds.earliest and bounds.latest:
        assert bounds.earliest <= bounds.latest


NUMBERS = st.one_of(
    st.integers(), st.integers(min_value=2**62, max_value=2**70), st.floats(allow_nan=True),
    st.text(max_size=12), st.none(), st.booleans(), st.decimals(allow_nan=True),
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(NUMBERS, NUMBERS)
def test_figures_are_whole_numbers_in_range_or_refused(low: Any, high: Any) -> None:
    try:
        value_min, value_max = validation.figure_values(low, high)
    except ValidationError:
        return
    assert isinstance(value_min, int) and 0 <= value_min < 2**63
    assert value_max is None or value_min <= value_max < 2**63


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_any_query_parses_or_is_refused_clearly(text: str) -> None:
    with contextlib.suppress(SearchQueryError):
        parse(text)


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))] or [path]
    return [path]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
              st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                  max_size=3),
    max_leaves=6,
)  # fmt: skip


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("fuzz-src")
    cat = Catalogue.create(root / "Src.belarchive", admin="anna", passphrase=PASSPHRASE)
    events.create_event(cat, "anna", EventInput(
        title="Detentions in Minsk", date="2020-11-08", tags=("detention",), places=("minsk",),
        figures=(FigureInput("detained", 340, qualifier="at_least"),)))  # fmt: skip
    path = root / "one.json"
    export_json(cat, path)
    cat.close()
    return dict(json.loads(path.read_text(encoding="utf-8")))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=10**6), JSON_VALUES, st.booleans())
def test_a_mutated_json_file_imports_or_is_refused_and_harms_nothing(
    exported: dict[str, Any],
    tmp_path_factory: pytest.TempPathFactory,
    pick: int,
    value: Any,
    ascii_only: bool,
) -> None:
    doc = json.loads(json.dumps(exported))
    leaves = [p for p in _leaves(doc) if p]
    _set(doc, leaves[pick % len(leaves)], value)
    root = tmp_path_factory.mktemp("fuzz")
    path = root / "mutated.json"
    path.write_text(json.dumps(doc, ensure_ascii=ascii_only), encoding="utf-8")
    cat = Catalogue.create(root / "Dst.belarchive", admin="anna", passphrase=PASSPHRASE)
    try:
        with contextlib.suppress(BelarchiveError):
            import_json(cat, "anna", path)
        report = maintenance.check(cat)
        assert report.ok, ([p.message() for p in report.evidence_problems], report.audit)
    finally:
        cat.close()


def test_the_fuzz_corpus_starts_from_a_file_that_imports(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "as-is.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    cat = Catalogue.create(tmp_path / "Dst.belarchive", admin="anna", passphrase=PASSPHRASE)
    try:
        assert len(import_json(cat, "anna", path).event_uuids) == 1
    finally:
        cat.close()


def test_a_key_listed_twice_keeps_its_earliest_registration(
    exported: dict[str, Any], tmp_path: Path
) -> None:
    """Found by the fuzzer: a file listing one key twice, the first time from a later entry
    than the second, imported (its signatures hold from the earlier registration) but then
    failed `check`, which had kept the later one."""
    doc = json.loads(json.dumps(exported))
    keys = doc["header"]["public_keys"]
    late = max(h["seq"] for h in doc["history"]) + 1
    doc["header"]["public_keys"] = [{**keys[0], "from_seq": late}, {**keys[0], "from_seq": 1}]
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    cat = Catalogue.create(tmp_path / "Dst.belarchive", admin="anna", passphrase=PASSPHRASE)
    try:
        import_json(cat, "anna", path)
        report = maintenance.check(cat)
        assert report.ok, report
    finally:
        cat.close()
