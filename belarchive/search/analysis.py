"""Text analysis for the index: tokenising, folding, per-language stemming, name keys.

One analyzer serves every language. The stemmer is picked per token by its script
(Greek -> Greek Snowball, Latin -> English, Cyrillic -> Russian or the Belarusian
normaliser), so a Greek chronicle quoting "OSCE" or "Минск" is still analysed sensibly.
The text's declared language only decides between Russian and Belarusian for Cyrillic;
the indexer passes it in-band as a marker prefix (``tag_language``) because Whoosh gives
an analyzer no per-document arguments.

Kinds of analysis (one Whoosh analyzer each):
- ``stem``: folded and stemmed terms, for ranked word and phrase search;
- ``fold``: folded, unstemmed words, for prefix search (prefixes of stems are wrong and
  slow to expand);
- ``spell``: lower-cased words with their accents, the vocabulary for "did you mean".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Analyzer, Token

from belarchive.domain.text import fold
from belarchive.search import stemming
from belarchive.search.transliteration import name_key

# Words, with inner apostrophes kept (Belarusian сям'я, English Lukashenko's).
TOKEN_RE = re.compile(r"\w+(?:['’ʼ]\w+)*")
# A private-use character cannot occur in real text, so it safely marks the language.
LANG_MARK = "\ue000"
# Marks a value the indexer already analysed: space-separated terms, split and nothing more.
PRE_MARK = "\ue001"
# Joins terms that share one position in a pre-analysed value (a name's stem and its
# script-neutral keys), so that a phrase can match either at that position.
ALTERNATIVES = "\ue002"
_MARK_RE = re.compile(LANG_MARK + r"([a-z]{2,3}) ")

GREEK_SCRIPT, CYRILLIC_SCRIPT, LATIN_SCRIPT, OTHER_SCRIPT = "greek", "cyrillic", "latin", "other"
_BELARUSIAN_LETTERS = frozenset("іўІЎ")
_CACHE_LIMIT = 400_000


def tag_language(text: str, language: str | None) -> str:
    """``text`` with its language marked in-band for the analyzer ('' stays '')."""
    if not text or not language or language == "und":
        return text
    return f"{LANG_MARK}{language} {text}"


def untag(text: str) -> str:
    return _MARK_RE.sub("", text)


def script_of(word: str) -> str:
    """The script of the first letter of ``word``."""
    for ch in word:
        if ch.isalpha():
            code = ord(ch)
            if 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF:
                return GREEK_SCRIPT
            if 0x0400 <= code <= 0x052F:
                return CYRILLIC_SCRIPT
            if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
                return LATIN_SCRIPT
            return OTHER_SCRIPT
    return OTHER_SCRIPT


def looks_belarusian(word: str) -> bool:
    return any(ch in _BELARUSIAN_LETTERS for ch in word)


def index_rule(word: str, language: str | None) -> str:
    """The stemming rule for a word of a text in ``language`` (None or 'und': unknown)."""
    script = script_of(word)
    if script == GREEK_SCRIPT:
        return stemming.GREEK
    if script == LATIN_SCRIPT:
        return stemming.ENGLISH
    if script == CYRILLIC_SCRIPT:
        if language == "be" or (language in (None, "und") and looks_belarusian(word)):
            return stemming.BELARUSIAN
        return stemming.RUSSIAN
    return stemming.NONE


def query_rules(word: str) -> tuple[str, ...]:
    """Rules a query word may have been indexed under (its language is not known)."""
    script = script_of(word)
    if script == CYRILLIC_SCRIPT:
        if looks_belarusian(word):
            return (stemming.BELARUSIAN, stemming.RUSSIAN)
        return (stemming.RUSSIAN, stemming.BELARUSIAN)
    return (index_rule(word, None),)


_folded: dict[str, str] = {}


def normalise(word: str) -> str:
    """NFKC (ligatures, full-width forms), then case and accent folding; cached."""
    out = _folded.get(word)
    if out is None:
        if len(_folded) > _CACHE_LIMIT:
            _folded.clear()
        out = _folded[word] = fold(unicodedata.normalize("NFKC", word))
    return out


@lru_cache(maxsize=65536)
def spell_form(word: str) -> str:
    """Lower case with accents kept (the form shown in "did you mean"); final ς -> σ."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFKC", word).casefold())


