"""The query language: what parses to what, and every malformed query as a clear message."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import PASSPHRASE

from belarchive.errors import SearchQueryError
from belarchive.search import api
from belarchive.search.query import And, FieldFilter, Not, Or, Phrase, Word, parse
from belarchive.services import search_sync
from belarchive.services.catalogue import Catalogue
from belarchive.services.events import create_event
from belarchive.services.inputs import EventInput


def test_words_are_anded_and_operators_group() -> None:
    assert parse("συλληψη Μινσκ") == And((Word("συλληψη"), Word("Μινσκ")))
    assert parse("a OR b c") == Or((Word("a"), And((Word("b"), Word("c")))))
    assert parse("(a OR b) c") == And((Or((Word("a"), Word("b"))), Word("c")))
    assert parse("a AND NOT b") == And((Word("a"), Not(Word("b"))))
    assert parse("a -b") == And((Word("a"), Not(Word("b"))))
    assert parse("anti-war") == Word("anti-war")


def test_phrases_prefixes_and_fields() -> None:
    assert parse('"βία της αστυνομίας"') == Phrase(("βία", "της", "αστυνομίας"))
    assert parse("συλλ*") == Word("συλλ", prefix=True)
    assert parse('actor:"Alexander Lukashenko"') == FieldFilter("actor", "Alexander Lukashenko")
    assert parse("status:In-Review") == FieldFilter("status", "in_review")
    assert parse("TAG:detention") == FieldFilter("tag", "detention")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("date:2020-11..2020-12", date(2020, 11, 1), date(2020, 12, 31)),
        ("date:2020-11-15", date(2020, 11, 15), date(2020, 11, 15)),
        ("date:2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("date:2020-02", date(2020, 2, 1), date(2020, 2, 29)),
        ("date:2020-11..", date(2020, 11, 1), None),
        ("date:..2020-10", None, date(2020, 10, 31)),
    ],
)
def test_date_ranges(text: str, start: date | None, end: date | None) -> None:
    node = parse(text)
    assert isinstance(node, FieldFilter)
    assert (node.start, node.end) == (start, end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"unclosed phrase', "quotation mark is not closed"),
        ('a "b', "quotation mark is not closed"),
        ("(a OR b", "not closed"),
        ("a)", "no opening one"),
        ("((a)", "not closed"),
        ("()", "empty parentheses"),
        ("tag:", "needs a value"),
        ("tag: detention", "needs a value"),
        ('place:""', "empty quotes"),
        ("colour:red", "not a search field"),
        ("AND a", "needs a search term on both sides"),
        ("a OR", "ends too early"),
        ("a AND OR b", "needs a search term on both sides"),
        ("NOT", "ends too early"),
        ('""', "Empty quotes"),
        ("x*", "at least 2 letters"),
        ("a*b", "only a star at the end"),
        ("status:maybe", "not a status"),
        ("lang:klingon", "not a language code"),
        ("date:2020-13", "not a valid date"),
        ("date:yesterday", "not a date"),
        ("date:2020-12..2020-01", "ends before it begins"),
        ("date:..", "at least one end"),
        ("a" * 2001, "too long"),
    ],
)
def test_malformed_queries_raise_a_clear_message(text: str, expected: str) -> None:
    with pytest.raises(SearchQueryError) as info:
        parse(text)
    assert expected in info.value.message


def test_a_query_of_punctuation_only_is_refused(small_catalogue: Catalogue) -> None:
    with pytest.raises(SearchQueryError, match="no letters or digits"):
        api.search(small_catalogue, "- … ;")
    assert api.search(small_catalogue, "").total == 1  # empty: every event (listing filters)


@given(st.text(alphabet=st.sampled_from(list("ab Μινσκ():\"*-ANDORTtagplce2019.\\'")), max_size=40))
@settings(max_examples=300, deadline=None)
def test_parse_never_raises_anything_else(text: str) -> None:
    with contextlib.suppress(SearchQueryError):
        parse(text)


@pytest.fixture(scope="module")
def small_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    cat = Catalogue.create(
        tmp_path_factory.mktemp("q") / "Q.belarchive", admin="anna", passphrase=PASSPHRASE
    )
    search_sync.attach(cat)
    create_event(
        cat,
        "anna",
        EventInput(
            title="Πορεία στο Μινσκ",
            date="2020-11-08",
            description="Συλλήψεις διαδηλωτών.",
            language="el",
            tags=("protest",),
            places=("minsk",),
        ),
    )
    yield cat
    search_sync.detach(cat)
    cat.close()


@given(st.text(max_size=30))
@settings(max_examples=150, deadline=None)
def test_search_raises_only_search_query_errors(small_catalogue: Catalogue, text: str) -> None:
    with contextlib.suppress(SearchQueryError):
        api.search(small_catalogue, text)
