"""Script-neutral keys for names: Minsk / Μινσκ / Минск / Мінск all give the same key.

A key is a consonant skeleton of a rough Latin reading. Vowels are where the scripts and
languages disagree most (Belarusian akanye, Greek ου/ι, case endings), so they are dropped;
consonants are merged into classes wide enough to absorb the usual transliteration
variants: г/h/γκ/χ/kh are one class, ш/щ/σ/sh are "s", ц/ч/τσ/ts/ch are "t", дз/ντ/δ are "d",
в/ў/β/φ/f/w are "v". A "v" right before another consonant is dropped too, because ў and
the Greek ευ/αυ come and go between languages (Ціханоўская / Тихановская / Τσιχανόφσκαγια).

Keys shorter than three consonants would collide with everything, so short names keep a
vowel placeholder ("V") per inner vowel group instead: Lida / Λίντα / Ліда -> "lVd".
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from belarchive.domain.text import fold

VOWEL = "V"
MIN_CONSONANTS = 3
# Longer words with under three consonants are mostly vowel-rich common words (Greek
# "οποίο", "νεαρού"): keying them caused most of the false matches measured on the sample.
MAX_SHORT_KEY_LETTERS = 6

# Multi-letter spellings first: they are matched greedily, longest first.
_GREEK_MULTI: dict[str, str] = {
    "ου": "V",
    "αυ": "Vv",
    "ευ": "Vv",
    "ηυ": "Vv",
    "μπ": "b",
    "ντ": "d",
    "γκ": "g",
    "γγ": "g",
    "γχ": "g",
    "τσ": "t",
    "τζ": "z",
    "γι": "V",
    "γε": "V",
    "γη": "V",
}
_CYRILLIC_MULTI: dict[str, str] = {"дз": "d", "дж": "z", "кс": "ks"}
_LATIN_MULTI: dict[str, str] = {
    "shch": "s",
    "sch": "s",
    "tch": "t",
    "sh": "s",
    "zh": "z",
    "ch": "t",
    "cz": "t",
    "kh": "g",
    "gh": "g",
    "ph": "v",
    "th": "t",
    "ts": "t",
    "tz": "t",
    "dz": "d",
    "ck": "k",
    "x": "ks",
}

_SINGLE: dict[str, str] = {}
for _letters, _cls in {
    # Latin
    "aeiouyj": VOWEL,
    "b": "b",
    "c": "k",
    "d": "d",
    "fvw": "v",
    "gh": "g",
    "k": "k",
    "q": "k",
    "l": "l",
    "m": "m",
    "n": "n",
    "p": "p",
    "r": "r",
    "s": "s",
    "t": "t",
    "z": "z",
    # Greek (already folded: no accents, final sigma is σ)
    "αεηιουω": VOWEL,
    "β": "v",
    "γ": "g",
    "δ": "d",
    "ζ": "z",
    "θ": "t",
    "κ": "k",
    "λ": "l",
    "μ": "m",
    "ν": "n",
    "ξ": "ks",
    "π": "p",
    "ρ": "r",
    "σ": "s",
    "τ": "t",
    "φ": "v",
    "χ": "g",
    "ψ": "ps",
    # Cyrillic (Russian, Belarusian, Ukrainian); ь and ъ carry no sound of their own
    "аеиоуыэюяйіїєё": VOWEL,
    "ьъ'’ʼ": "",
    "б": "b",
    "вўф": "v",
    "гґх": "g",
    "д": "d",
    "жз": "z",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "п": "p",
    "р": "r",
    "сшщ": "s",
    "тцч": "t",
}.items():
    for _ch in _letters:
        _SINGLE[_ch] = _cls

_MULTI: dict[str, str] = {**_GREEK_MULTI, **_CYRILLIC_MULTI, **_LATIN_MULTI}
_MULTI_LENGTHS = sorted({len(k) for k in _MULTI}, reverse=True)


def _latin_specials(text: str) -> str:
    # ŭ (Belarusian Latin) is a consonant-like w; fold() would turn it into a plain u.
    return text.replace("ŭ", "w").replace("Ŭ", "w")


def _classes(word: str) -> list[str]:
    """The word as a list of sound classes ("V" for a vowel)."""
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in _MULTI_LENGTHS:
            chunk = word[i : i + size]
            if len(chunk) == size and chunk in _MULTI:
                out.extend(_MULTI[chunk])
                i += size
                break
        else:
            cls = _SINGLE.get(word[i])
            if cls is None and word[i].isdigit():
                cls = word[i]
            if cls:
                out.extend(cls)
            i += 1
    return out


def _squash(classes: list[str]) -> list[str]:
    """Merge repeated classes (Μπομπρούισκ's two b's stay two; 'ss' becomes one)."""
    out: list[str] = []
    for cls in classes:
        if out and out[-1] == cls:
            continue
        out.append(cls)
    return out


def _drop_unstable_v(classes: list[str]) -> list[str]:
    # ў / ευ / ов: a v right before another consonant is the least stable sound across scripts.
    out: list[str] = []
    for i, cls in enumerate(classes):
        following = classes[i + 1] if i + 1 < len(classes) else VOWEL
        if cls == "v" and following != VOWEL:
            continue
        out.append(cls)
    return out


@lru_cache(maxsize=131072)
def name_key(word: str) -> str:
    """Script-neutral key of one word ('' when the word has no letters worth keying)."""
    folded = fold(unicodedata.normalize("NFKC", _latin_specials(word)))
    classes = _drop_unstable_v(_squash(_classes(folded)))
    consonants = [c for c in classes if c != VOWEL]
    if len(consonants) >= MIN_CONSONANTS:
        return "".join(_squash(consonants))
    if not consonants or len(folded) > MAX_SHORT_KEY_LETTERS:
        return ""
    # A trailing vowel is usually a case ending (Якуба, Ліды): leave it out of short keys.
    short = _squash(classes)
    while short and short[-1] == VOWEL:
        short.pop()
    return "".join(short)


def name_keys(text: str) -> list[str]:
    """Keys of every word of a (possibly multi-word) name, in order, empty ones left out."""
    keys = (name_key(word) for word in _words(text))
    return [k for k in keys if k]


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalnum() or ch in "'’ʼ" else " " for ch in text)
    return cleaned.split()