def stem_word(word: str, language: str | None) -> str:
    """The ranked-search term of one raw word from a text in ``language``."""
    return stemming.stem(normalise(word), index_rule(word, language))


def query_terms(word: str) -> tuple[str, ...]:
    """Distinct terms a raw query word may match in the stemmed fields; none for a word the
    stemmer empties (όταν), which the index keeps as a gap, not as a term."""
    folded = normalise(word)
    terms: list[str] = []
    for rule in query_rules(word):
        term = stemming.stem(folded, rule)
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)


def words(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def _split_marker(value: str) -> tuple[str | None, int]:
    match = _MARK_RE.match(value)
    if match is None:
        return None, 0
    return match.group(1), match.end()


class BelarchiveAnalyzer(Analyzer):  # type: ignore[misc]
    """Tokenise + fold (+ stem) in one pass: fewer Python generator layers per token."""

    KINDS = ("stem", "fold", "spell")

    def __init__(self, kind: str = "stem") -> None:
        if kind not in self.KINDS:
            raise ValueError(f"unknown analysis kind {kind!r}")
        self.kind = kind

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.kind!r})"

    def _term(self, word: str, language: str | None) -> str:
        if self.kind == "stem":
            return stem_word(word, language)
        if self.kind == "fold":
            return normalise(word)
        return spell_form(word)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if value.startswith(PRE_MARK):
            yield from _pre_analysed(token, value, positions, start_pos)
            return
        language, offset = _split_marker(value)
        if not tokenize:
            matches: Any = [(value[offset:], offset, len(value))]
        else:
            matches = ((m.group(0), m.start(), m.end()) for m in TOKEN_RE.finditer(value, offset))
        for pos, (word, start, end) in enumerate(matches):
            token.text = self._term(word, language)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def _pre_analysed(token: Token, value: str, positions: bool, start_pos: int) -> Iterator[Token]:
    for pos, term in pre_analysed_terms(value):
        token.text = term
        token.boost = 1.0
        token.stopped = False
        if positions:
            token.pos = start_pos + pos
        yield token


def pre_analysed_terms(value: str) -> Iterator[tuple[int, str]]:
    """(position, term) of each term of a value made by ``pre_analysed``."""
    for pos, slot in enumerate(value[1:].split(" ")):
        if not slot:
            continue
        for term in slot.split(ALTERNATIVES) if ALTERNATIVES in slot else (slot,):
            if term:  # not a word the stemmer empties, kept with its name key ("Όταν")
                yield pos, term


def pre_analysed_positions(value: str) -> dict[str, list[int]]:
    """The positions of each term of a pre-analysed value, as ``_pre_analysed`` gives them."""
    positions: dict[str, list[int]] = {}
    for pos, term in pre_analysed_terms(value):
        positions.setdefault(term, []).append(pos)
    return positions


def pre_analysed(terms: list[str]) -> str:
    """Terms joined for the fast path of BelarchiveAnalyzer (an empty gap keeps a position)."""
    return PRE_MARK + " ".join(terms)


_SENTENCE_END = ".!?…:;\n"
_OPENERS = "«»\"'“”„([ \t"


# A capitalised word opening a sentence is keyed only if its key is this long: short keys
# of sentence-initial common words ("Στις", "Ένας") doubled the false matches.
MIN_INITIAL_KEY = 4


def name_status(text: str, start: int) -> int:
    """0: not a name; 1: capitalised at a sentence start (maybe a name); 2: a name."""
    if not text[start].isupper():
        return 0
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return 2 if i >= 0 and text[i] not in _SENTENCE_END else 1


def initial_key_ok(key: str) -> bool:
    """Whether a key of a sentence-initial capitalised word is distinctive enough to keep."""
    return len(key) >= MIN_INITIAL_KEY and "V" not in key


def name_words(text: str) -> list[str]:
    """Words of running text that get script-neutral keys (see ``name_status``)."""
    return [m.group(0) for m in TOKEN_RE.finditer(text) if name_status(text, m.start()) == 2]


def cross_keys(word: str, language: str | None) -> set[str]:
    """Script-neutral keys of a name as written and as stemmed (Минском -> mnskm, mnsk)."""
    keys = {name_key(word), name_key(stem_word(word, language))}
    keys.discard("")
    return keys


def query_cross_keys(word: str) -> set[str]:
    keys = {name_key(word)} | {name_key(term) for term in query_terms(word)}
    keys.discard("")
    return keys
