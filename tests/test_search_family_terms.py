"""The index's family terms (families.FamilyTerms): one posting list per word family and
script stands for all the family's forms, and gives exactly the answer the forms give.

The catalogue is made of the chronicle fixtures' lines in all four languages, plus one
event per word of the family table, so every family has events to find.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from belarchive.search import api, families, schema, store
from belarchive.search.compile import compile_query
from belarchive.search.query import parse
from belarchive.search.resolver import DbResolver
from belarchive.search.searching import run
from belarchive.services import search_sync
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput

CHRONICLES = Path(__file__).parent / "fixtures" / "chronicles"
_LANGUAGE = re.compile(r"^(el|ru|be|en)-")


def _lines() -> list[tuple[str, str]]:
    out = []
    for path in sorted(CHRONICLES.iterdir()):
        found = _LANGUAGE.match(path.name)
        if not found or path.suffix not in (".md", ".txt"):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # the fixtures of legacy encodings
        for line in text.splitlines():
            text = line.strip("-#* ").strip()
            if len(text) > 20:
                out.append((found.group(1), text))
    return out


def _table_words() -> list[tuple[str, str]]:
    return [(lang, w) for f in families.load() for lang, ws in f.words.items() for w in ws]


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    from support import PASSPHRASE

    path = tmp_path_factory.mktemp("family-terms") / "Families.belarchive"
    catalogue = Catalogue.create(path, admin="anna", passphrase=PASSPHRASE)
    texts = _lines() + [(lang, f"Сообщение: {w}. Report." if lang in ("ru", "be") else w)
                        for lang, w in _table_words()]  # fmt: skip
    inputs = [
        EventInput(title=f"Event {i}", date="2020-11-08", language=lang, description=text)
        for i, (lang, text) in enumerate(texts)
    ]
    create_events_bulk(catalogue, "anna", inputs)
    search_sync.attach(catalogue)
    yield catalogue
    search_sync.detach(catalogue)
    catalogue.close()


def _answer(cat: Catalogue, query: str, family_terms: bool) -> tuple[set[str], int]:
    index = api.index_for(cat)
    with index.searcher() as searcher:
        found = run(searcher, cat.reader, query, limit=None, family_terms=family_terms)
    return set(found.uuids), found.total


def test_the_index_format_follows_the_family_table() -> None:
    assert families.digest() == schema.FAMILY_TABLE_DIGEST, (
        "resources/search/families.txt changed: bump INDEX_FORMAT and "
        "FAMILY_TABLE_DIGEST in search/schema.py (the index must be rebuilt)"
    )
    assert families.index_digest() == schema.FAMILY_TABLE_DIGEST


def test_the_index_records_the_table_and_holds_its_terms(cat: Catalogue) -> None:
    index = api.index_for(cat)
    assert index.state is not None and index.state.families == schema.FAMILY_TABLE_DIGEST
    with index.searcher() as searcher:
        reader = searcher.reader()
        held = {t.decode() for t in reader.lexicon("family")}
    # Every family has words in the catalogue, in every script the table gives it.
    expected = {f.index_term(s) for f in families.load() for s in f.stems}
    assert held == expected


def test_a_family_word_searches_one_term(cat: Catalogue) -> None:
    compiled = compile_query(parse("συλλήψεις"), DbResolver(cat.reader),
                             families=families.load(), family_terms=True)  # fmt: skip
    fields = [name for name, _text in compiled.query.all_terms()]
    assert fields.count("family") == 1 and len(fields) < 8
    unpacked = compile_query(parse("συλλήψεις"), DbResolver(cat.reader),
                             families=families.load())  # fmt: skip
    assert len(unpacked.query.all_terms()) > 10


@pytest.mark.parametrize("language", ["el", "ru", "be", "en"])
def test_every_word_of_the_table_finds_what_its_forms_find(cat: Catalogue, language: str) -> None:
    words = [w for lang, w in _table_words() if lang == language]
    assert len(words) >= 10
    found_any = 0
    for word in words:
        via_term = _answer(cat, word, family_terms=True)
        via_forms = _answer(cat, word, family_terms=False)
        assert via_term == via_forms, word
        found_any += bool(via_term[0])
    assert found_any == len(words)


@pytest.mark.parametrize(
    "query",
    ["задержание -Минск", "arrest OR марш", "(συλληψη OR πορεία) -αστυνομία", "NOT detained",
     "протест Минск", "Марш"],
)  # fmt: skip
def test_negated_and_mixed_family_words_give_the_same_answer(cat: Catalogue, query: str) -> None:
    via_term = _answer(cat, query, family_terms=True)
    assert via_term == _answer(cat, query, family_terms=False), query
    assert via_term[1] > 0


def test_another_table_writes_no_terms_and_the_index_is_rebuilt(
    cat: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = tmp_path / "families.txt"
    shutil.copy(families.table_path(), edited)
    with edited.open("a", encoding="utf-8") as out:
        out.write("# a reviewer's edit\n")
    monkeypatch.setattr(families, "table_path", lambda: edited)
    assert families.index_digest() == ""  # not the table this index format pins
    index = api.index_for(cat)
    health = store.diagnose(index.folder, cat.catalogue_id, index.head_seq())
    assert health.status == store.OUTDATED and "family table" in health.message
    expected = _answer(cat, "συλληψη", family_terms=False)
    # A search now widens with the forms (the recorded table is not the current one) ...
    assert api.search(cat, "συλληψη", limit=None).total == expected[1]
    # ... and a rebuild writes no family terms, and records that it did not.
    api.rebuild_index(cat)
    assert index.state is not None and index.state.families == ""
    with index.searcher() as searcher:
        assert not list(searcher.reader().lexicon("family"))
    assert set(api.search(cat, "συλληψη", limit=None).uuids) == expected[0]
    monkeypatch.undo()
    api.rebuild_index(cat)  # the module's catalogue, as the other tests expect it
    assert index.state is not None and index.state.families == schema.FAMILY_TABLE_DIGEST
