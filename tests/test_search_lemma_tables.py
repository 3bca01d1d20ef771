"""The compact lemma tables (search/lemma_tables.py) answer as simplemma's own dictionaries
do, for every language the search uses; their file is checked before it is trusted."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from belarchive.search import lemma_tables, lemmas

LANGUAGES = ("el", "ru", "uk", "en")


def _simplemma_lookup(token: str, language: str) -> str | None:
    """What lemmas.py asked simplemma before the tables: is it known, and its lemma."""
    if not simplemma.is_known(token, language):
        return None
    return simplemma.lemmatize(token, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_table_answers_as_simplemma_does(language: str) -> None:
    table = lemma_tables.make(language)
    forms = list(DefaultDictionaryFactory(cache_max_size=0).get_dictionary(language))
    # Every 97th form as it is, lowercased and capitalised, and forms it does not hold.
    sample = forms[::97]
    tokens = sample + [f.lower() for f in sample] + [f.capitalize() for f in sample]
    tokens += [f + "щщ" for f in sample[:200]] + ["συλλήψεις", "задержали", "затрымалі"]
    differ = [t for t in tokens if table.lookup(t) != _simplemma_lookup(t, language)]
    assert not differ, differ[:10]
    assert len(table.hashes) > 100_000 and len(sample) > 1000


def test_the_file_round_trips_and_a_damaged_one_is_refused(tmp_path: Path) -> None:
    table = lemma_tables.LemmaTable.from_pairs([("arrests", "arrest"), ("ran", "run"), ("x", "")])
    data = table.to_bytes()
    again = lemma_tables.LemmaTable.from_bytes(data)
    assert again.get("arrests") == "arrest" and again.get("ran") == "run"
    assert again.get("x") is None and again.get("walked") is None  # an empty lemma: unknown
    for damaged in (data[:-1], data[:10], b"BELEMMA\x09" + data[8:], data[:-3] + b"\xff\xfe\xfd"):
        with pytest.raises((lemma_tables.LemmaTableError, UnicodeDecodeError)):
            lemma_tables.LemmaTable.from_bytes(damaged)


def test_a_damaged_cache_file_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lemma_tables, "_tables", {})
    path = lemma_tables._path("en")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a table")
    assert lemma_tables.table("en").lookup("arrested") == "arrest"
    assert lemma_tables.LemmaTable.from_bytes(path.read_bytes()).get("arrested") == "arrest"
    monkeypatch.setattr(lemma_tables, "_tables", {})  # read back from the file this time
    assert lemma_tables.table("en").lookup("detained") == "detain"


def test_the_lemmas_of_the_search_are_simplemmas() -> None:
    words = {
        "el": ["συνέλαβαν", "συλληψεις", "προσήχθησαν", "τραυματίστηκαν", "πορεία"],
        "ru": ["задержали", "задержанных", "арестован", "шествии", "ещё", "еще"],
        "be": ["затрымалі", "затрыманых", "шэсце", "пратэст"],
        "en": ["detained", "arrests", "marched", "injured", "protesters"],
    }
    for rule, tokens in words.items():
        for token in tokens:
            expected = ""
            for language in lemmas._LANGUAGES[rule]:
                to_ru = language == "ru" and rule == "be"
                candidate = token.translate(lemmas._BE_TO_RU) if to_ru else token
                hits = [s for s in lemmas._spellings(candidate, language)
                        if simplemma.is_known(s, language)]  # fmt: skip
                if hits:
                    expected = lemmas.fold(simplemma.lemmatize(hits[0], language))
                    break
            assert lemmas._lookup(token, rule) == expected, (rule, token)


def test_a_table_of_another_format_is_replaced_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lemma_tables, "_tables", {})
    path = lemma_tables._path("en")
    path.parent.mkdir(parents=True, exist_ok=True)
    older = path.with_name(path.name.replace(f"-{lemma_tables.FORMAT}.bin", "-1.bin"))
    older.write_bytes(b"a table of an older format")
    path.unlink(missing_ok=True)
    assert lemma_tables.table("en").lookup("arrested") == "arrest"
    assert path.exists() and not older.exists()
