"""Text primitives shared by the chronicle parser: folding, tokens, stems, edit distance.

Folding is *length-preserving* (one character in, one character out) so that a span found
in the folded text is the same span in the original: evidence is always quoted verbatim.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

# Characters folded differently from "strip accents, lower-case".
_SPECIAL = {"ς": "σ", "ё": "е", "Ё": "е", "ї": "і", "’": "'", "ʼ": "'", "\u00a0": " "}


def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20, 0x2100):
        char = chr(code)
        if char in _SPECIAL:
            table[code] = _SPECIAL[char]
            continue
        base = unicodedata.normalize("NFD", char)[0]
        low = base.lower()
        folded = low if len(low) == 1 else base
        folded = _SPECIAL.get(folded, folded)
        if folded != char:
            table[code] = folded
    for narrow_space in ("\u2009", "\u202f", "\u2007"):
        table[ord(narrow_space)] = " "
    return table


_FOLD_TABLE = _build_fold_table()


def fold(text: str) -> str:
    """Case- and accent-folded copy of ``text`` with exactly the same length."""
    return text.translate(_FOLD_TABLE)


# Letters that look alike across scripts (after folding). A word typed with a stray letter
# from another keyboard layout ("Cреда" with a Latin C) is read in its main script.
_LOOKALIKE_PAIRS = {
    ("lat", "cyr"): "aа cс eе oо pр xх yу kк mм tт hн bв iі",
    ("lat", "el"): "aα oο pρ kκ tτ iι vν xχ yυ eε hη uυ",
    ("cyr", "el"): "аα оο рρ кκ тτ хχ еε",
}
_TO_SCRIPT: dict[str, dict[int, str]] = {"lat": {}, "cyr": {}, "el": {}}
for (_a, _b), _pairs in _LOOKALIKE_PAIRS.items():
    for _pair in _pairs.split():
        _TO_SCRIPT[_b].setdefault(ord(_pair[0]), _pair[1])
        _TO_SCRIPT[_a].setdefault(ord(_pair[1]), _pair[0])
_WORD = re.compile(r"[^\W\d_]{2,}")


def _char_script(char: str) -> str:
    if "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff":
        return "el"
    if "\u0400" <= char <= "\u04ff":
        return "cyr"
    return "lat" if char.isascii() else ""


def fix_lookalikes(folded: str) -> str:
    """Words mixing look-alike letters of two scripts, read in their main script.

    Length-preserving, like ``fold``: spans stay valid in the original text.
    """
    if folded.isascii():
        return folded
    out: list[str] | None = None
    for m in _WORD.finditer(folded):
        word = m.group()
        if word.isascii():
            continue
        counts: dict[str, int] = {}
        for char in word:
            script = _char_script(char)
            counts[script] = counts.get(script, 0) + 1
        if len(counts) < 2:
            continue
        main = max(counts, key=lambda k: counts[k])
        fixed = word.translate(_TO_SCRIPT.get(main, {}))
        if fixed != word:
            out = out if out is not None else list(folded)
            out[m.start() : m.end()] = fixed
    return "".join(out) if out is not None else folded


class Token(NamedTuple):
    """A run of letters or a run of digits, with its span in the sentence.

    A NamedTuple, not a dataclass: sentences are tokenised a lot and tuples are cheap.
    """

    text: str  # original spelling
    folded: str
    start: int
    end: int

    @property
    def is_digit(self) -> bool:
        return self.text.isascii() and self.text.isdigit()

    @property
    def is_capitalised(self) -> bool:
        return self.text[:1].isupper()


# Letters and digits are separate tokens, so "31ων" and "20η" become a number glued to a
# suffix — the glue is what marks them as ordinals/ages, see ``glued_after``.
_TOKEN_RE = re.compile(r"[^\W\d_]+|[0-9]+")


def tokenize(text: str, folded: str | None = None) -> list[Token]:
    folded = fold(text) if folded is None else folded
    return [
        Token(text[m.start() : m.end()], folded[m.start() : m.end()], m.start(), m.end())
        for m in _TOKEN_RE.finditer(folded)
    ]


def glued_after(text: str, tok: Token) -> bool:
    """True when a letter directly follows the token (``20η``, ``31ων``, ``9th``)."""
    return tok.end < len(text) and text[tok.end].isalpha()


def script_of(word: str) -> str:
    """'el', 'cyr' or 'lat' for the first letter of ``word`` ('' when none)."""
    for char in word:
        if "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff":
            return "el"
        if "\u0400" <= char <= "\u04ff":
            return "cyr"
        if char.isalpha():
            return "lat"
    return ""


# Inflection endings stripped (longest first, once) to match names in any case form.
# Greek keeps masculine/plural endings out on purpose: "Ρώσος", "Λευκορώσοι" are people,
# not the places Ρωσία / Λευκορωσία.
_SUFFIXES = {
    "el": ("ιας", "ια", "ας", "α", "ης", "η"),
    "cyr": (
        "ской", "ская", "ском", "скую", "ских", "ского", "ий", "ый", "ого", "ому", "ами", "ями",
        "ией", "ии", "ия", "ие", "ой", "ей", "ом", "ем", "ая", "ую", "ые", "ых", "ым",
        "ах", "ях", "а", "я", "е", "и", "у", "ю", "о", "ы", "ь", "і",
    ),
    "lat": ("'s",),
}  # fmt: skip
_SUFFIXES = {script: tuple(fold(x) for x in endings) for script, endings in _SUFFIXES.items()}
_MIN_STEM = 3


_VOWELS_CYR = frozenset("аеиоуыэюяі")


def _belarusian_base(word: str) -> str:
    """Undo Belarusian sound changes in names so that their case forms meet:
    a final ў after a vowel is в before an ending (Магілёў → Магілёве, Барысаў → Барысаве),
    and д, т become дз, ц before the locative е (Ліда → Лідзе, Брэст → Брэсце)."""
    if len(word) > 3 and word[-1] == "у" and word[-2] in _VOWELS_CYR:
        return word[:-1] + "в"
    if len(word) > 4 and word.endswith("дзе"):
        return word[:-3] + "д"
    if len(word) > 4 and word.endswith("сце"):
        return word[:-2] + "т"
    return word


@lru_cache(maxsize=65536)
def stem(folded_word: str) -> str:
    """Strip one inflection ending from a folded word, keeping at least three letters."""
    script = script_of(folded_word)
    if script == "cyr":
        folded_word = _belarusian_base(folded_word)
    for suffix in _SUFFIXES.get(script, ()):
        if folded_word.endswith(suffix) and len(folded_word) - len(suffix) >= _MIN_STEM:
            return folded_word[: -len(suffix)]
    return folded_word


def osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment edit distance (transpositions count 1), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def fuzzy_limit(length: int) -> int:
    """Edits tolerated for a word of this length: none below 5 letters, then 1, then 2."""
    if length < 5:
        return 0
    return 1 if length < 8 else 2


def detect_language(text: str) -> str:
    """'el', 'ru', 'be' or 'en' from letter counts (Belarusian: і and ў are frequent)."""
    greek = cyrillic = latin = belarusian = 0
    for char in text[:200_000]:
        if not char.isalpha():
            continue
        if "\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff":
            greek += 1
        elif "\u0400" <= char <= "\u04ff":
            cyrillic += 1
            if char in "іІўЎ":
                belarusian += 1
        else:
            latin += 1
    if greek >= cyrillic and greek >= latin and greek:
        return "el"
    if cyrillic >= latin and cyrillic:
        return "be" if belarusian > cyrillic * 0.01 else "ru"
    return "en"


def truncate(text: str, limit: int = 120) -> str:
    """Cut at a word boundary and mark the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"
