"""Numbers in a sentence: digits with thousands separators and number words (el/ru/be/en).

Only whole counts are returned. Decimals ("παρ . 4.4"), numbers glued to letters ("20η",
"31ων", "2-й") and vague quantities ("χιλιάδες", "сотни", "thousands") are not counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from belarchive.importing.chronicle.text import Token, fold

# Folded word → value. Inflected and gendered forms are listed (Greek δύο/δυο, τρεις/τρία,
# διακόσιοι/ες/α; Russian два/две/двух, сто/ста...). "ένας/μία/один/one" are left out on
# purpose: in running text they are almost always the article "a".
_UNITS_TEXT = {
    2: "δύο δυο δυό два две двух двое два дзве двум two",
    3: "τρεις τρία τριών три трёх трех трое тры трох тром three",
    4: "τέσσερις τέσσερα τέσσερεις τεσσάρων четыре четырёх четырех четверо чатыры чатырох four",
    5: "πέντε пять пяти пятеро пяць пяці five",
    6: "έξι шесть шести шестеро шэсць шасці six",
    7: "επτά εφτά семь семи сем сямі seven",
    8: "οκτώ οχτώ восемь восьми восем васьмі eight",
    9: "εννέα εννιά девять девяти дзевяць дзевяці nine",
    10: "δέκα десять десяти дзесяць дзесяці ten",
    11: "έντεκα одиннадцать eleven",
    12: "δώδεκα двенадцать двенадцати дванаццаць twelve dozen",
    13: "δεκατρία δεκατρείς тринадцать thirteen",
    14: "δεκατέσσερα δεκατέσσερις четырнадцать fourteen",
    15: "δεκαπέντε пятнадцать fifteen",
    16: "δεκαέξι шестнадцать sixteen",
    17: "δεκαεπτά δεκαεφτά семнадцать seventeen",
    18: "δεκαοκτώ δεκαοχτώ восемнадцать eighteen",
    19: "δεκαεννέα δεκαεννιά девятнадцать nineteen",
    20: "είκοσι двадцать двадцати дваццаць twenty",
    30: "τριάντα тридцать тридцати трыццаць thirty",
    40: "σαράντα сорок сорока forty",
    50: "πενήντα пятьдесят пятидесяти fifty",
    60: "εξήντα шестьдесят sixty",
    70: "εβδομήντα εβδομήντα семьдесят seventy",
    80: "ογδόντα восемьдесят eighty",
    90: "ενενήντα девяносто ninety",
    100: "εκατό εκατόν сто ста сотня hundred",
    200: "διακόσιοι διακόσιες διακόσια διακοσίων двести двухсот дзвесце",
    300: "τριακόσιοι τριακόσιες τριακόσια τριακοσίων триста трёхсот трехсот трыста",
    400: "τετρακόσιοι τετρακόσιες τετρακόσια четыреста четырёхсот",
    500: "πεντακόσιοι πεντακόσιες πεντακόσια пятьсот пятисот пяцьсот",
    600: "εξακόσιοι εξακόσιες εξακόσια шестьсот",
    700: "επτακόσιοι εφτακόσιοι επτακόσιες εφτακόσιες семьсот",
    800: "οκτακόσιοι οχτακόσιοι οκτακόσιες οχτακόσιες восемьсот",
    900: "εννιακόσιοι εννιακόσιες εννεακόσιοι девятьсот",
}
# Collective numerals count people: "шестерых студентов", "двое журналистов", "траіх".
_COLLECTIVE_TEXT = {
    2: "двое двоих двоим двоими дваіх двух",
    3: "трое троих троим троими траіх",
    4: "четверо четверых четверым чацвёра чацвярых",
    5: "пятеро пятерых пятерым пяцёра пяцярых",
    6: "шестеро шестерых шестерым шасцёра шасцярых",
    7: "семеро семерых сямёра сямярых",
    8: "восьмеро восьмерых васьмярых",
    9: "девятеро девятерых",
    10: "десятеро десятерых дзесяцярых",
}
NUMBER_WORDS: dict[str, int] = {
    fold(w): value
    for table in (_UNITS_TEXT, _COLLECTIVE_TEXT)
    for value, words in table.items()
    for w in words.split()
}
# Multipliers: "δύο χιλιάδες", "две тысячи", "two thousand", "7 тыс.".
_THOUSANDS = "χιλιάδες χιλιάδων тысяча тысячи тысяч тыс тысячу тысячы thousand"
MULTIPLIERS: dict[str, int] = {fold(w): 1000 for w in _THOUSANDS.split()}
# "χίλιοι/χίλιες/χίλια" and "тысяча" alone mean one thousand.
NUMBER_WORDS.update({fold(w): 1000 for w in ("χίλιοι", "χίλιες", "χίλια", "χιλίων", "тысяча")})
# Vague quantities: never turned into a figure (see docs/import-quality.md).
VAGUE = frozenset(
    fold(w)
    for w in ("χιλιάδες", "χιλιάδων", "εκατοντάδες", "εκατοντάδων", "δεκάδες", "μερικές",
              "μερικοί", "сотни", "сотен", "тысячи", "тысяч", "десятки", "десятков",
              "несколько", "hundreds", "thousands", "dozens", "several", "tens")
)  # fmt: skip

# 1.000 / 1,000 / 1 000 / 1 000 (thin or no-break space); a plain run of digits.
_DIGITS = re.compile(
    r"(?<![0-9.,])([0-9]{1,3}(?:(?:[.,]|[ \u00a0\u202f\u2009])[0-9]{3})+|[0-9]+)(?![0-9])"
)
_DECIMAL_AFTER = re.compile(r"^[.,][0-9]")
# "1,5 тыс.", "2.5 thousand", "1,5 χιλιάδες": a decimal that a multiplier makes whole.
_DECIMAL_THOUSANDS = re.compile(
    r"(?<![0-9.,])([0-9]{1,3})[.,]([0-9])\s?(тыс|тысяч|thousand|χιλιάδ|тысяч)", re.IGNORECASE
)
# "14:35", "8:00": times of day are not counts.
_TIME = re.compile(r"(?<![0-9])[0-9]{1,2}:[0-9]{2}(?![0-9])")


@dataclass(frozen=True, slots=True)
class NumberSpan:
    value: int
    start: int
    end: int
    words: bool  # written in words


def _digit_numbers(text: str) -> list[NumberSpan]:
    out = []
    times = [(m.start(), m.end()) for m in _TIME.finditer(text)]
    for m in _DECIMAL_THOUSANDS.finditer(text):
        value = int(m.group(1)) * 1000 + int(m.group(2)) * 100
        out.append(NumberSpan(value, m.start(), m.start(3) + len(m.group(3)), False))
    taken = [(n.start, n.end) for n in out]
    for m in _DIGITS.finditer(text):
        if any(a <= m.start() < b for a, b in times + taken):
            continue
        raw = m.group(1)
        end = m.end()
        if _DECIMAL_AFTER.match(text[end : end + 2]):
            continue  # 4.4, 2,5 — not a count
        glued = end < len(text) and (text[end].isalpha() or text[end] in "-‐")
        if glued and not re.match(r"-?\s?(тыс|млн)", text[end : end + 5]):
            continue  # 20η, 31ων, 2-й: ordinals and ages, not counts
        if m.start() > 0 and text[m.start() - 1].isalpha():
            continue  # glued to a word before it (Π4, A1)
        value = int(re.sub(r"[^0-9]", "", raw))
        out.append(NumberSpan(value, m.start(), end, False))
    out.sort(key=lambda n: n.start)
    return out


def find_numbers(text: str, tokens: list[Token]) -> list[NumberSpan]:
    """Counts in a sentence (digits and words), in order, with multipliers applied."""
    spans = _digit_numbers(text)
    by_start = {s.start: s for s in spans}
    out: list[NumberSpan] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        span = by_start.get(tok.start)
        if span is not None:
            while i < len(tokens) and tokens[i].end <= span.end:
                i += 1
            value, end, i = _multiply(span.value, span.end, tokens, i)
            out.append(NumberSpan(value, span.start, end, False))
            continue
        if tok.folded in NUMBER_WORDS and not _vague_before(tokens, i):
            value, start, end = 0, tok.start, tok.end
            while i < len(tokens) and tokens[i].folded in NUMBER_WORDS:
                word_value = NUMBER_WORDS[tokens[i].folded]
                # "two hundred": a unit before "hundred" multiplies it
                value = value * 100 if word_value == 100 and 0 < value < 10 else value + word_value
                end = tokens[i].end
                i += 1
                joined = i + 1 < len(tokens) and tokens[i].folded in ("και", "и", "and")
                if joined and tokens[i + 1].folded in NUMBER_WORDS:
                    i += 1  # "two hundred and fifty"
            value, end, i = _multiply(value, end, tokens, i)
            out.append(NumberSpan(value, start, end, True))
            continue
        if tok.folded == "hundred" and i > 0 and tokens[i - 1].folded == "a":
            out.append(NumberSpan(100, tokens[i - 1].start, tok.end, True))
        i += 1
    return out


def _vague_before(tokens: list[Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].folded in VAGUE


def _multiply(value: int, end: int, tokens: list[Token], i: int) -> tuple[int, int, int]:
    if i < len(tokens) and tokens[i].folded in MULTIPLIERS and value < 1000:
        return value * MULTIPLIERS[tokens[i].folded], tokens[i].end, i + 1
    if i < len(tokens) and tokens[i].folded == "hundred" and value < 10:
        value *= 100
        end = tokens[i].end
        i += 1
        if i < len(tokens) and tokens[i].folded == "thousand":
            return value * 1000, tokens[i].end, i + 1
    return value, end, i
