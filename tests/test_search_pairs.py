"""Word pairs with a common word (search/pairs.py, search/phrases.py): phrases of common
words are checked only where their pairs are, and give the same answer as Whoosh's own
phrase matcher; the index is tied to the common-word list it was built with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from whoosh import query as wq

from belarchive.search import api, pairs, schema
from belarchive.search.compile import compile_query
from belarchive.search.phrases import CheckedPhrase, PairPhrase
from belarchive.search.query import parse
from belarchive.search.resolver import DbResolver
from belarchive.services import search_sync
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput

TEXTS = [
    "Η αστυνομία συνέλαβε διαδηλωτές στην πορεία.",
    "Στην πορεία η αστυνομία ήταν παντού, η πορεία συνεχίστηκε.",
    "В Минске задержали участников марша.",
    "Марш прошёл в Минске и в Гродно.",
    "The police detained students of the university.",
    "Students of the city marched; the police watched.",
]


@pytest.fixture
def cat(catalogue: Catalogue) -> Iterator[Catalogue]:
    create_events_bulk(catalogue, "anna", [
        EventInput(title=f"Event {i}", date="2020-11-08", description=t,
                   language="el" if i < 2 else "ru" if i < 4 else "en")
        for i, t in enumerate(TEXTS)
    ])  # fmt: skip
    search_sync.attach(catalogue)
    yield catalogue
    search_sync.detach(catalogue)


class _NoResolver:
    def tag_keys(self, value: str) -> list[str]:
        return []

    def place_keys(self, value: str, cross_script: bool) -> list[str]:
        return []

    def concept_tag_keys(self, word: str) -> list[str]:
        return []


def test_a_phrase_with_a_common_word_is_checked_through_its_pairs() -> None:
    compiled = compile_query(parse('"η αστυνομία ήταν"'), _NoResolver(), families=None)
    assert isinstance(compiled.query, CheckedPhrase)
    rare = compile_query(parse('"αστυνομία συνέλαβε"'), _NoResolver(), families=None)
    assert isinstance(rare.query, wq.Sequence)  # two rarer words: Whoosh checks them


def test_two_words_with_a_common_one_are_answered_by_their_pairs() -> None:
    compiled = compile_query(parse('"η αστυνομία"'), _NoResolver(), families=None)
    assert isinstance(compiled.query, PairPhrase)
    # the word's stem and its script-neutral key, each beside the common word
    assert compiled.query.pairs == ["η+αστυνομ", "η+~stnm"]
    assert compiled.phrases == ["η αστυνομία"]  # still highlighted as a phrase


@pytest.mark.parametrize(
    "phrase", ['"в Минске"', '"η αστυνομία"', '"the police"', '"of the"', '"η πορεία"']
)
def test_pairs_answer_and_weigh_two_words_as_the_position_check_does(
    cat: Catalogue, phrase: str
) -> None:
    create_events_bulk(
        cat,
        "anna",
        [
            EventInput(
                title="В Минске",
                date="2020-11-09",
                language="ru",
                description="В Минске и снова в Минске; в минске тихо. Η αστυνομία, η αστυνομία.",
            )
        ],
    )  # fmt: skip  (the phrase five times: twice in the title, which counts twice)
    pair = compile_query(parse(phrase), DbResolver(cat.reader), families=None).query
    assert isinstance(pair, PairPhrase)
    checked = CheckedPhrase("body", pair.positions, [pair.pairs])
    with api.index_for(cat).searcher() as searcher:
        theirs = [(searcher.stored_fields(h.docnum)["uuid"], h.score)
                  for h in searcher.search(checked, limit=None)]  # fmt: skip
    ours = api.search(cat, phrase, limit=None, word_families=False)
    assert [h.uuid for h in ours.hits] == [u for u, _s in theirs] and ours.total == len(theirs)
    assert [h.score for h in ours.hits] == pytest.approx([s for _u, s in theirs])
    assert theirs and ours.total_exact


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ('"η αστυνομία"', 2),
        ('"στην πορεία"', 2),
        ('"η πορεία"', 1),
        ('"в Минске"', 2),
        ('"of the"', 2),
        ('"the police"', 2),
        ('"students of the university"', 1),
        ('"η αστυνομία ήταν παντού"', 1),
        ('"в Гродно и"', 0),
    ],
)
def test_checked_phrases_find_what_whooshs_phrase_finds(
    cat: Catalogue, phrase: str, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = set(api.search(cat, phrase, limit=None, word_families=False).uuids)
    monkeypatch.setattr(pairs, "required", lambda *_a: [])  # Whoosh's own phrase matcher
    plain = set(api.search(cat, phrase, limit=None, word_families=False).uuids)
    assert checked == plain and len(checked) == expected


def test_the_index_format_follows_the_common_word_list() -> None:
    assert pairs.digest() == schema.COMMON_WORDS_DIGEST, (
        "resources/search/common-words.txt changed: bump INDEX_FORMAT and "
        "COMMON_WORDS_DIGEST in search/schema.py (the index must be rebuilt)"
    )
    # και stems to κα in Greek: the list holds index terms, not words
    assert {"η", "в", "the", "κα"} <= pairs.common_terms() and "" not in pairs.common_terms()
