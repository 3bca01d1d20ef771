"""Text normalisation shared by lookups, import matching and search (pure functions)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and accent-folded form: 'Λουκασένκου' -> 'λουκασενκου', 'Ёлка' -> 'елка'.

    Greek tonos and dialytika and Latin diacritics go; final sigma becomes sigma. Belarusian
    'й' and 'ў' keep their identity (they are letters, not accented ones).
    """
    text = unicodedata.normalize("NFC", text).casefold()
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            # Keep the breve of й/ў: dropping it would merge distinct letters.
            if ch == "\u0306" and out and out[-1] in "иу":
                out[-1] = "й" if out[-1] == "и" else "ў"
            continue
        out.append(ch)
    folded = "".join(out).replace("ς", "σ").replace("ё", "е")
    return unicodedata.normalize("NFC", folded)


def squash_spaces(text: str) -> str:
    return " ".join(text.split())
