"""The stem equivalences are data (resources/search/stem-equivalents.txt): the shipped table
joins what it says, the index format follows it, and a broken table is named by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from belarchive.search import api, schema, stem_table, stemming
from belarchive.search.analysis import normalise
from belarchive.search.stem_table import StemTableError, parse
from belarchive.services import events, search_sync
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput


def _stem(word: str, rule: str) -> str:
    return stemming.stem(normalise(word), rule)


def test_the_shipped_table_joins_the_forms_it_lists() -> None:
    assert _stem("συνέλαβαν", stemming.GREEK) == _stem("συλλήψεις", stemming.GREEK)
    assert _stem("detention", stemming.ENGLISH) == _stem("detained", stemming.ENGLISH)
    assert _stem("policemen", stemming.ENGLISH) == _stem("police", stemming.ENGLISH)
    assert _stem("милиционеры", stemming.RUSSIAN) == _stem("милиция", stemming.RUSSIAN)
    assert _stem("пратэстоўцы", stemming.BELARUSIAN) == _stem("пратэст", stemming.BELARUSIAN)
    table = stem_table.load()
    assert set(table) == set(stem_table.LANGUAGES) and all(table.values())


def test_the_index_format_follows_the_stem_table() -> None:
    assert stem_table.digest() == schema.STEM_TABLE_DIGEST, (
        "resources/search/stem-equivalents.txt changed: bump INDEX_FORMAT and "
        "STEM_TABLE_DIGEST in search/schema.py (the index must be rebuilt)"
    )


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ("en: detent -> detain\nen detaine -> detain\n", 2, "expected 'language: stem -> stem'"),
        ("# a comment\n\nxx: detent -> detain\n", 3, "'xx' is not one of en, el, ru, be"),
        ("el: Συνελαβ -> συλληψ\n", 1, "'Συνελαβ' is not a folded stem"),
        ("el: συνέλαβ -> συλληψ\n", 1, "'συνέλαβ' is not a folded stem"),
        ("ru: ранен -> ран\nru: ранен -> рана\n", 2, "'ранен' is mapped twice"),
        ("en: a -> b\nen: b -> c\n", 2, "'b' is both mapped and mapped to"),
        ("en: b -> c\nen: a -> b\n", 2, "'b' is both mapped and mapped to"),
        ("en: detent -> detain -> x\n", 1, "expected 'language: stem -> stem'"),
    ],
)
def test_a_bad_line_is_named(text: str, line: int, says: str, tmp_path: Path) -> None:
    with pytest.raises(StemTableError) as caught:
        parse(text, tmp_path / "stem-equivalents.txt")
    message = caught.value.message
    assert f"stem-equivalents.txt, line {line}:" in message and says in message


def test_a_broken_table_stops_search_with_its_line(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never an index built with half a table: the search says which line to fix."""
    events.create_event(
        catalogue,
        "olga",
        EventInput(title="Detained at the march", date="2020-11-15", language="en"),
    )
    search_sync.attach(catalogue)  # built with the shipped table
    broken = tmp_path / "stem-equivalents.txt"
    broken.write_text("en: detent -> detain\nen: men => man\n", encoding="utf-8")
    monkeypatch.setattr(stem_table, "table_path", lambda: broken)
    stem_table.load.cache_clear()
    monkeypatch.setattr(stemming, "_caches", {rule: {} for rule in stemming._caches})
    try:
        with pytest.raises(StemTableError) as caught:
            api.search(catalogue, "brandnewword")
        assert "stem-equivalents.txt, line 2:" in caught.value.message
    finally:
        stem_table.load.cache_clear()
        search_sync.detach(catalogue)
