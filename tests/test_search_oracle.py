"""Complete answers: every exact query mode returns what scanning the analysed text finds.

The catalogue is made of common words on purpose, so that phrases and prefixes have many
candidates (the case the old caps cut short). The oracle (bench/search_oracle.py) shares
only the indexer's analysis with the search: no index, matcher, collector or cap.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from belarchive.errors import SearchTooCostly
from belarchive.search import api, capped, prefix, searching
from belarchive.search.compile import compile_query
from belarchive.search.phrases import CheckedPhrase
from belarchive.search.query import parse
from belarchive.search.resolver import DbResolver
from belarchive.search.simplify import simplify
from belarchive.services import search_sync
from belarchive.services.bulk import create_events_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput
from belarchive.storage.queries import EventFilter
from bench.search_oracle import complete_answer, scan

EL = (
    "η αστυνομία συνέλαβε διαδηλωτές στην πορεία για την ελευθερία οι συλλήψεις "
    "συνεχίστηκαν όταν"
)  # όταν: a word the Greek stemmer empties, a gap in the index
RU = "в Минске задержали участников марша после акции протеста задержанных было много"
EN = "the police detained protesters at the march and the arrests went on in the city"
NAMES = {
    "el": ["Σβετλάνα Τσιχανόφσκαγια", "Μινσκ", "Λουκασένκο"],
    "ru": ["Светлана Тихановская", "Гродно", "Лукашенко"],
    "en": ["Sviatlana Tsikhanouskaya", "Brest", "Lukashenko"],
}
WORDS = {"el": EL.split(" "), "ru": RU.split(" "), "en": EN.split(" ")}
QUERIES = [
    # phrases, common and rare, and names across scripts
    '"η αστυνομία"',
    '"the police"',
    '"в Минске"',
    '"Светлана Тихановская"',
    '"Sviatlana Tsikhanouskaya"',
    '"συνέλαβε διαδηλωτές στην"',
    '"the march" -police',
    # a word the stemmer empties: a gap inside a phrase, left out at either end
    '"αστυνομία όταν συνέλαβε"',
    '"συνεχίστηκαν όταν"',
    '"όταν η αστυνομία"',
    '"όταν όταν"',
    # prefixes, short and long
    "συ*",
    "συλλ*",
    "за*",
    "pro*",
    "μι* OR гр*",
    "Тихан*",  # a name's prefix, across scripts
    "Lukash* -πορεία",
    # fields
    "tag:detention",
    "place:minsk",
    "status:unverified",
    "lang:ru",
    "date:2020-11",
    "actor:Lukashenko",
    "tag:protest -tag:detention",
    # words, families and mixtures
    "συλληψη",
    "задержание",
    "arrest",
    "police OR полиция",
    '"the police" date:2020-11-05..2020-11-20',
    "(πορεία OR марш) place:minsk",
    "NOT arrest",
]


def _event(rng: random.Random, i: int) -> EventInput:
    lang = rng.choice(("el", "ru", "en"))
    words = WORDS[lang]
    text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 18)))
    if rng.random() < 0.3:
        text += " " + rng.choice(NAMES[lang]) + " " + " ".join(rng.sample(words, 3))
    return EventInput(
        title=f"{rng.choice(words).capitalize()} {i}",
        date=f"2020-{rng.choice((10, 11, 12))}-{rng.randint(1, 28):02d}",
        language=lang,
        description=text,
        tags=tuple(rng.sample(("protest", "detention", "statement"), rng.randint(0, 2))),
        places=tuple(rng.sample(("minsk", "grodno", "brest"), rng.randint(0, 1))),
        actors=(ActorInput("Alexander Lukashenko"),) if rng.random() < 0.1 else (),
    )


@pytest.fixture(scope="module")
def cat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalogue]:
    from support import PASSPHRASE

    path = tmp_path_factory.mktemp("oracle") / "Oracle.belarchive"
    catalogue = Catalogue.create(path, admin="anna", passphrase=PASSPHRASE)
    rng = random.Random(7)
    create_events_bulk(catalogue, "anna", [_event(rng, i) for i in range(400)])
    search_sync.attach(catalogue)
    yield catalogue
    search_sync.detach(catalogue)
    catalogue.close()


@pytest.fixture(scope="module")
def scanned(cat: Catalogue) -> list[object]:
    return list(scan(cat.reader))


def _check(cat: Catalogue, scanned: list[object], query: str, **kwargs: object) -> int:
    expected = complete_answer(cat.reader, query, events=scanned, **kwargs)  # type: ignore[arg-type]
    filters = kwargs.get("filters")
    got = api.search(
        cat,
        query,
        limit=10_000,
        filters=filters,  # type: ignore[arg-type]
        cross_script=bool(kwargs.get("cross_script", True)),
        word_families=bool(kwargs.get("word_families", True)),
    )
    assert set(got.uuids) == expected, query
    assert got.total_exact and got.total == len(expected), query
    return len(expected)


@pytest.mark.parametrize("query", QUERIES)
def test_every_query_equals_the_oracle(cat: Catalogue, scanned: list[object], query: str) -> None:
    _check(cat, scanned, query)
    _check(cat, scanned, query, word_families=False, cross_script=False)


def test_the_queries_are_not_trivial(cat: Catalogue, scanned: list[object]) -> None:
    sizes = [_check(cat, scanned, q) for q in QUERIES]
    assert sum(1 for n in sizes if 0 < n < 400) >= len(QUERIES) - 2  # most match some, not all
    assert _check(cat, scanned, '"Светлана Тихановская"') > _check(
        cat, scanned, '"Светлана Тихановская"', cross_script=False
    )


def test_a_quoted_names_spellings_are_checked_by_position_not_whooshs_spans(
    cat: Catalogue, scanned: list[object]
) -> None:
    # The quoted name above equals the oracle through this path; Whoosh's Sequence of
    # unions answered it too, several times slower (simplify.py).
    compiled = compile_query(parse('"Светлана Тихановская"'), DbResolver(cat.reader))
    with api.index_for(cat).searcher() as searcher:
        checked = simplify(compiled.query, searcher.reader())
    assert isinstance(checked, CheckedPhrase) and not checked.required
    assert all(len(alternatives) > 1 for alternatives in checked.positions)  # every script


def test_a_quoted_name_too_costly_to_check_is_refused_with_a_message(
    cat: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    from belarchive.search import ranking

    monkeypatch.setattr(ranking, "PHRASE_WORK_LIMIT", 10)  # as if at 100,000 events
    with pytest.raises(SearchTooCostly, match="without the quotes"):
        api.search(cat, '"Светлана Тихановская"')


def test_complete_answers_ignore_the_quick_budgets(
    cat: Catalogue, scanned: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searching, "SCAN_BUDGET", 5)
    monkeypatch.setattr(capped, "PHRASE_COST", 1)
    monkeypatch.setattr(prefix, "MAX_SHORT_EXPANSIONS", 1)
    # Phrases without a common word (with one, their word pairs make them cheap anyway).
    for query in ('"αστυνομία συνέλαβε"', "συ*", '"police detained" -march'):
        _check(cat, scanned, query)
        quick = api.search(cat, query, limit=1, complete=False)
        assert quick.notes and not quick.total_exact  # a quick answer says it is partial


def test_a_phrase_with_a_word_the_stemmer_empties_finds_it(
    cat: Catalogue, scanned: list[object]
) -> None:
    """όταν leaves no term: the phrase finds the events that say it, not none."""
    from belarchive.services import events

    said = events.create_event(cat, "anna", EventInput(
        title="Ξυλοδαρμός", language="el",
        description="Τον χτύπησαν άγρια όταν ρώτησε γιατί")).uuid  # fmt: skip
    for query in ('"άγρια όταν"', '"άγρια όταν ρώτησε"', '"όταν ρώτησε γιατί"'):
        assert said in api.search(cat, query, limit=None).uuids, query
        # the window's quick first answer too (its cost estimate once failed on a gap)
        assert said in api.search(cat, query, limit=50, complete=False).uuids, query
    assert said not in api.search(cat, '"άγρια ρώτησε"', limit=None).uuids  # a word between
    rescanned = list(scan(cat.reader))
    assert _check(cat, rescanned, '"άγρια όταν ρώτησε"') >= 1


def test_listing_filters_combine_exactly(cat: Catalogue, scanned: list[object]) -> None:
    filters = EventFilter(tags=("detention",), places=("minsk",))
    assert _check(cat, scanned, "συ*", filters=filters) > 0
