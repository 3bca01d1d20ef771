"""Per-language stemming of folded words: Snowball (PyStemmer, C) plus small domain fixes.

Every function here takes a word that is already folded (lower case, no accents, σ for ς,
е for ё) and returns its index term. Results are cached per rule, because the vocabulary
of a catalogue is Zipfian: a few thousand words make up most of the text.

Snowball alone splits forms the archivists treat as one word, so each language gets a
post-stemming fix here and a small table of stem equivalences kept as data
(``resources/search/stem-equivalents.txt``, read by ``stem_table``):
- English: "detention" stems to "detent" but "detained" to "detain".
- Greek: "αστυνομίας" keeps a final ι that "αστυνομία" loses; "συνέλαβαν" (they arrested)
  and "συλλήψεις" (arrests) are one concept.
- Russian: "задержанных" -> "задержан" but "задержаны" -> "задержа" (passive participles).
- Belarusian has no Snowball stemmer: a light suffix stripper with the same participle fix.
"""

from __future__ import annotations

from collections.abc import Callable

import Stemmer

from belarchive.search import stem_table

# A rule name per stemming behaviour; "be" has no Snowball algorithm of its own.
GREEK, RUSSIAN, BELARUSIAN, ENGLISH, NONE = "el", "ru", "be", "en", "none"

_MAX_CACHE = 400_000

# Belarusian inflectional endings, longest first (nouns, adjectives, verbs, participles).
_BE_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "ымі",
            "імі",
            "амі",
            "ямі",
            "ага",
            "яга",
            "аму",
            "яму",
            "ому",
            "ога",
            "юць",
            "уць",
            "аць",
            "яць",
            "ець",
            "іць",
            "ыць",
            "ыя",
            "ія",
            "ая",
            "яя",
            "ое",
            "ае",
            "ых",
            "іх",
            "ым",
            "ім",
            "ую",
            "юю",
            "ой",
            "ай",
            "ей",
            "ою",
            "аю",
            "ам",
            "ям",
            "ах",
            "ях",
            "аў",
            "іў",
            "ілі",
            "ылі",
            "ыў",
            "яў",
            "оў",
            "еў",
            "ці",
            "ць",
            "лі",
            "ла",
            "ло",
            "ем",
            "ом",
            "ёй",
            "а",
            "я",
            "ы",
            "і",
            "у",
            "ю",
            "е",
            "о",
        },
        key=len,
        reverse=True,
    )
)
_VOWELS_RU = "аеиоуыэюяі"

_stemmers: dict[str, Stemmer.Stemmer] = {}


def _snowball(algorithm: str) -> Stemmer.Stemmer:
    stemmer = _stemmers.get(algorithm)
    if stemmer is None:
        stemmer = _stemmers[algorithm] = Stemmer.Stemmer(algorithm)
    return stemmer


def _equivalent(language: str, stem: str) -> str:
    return stem_table.load()[language].get(stem, stem)


def _english(word: str) -> str:
    if word.endswith(("'s", "’s", "ʼs")):
        word = word[:-2]
    stem: str = _snowball("english").stemWord(word)
    return _equivalent("en", stem)


def _greek(word: str) -> str:
    stem: str = _snowball("greek").stemWord(word)
    # "αστυνομια" -> αστυνομ, "αστυνομιας" -> αστυνομι: drop the stray ι so they meet.
    if len(stem) > 4 and stem.endswith("ι"):
        stem = stem[:-1]
    return _equivalent("el", stem)


def _participle_fix(stem: str) -> str:
    """задержан/задержа -> задерж; осужден -> осужд (passive participles and their nouns)."""
    if len(stem) >= 6 and stem.endswith(("нн", "н")) and stem.rstrip("н")[-1:] in _VOWELS_RU:
        stem = stem.rstrip("н")
    if len(stem) >= 6 and stem[-1] in "аея":
        stem = stem[:-1]
    return stem


def _russian(word: str) -> str:
    stem = _participle_fix(_snowball("russian").stemWord(word))
    return _equivalent("ru", stem)


def _belarusian(word: str) -> str:
    stem = word
    for suffix in _BE_SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
            stem = stem[: -len(suffix)]
            break
    stem = _participle_fix(stem)
    return _equivalent("be", stem)


def _identity(word: str) -> str:
    return word


_RULES: dict[str, Callable[[str], str]] = {
    GREEK: _greek,
    RUSSIAN: _russian,
    BELARUSIAN: _belarusian,
    ENGLISH: _english,
    NONE: _identity,
}
_caches: dict[str, dict[str, str]] = {rule: {} for rule in _RULES}


def stem(word: str, rule: str) -> str:
    """The index term of an already folded ``word`` under ``rule`` (GREEK, RUSSIAN...)."""
    cache = _caches[rule]
    term = cache.get(word)
    if term is None:
        if len(cache) > _MAX_CACHE:
            cache.clear()  # a crude bound: rebuilding the hot words costs little
        term = cache[word] = _RULES[rule](word) if not word.isdigit() else word
    return term
