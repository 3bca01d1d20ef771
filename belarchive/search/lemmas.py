"""Lemmas next to stems: one word family member per dictionary form, from simplemma.

Stemming joins the inflections a suffix stripper can see (συλλήψεις, σύλληψη); a
lemmatizer also joins forms that change inside the word (συνέλαβαν -> συλλαμβάνω,
задержали -> задержать). simplemma is a maintained dictionary lemmatizer with no
dependencies; it has Greek, Russian, Ukrainian and English but no Belarusian, so a
Belarusian word is looked up in Ukrainian (same і, closest inflection), then in Russian
after a letter-by-letter normalisation.

simplemma's dictionaries hold accented forms, while archivists often type without
accents ("συλληψη"), so a word the dictionary does not know is retried with each possible
accent restored (Greek: a tonos on one vowel; Russian: ё for an е). The result is always
folded, like every other index term.

The dictionaries are read on first use, as compact tables (lemma_tables.py: ~12 MiB for
Russian where simplemma's own dict takes 112), so a catalogue that never searches Russian
text never pays for them.
"""

from __future__ import annotations

from collections.abc import Iterator

from belarchive.domain.text import fold
from belarchive.search import lemma_tables, stemming

_CACHE_LIMIT = 300_000
_GREEK_TONOS = str.maketrans("αεηιουω", "άέήίόύώ")
_GREEK_VOWELS = frozenset("αεηιουω")
_BE_TO_RU = str.maketrans({"і": "и", "ў": "в", "'": "ъ", "’": "ъ", "ʼ": "ъ"})
_MAX_RESTORED = 8  # accent candidates tried per word; long words are rarely unaccented

# The simplemma languages a rule's words are looked up in, in order.
_LANGUAGES: dict[str, tuple[str, ...]] = {
    stemming.GREEK: ("el",),
    stemming.RUSSIAN: ("ru",),
    stemming.BELARUSIAN: ("uk", "ru"),
    stemming.ENGLISH: ("en",),
}

_cache: dict[tuple[str, str], str] = {}


def _greek_accented(word: str) -> Iterator[str]:
    """``word`` with a tonos on each of its vowels in turn (last syllables first: the
    accent of a Greek word falls on one of its last three)."""
    positions = [i for i, ch in enumerate(word) if ch in _GREEK_VOWELS]
    for i in reversed(positions[-_MAX_RESTORED:]):
        yield word[:i] + word[i].translate(_GREEK_TONOS) + word[i + 1 :]


def _with_yo(word: str) -> Iterator[str]:
    positions = [i for i, ch in enumerate(word) if ch == "е"]
    for i in positions[:_MAX_RESTORED]:
        yield word[:i] + "ё" + word[i + 1 :]


def _spellings(word: str, language: str) -> Iterator[str]:
    """How ``word`` may be spelled in ``language``'s dictionary: as given, then restored."""
    lower = word.lower()
    yield lower
    if language == "el":
        yield from _greek_accented(lower)
    elif language == "ru":
        yield from _with_yo(lower)


def _lookup(word: str, rule: str) -> str:
    for language in _LANGUAGES.get(rule, ()):
        dictionary = lemma_tables.table(language)
        candidate = word.translate(_BE_TO_RU) if language == "ru" and rule == "be" else word
        for spelling in _spellings(candidate, language):
            found = dictionary.lookup(spelling)
            if found is not None:
                # simplemma gives a number back as it is, whatever its dictionary says
                return fold(spelling if spelling.isnumeric() else found)
    return ""


def dictionary_form(word: str, rule: str) -> str:
    """The folded lemma of a raw ``word`` analysed under stemming ``rule`` ("" when the
    dictionary does not know it); a query looks for this in the ``lemma`` field."""
    key = (word, rule)
    found = _cache.get(key)
    if found is None:
        if len(_cache) > _CACHE_LIMIT:
            _cache.clear()
        found = "" if word.isdigit() or len(word) < 3 else _lookup(word, rule)
        _cache[key] = found
    return found


def lemma(word: str, rule: str) -> str:
    """What the index keeps for ``word``: its folded lemma, or "" when the word is its own
    lemma (a query for the lemma finds it by its stem) or unknown."""
    found = dictionary_form(word, rule)
    return "" if found == fold(word) else found
