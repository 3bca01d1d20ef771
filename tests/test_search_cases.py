"""The per-language case table (tests/fixtures/search_cases.json) over a real index.

Every case becomes one event in a catalogue built once for this module; a case passes when
searching its query finds (or, for match=false, does not find) that event.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import PASSPHRASE

from belarchive.search import api
from belarchive.services import search_sync
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput

TABLE = json.loads((Path(__file__).parent / "fixtures" / "search_cases.json").read_text("utf-8"))
MINIMUM = {"el": 15, "ru": 15, "en": 15, "be": 6}

LANGUAGE_CASES = [(lang, case) for lang, cases in TABLE["cases"].items() for case in cases]
CROSS_CASES = TABLE["cross_script"]


def _title(index: int) -> str:
    return f"Case {index}"  # neutral: the text under test is the description


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Catalogue, list[str]]]:
    cat = Catalogue.create(
        tmp_path_factory.mktemp("cases") / "Cases.belarchive", admin="anna", passphrase=PASSPHRASE
    )
    rows: list[tuple[str, str]] = [(lang, c["text"]) for lang, c in LANGUAGE_CASES]
    rows += [(c["lang"], c["text"]) for c in CROSS_CASES]
    inputs = [
        EventInput(title=_title(i), date="2020-11-08", description=text, language=lang)
        for i, (lang, text) in enumerate(rows)
    ]
    create_events_bulk(cat, "anna", inputs)
    search_sync.attach(cat)
    with cat.reader.connect() as conn:
        by_title = dict(conn.exec_driver_sql("SELECT title, uuid FROM event").all())
    yield cat, [by_title[_title(i)] for i in range(len(rows))]
    search_sync.detach(cat)
    cat.close()


def test_table_has_enough_cases_per_language() -> None:
    for lang, minimum in MINIMUM.items():
        assert len(TABLE["cases"][lang]) >= minimum, lang


def _found(cat: Catalogue, query: str, cross_script: bool = True) -> list[str]:
    return api.search(cat, query, limit=500, cross_script=cross_script).uuids


@pytest.mark.parametrize(
    ("number", "lang", "case"),
    [(i, lang, case) for i, (lang, case) in enumerate(LANGUAGE_CASES)],
    ids=[f"{lang}:{c['query']}->{c['text'][:20]}" for lang, c in LANGUAGE_CASES],
)
def test_language_case(
    indexed: tuple[Catalogue, list[str]], number: int, lang: str, case: dict[str, Any]
) -> None:
    cat, uuids = indexed
    # Same-script matching only: the table tests analysis, not name keys.
    found = uuids[number] in _found(cat, case["query"], cross_script=False)
    assert found == case["match"], f"{lang}: {case['query']!r} vs {case['text']!r}"


@pytest.mark.parametrize(
    ("number", "case"),
    list(enumerate(CROSS_CASES)),
    ids=[f"{c['query']}->{c['text'][:20]}" for c in CROSS_CASES],
)
def test_cross_script_case(
    indexed: tuple[Catalogue, list[str]], number: int, case: dict[str, Any]
) -> None:
    cat, uuids = indexed
    uuid = uuids[len(LANGUAGE_CASES) + number]
    assert (uuid in _found(cat, case["query"])) == case["match"], case


def test_cross_script_can_be_switched_off(indexed: tuple[Catalogue, list[str]]) -> None:
    cat, uuids = indexed
    greek_minsk = next(i for i, c in enumerate(CROSS_CASES) if c["query"] == "Minsk")
    uuid = uuids[len(LANGUAGE_CASES) + greek_minsk]
    assert uuid in _found(cat, "Minsk")
    assert uuid not in _found(cat, "Minsk", cross_script=False)
