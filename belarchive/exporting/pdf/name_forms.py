"""Every form a protected person's name can take in a dossier, compared script-blind.

A victim recorded as "Роман Бондаренко" turns up in a shared dossier as "Roman Bondarenko",
"Μπονταρένκο", "Бондаренко Р.", "Романа Бондаренко" or "Бонда\u00adренко" (a soft hyphen). So:

* **Forms.** Each recorded name and variant is expanded with the transliterations people
  actually write: ``anyascii`` (the usual English romanisation) and ``cyrtranslit``'s
  Russian, Belarusian and Ukrainian schemes, and Cyrillic back from a Latin variant.
* **Skeletons.** Words of the text and of the forms are compared as skeletons: folded,
  romanised with ``anyascii`` (so Greek and Cyrillic meet Latin), then spelling variants
  that transliteration schemes disagree on are merged (kh/ch/h, ts/c, w/v, y/j/i, Greek
  μπ/ντ for b/d, ου/u). The same function runs on both sides, so merging can only catch
  more, never miss what an exact match would catch.
* **Invisible characters** (soft hyphen, zero-width space/joiners, word joiner, BOM) are
  removed from the text before matching, and apostrophe variants inside a word
  (Belarusian "Лук'яненка", "Лукʼяненка", "Лук’яненка") are one word.
"""

from __future__ import annotations

import re
from functools import lru_cache

import cyrtranslit
from anyascii import anyascii

from belarchive.domain.text import fold
from belarchive.importing.chronicle.date_tables import MONTH_FORMS
from belarchive.importing.chronicle.text import fold as fold_same_length

INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e]")
APOSTROPHES = "'’ʼ`′‘"
WORD = re.compile(rf"\w+(?:[{APOSTROPHES}]\w+)*", re.UNICODE)
_CYRILLIC_SCHEMES = ("ru", "by", "ua")

# Applied in order to a lower-case ASCII form. Longer spellings first.
_MERGES: tuple[tuple[str, str], ...] = (
    ("shch", "sc"),
    ("sch", "s"),
    ("kh", "h"),
    ("ch", "h"),
    ("zh", "z"),
    ("sh", "s"),
    ("ts", "c"),
    ("tz", "c"),
    ("cz", "c"),
    ("ph", "f"),
    ("th", "t"),
    ("oy", "u"),
    ("ou", "u"),
    ("mp", "b"),
    ("mb", "b"),
    ("nt", "d"),
    ("nd", "d"),
    ("gk", "g"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("f", "v"),
    ("j", "i"),
    ("y", "i"),
)
_GREEK_GI = re.compile(r"gi(?=[aeou])")  # Greek γι before a vowel is a "y" sound
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def skeleton(word: str) -> str:
    """The script-blind comparison form of one word."""
    text = anyascii(fold(word)).lower()
    text = "".join(ch for ch in text if ch.isalnum())
    text = _GREEK_GI.sub("i", text)
    for spelled, merged in _MERGES:
        text = text.replace(spelled, merged)
    return _REPEATS.sub(r"\1", text)


def clean(text: str) -> str:
    """The text without characters that hide a name from a reader's search but not from
    the reader."""
    return INVISIBLE.sub("", text)


def forms(name: str) -> set[str]:
    """A name and its common transliterations (to Latin, and to Cyrillic from Latin)."""
    name = clean(name).strip()
    if not name:
        return set()
    found = {name, anyascii(name)}
    for scheme in _CYRILLIC_SCHEMES:
        found.add(cyrtranslit.to_latin(name, scheme))
    if name.isascii():
        found.add(cyrtranslit.to_cyrillic(name, "ru"))
    return {f for f in found if f.strip()}


def shapes(form: str) -> set[tuple[str, ...]]:
    """The word sequences that name the person: the whole name; the surname (last word) and
    the first name alone when they are long enough to be distinctive; the first name with
    the patronymic, and without it. (Surname first, "Бондаренко Роман", is two matches that
    the redactor joins.)"""
    parts = tuple(skeleton(w) for w in WORD.findall(form))
    parts = tuple(p for p in parts if p)
    if not parts:
        return set()
    found = {parts}
    if len(parts) >= 2:
        if len(parts[-1]) >= 4:
            found.add(parts[-1:])
        if len(parts[0]) >= 4:
            found.add(parts[:1])
    if len(parts) >= 3:
        found.add(parts[:2])
        found.add((parts[0], parts[-1]))  # the patronymic left out
    return found


def is_initial(token: str, text_after: str) -> bool:
    """A one-letter word followed by a full stop: "Р." in "Р. Бондаренко"."""
    return len(token) == 1 and token.isalpha() and text_after.startswith(".")


def is_calendar_word(word: str) -> bool:
    """A month name in any of our languages ("Ιουλίου", "июля", "July"): never a first name
    on its own, though its skeleton can be one's ("июля" and "Юлия" are both "iulia"). The
    check is on the word as spelled, so the name "Юлия" is still a name."""
    return fold_same_length(word) in MONTH_FORMS
