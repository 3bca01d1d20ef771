"""The query language, parsed into a small syntax tree (no index or database needed).

    words                 all must match (AND is implicit)
    "a phrase"            the words in this order
    a OR b, a AND b       boolean operators (upper case); NOT x or -x excludes; ( ) groups
    συλλ*                 prefix (at least two letters before the star)
    tag:detention  place:Минск  status:verified  actor:Lukashenko  lang:el
    date:2020-11..2020-12   date:2020-11-15   date:2020..   date:..2020-10

Anything malformed raises SearchQueryError with a message naming the problem; the parser
raises nothing else.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from belarchive.domain.values import LANGUAGES, Status
from belarchive.errors import SearchQueryError
from belarchive.i18n import _

FIELDS = ("tag", "place", "status", "actor", "lang", "date")
OPERATORS = ("AND", "OR", "NOT")
MIN_PREFIX = 2
MAX_QUERY_LENGTH = 2000
# Parentheses and NOTs nest at most this deep: the parser recurses per level, and nobody
# writes a query 30 levels deep by hand.
MAX_DEPTH = 30
_FIELD_RE = re.compile(r"^([A-Za-z_]+):(.*)$", re.DOTALL)
_DAY_RE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_SPECIAL = '()"'


# -- syntax tree ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Word:
    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FieldFilter:
    field: str
    value: str
    # date filters carry their day bounds; None is an open end
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


Node = Word | Phrase | FieldFilter | And | Or | Not


# -- tokens ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # word, phrase, field, op, lparen, rparen, minus
    text: str
    at: int
    field: str = ""


def _read_phrase(text: str, start: int) -> tuple[str, int]:
    end = text.find('"', start + 1)
    if end < 0:
        raise SearchQueryError(
            _(
                'A quotation mark is not closed (opened at character {n}): add the closing " '
                "or remove it."
            ).format(n=start + 1)
        )
    return text[start + 1 : end], end + 1


def _read_bare(text: str, i: int) -> tuple[str, int]:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in _SPECIAL:
        j += 1
    return text[i:j], j


def _field_token(raw: str, text: str, i: int, j: int) -> tuple[_Tok, int]:
    match = _FIELD_RE.match(raw)
    assert match is not None
    name, value = match.group(1).lower(), match.group(2)
    if name not in FIELDS:
        raise SearchQueryError(
            _("'{name}:' is not a search field. Use one of: {fields}.").format(
                name=match.group(1), fields=", ".join(f + ":" for f in FIELDS)
            )
        )
    if not value and j < len(text) and text[j] == '"':
        value, j = _read_phrase(text, j)
        if not value.strip():
            raise SearchQueryError(
                _("'{name}:' is followed by empty quotes; give a value.").format(name=name)
            )
    elif not value:
        raise SearchQueryError(
            _("'{name}:' needs a value right after the colon, e.g. {example}.").format(
                name=name, example=_EXAMPLES[name]
            )
        )
    return _Tok("field", value, i, field=name), j


_EXAMPLES = {
    "tag": "tag:detention",
    "place": "place:Minsk",
    "status": "status:verified",
    "actor": 'actor:"Alexander Lukashenko"',
    "lang": "lang:el",
    "date": "date:2020-11..2020-12",
}


def tokenize(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Tok("lparen" if ch == "(" else "rparen", ch, i))
            i += 1
        elif ch == '"':
            phrase, end = _read_phrase(text, i)
            tokens.append(_Tok("phrase", phrase, i))
            i = end
        elif (
            ch == "-"
            and i + 1 < len(text)
            and not text[i + 1].isspace()
            and (not tokens or tokens[-1].kind in ("op", "lparen") or text[i - 1].isspace())
        ):
            tokens.append(_Tok("minus", ch, i))
            i += 1
        else:
            raw, j = _read_bare(text, i)
            if raw in OPERATORS:
                tokens.append(_Tok("op", raw, i))
            elif _FIELD_RE.match(raw):
                tok, j = _field_token(raw, text, i, j)
                tokens.append(tok)
            else:
                tokens.append(_Tok("word", raw, i))
            i = j
    return tokens


# -- parser ---------------------------------------------------------------------------------
class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def _deeper(self, tok: _Tok) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise SearchQueryError(
                _(
                    "The query nests too deeply at character {n} (more than {max} levels of "
                    "parentheses or NOT); simplify it."
                ).format(n=tok.at + 1, max=MAX_DEPTH)
            )

    def peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        tok = self.peek()
        if tok is not None:
            assert tok.kind == "rparen"
            raise SearchQueryError(
                _("A closing parenthesis at character {n} has no opening one.").format(n=tok.at + 1)
            )
        return node

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while (tok := self.peek()) is not None and tok.kind == "op" and tok.text == "OR":
            self.take()
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.unary()]
        while (tok := self.peek()) is not None and tok.kind != "rparen":
            if tok.kind == "op" and tok.text == "OR":
                break
            if tok.kind == "op" and tok.text == "AND":
                self.take()
            items.append(self.unary())
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        tok = self.peek()
        if tok is not None and (tok.kind == "minus" or (tok.kind == "op" and tok.text == "NOT")):
            self.take()
            self._deeper(tok)
            node = Not(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        tok = self.peek()
        if tok is None:
            last = self.tokens[-1]
            what = f"'{last.text}'" if last.kind in ("op", "minus") else "'('"
            raise SearchQueryError(
                _("The query ends too early: '(' must be followed by a search term and a "
                  "closing ')'.") if what == "'('" else
                _("The query ends too early: {what} must be followed by a search term.")
                .format(what=what)
            )  # fmt: skip
        if tok.kind == "op":
            raise SearchQueryError(
                _("'{op}' at character {n} needs a search term on both sides.").format(
                    op=tok.text, n=tok.at + 1
                )
            )
        if tok.kind == "rparen":
            raise SearchQueryError(
                _(
                    "Unexpected ')' at character {n}: empty parentheses or an unbalanced one."
                ).format(n=tok.at + 1)
            )
        self.take()
        if tok.kind == "lparen":
            self._deeper(tok)
            node = self.or_expr()
            self.depth -= 1
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise SearchQueryError(
                    _("The parenthesis opened at character {n} is not closed.").format(n=tok.at + 1)
                )
            self.take()
            return node
        if tok.kind == "phrase":
            return _phrase(tok)
        if tok.kind == "field":
            return _field(tok)
        return _word(tok)


def _word(tok: _Tok) -> Word:
    text = tok.text
    prefix = text.endswith("*")
    stem = text.rstrip("*") if prefix else text
    if "*" in stem:
        raise SearchQueryError(
            _("'{word}': only a star at the end of a word is supported (a prefix search).").format(
                word=text
            )
        )
    if prefix and sum(ch.isalnum() for ch in stem) < MIN_PREFIX:
        raise SearchQueryError(
            _("'{word}': a prefix search needs at least {n} letters before the star.").format(
                word=text, n=MIN_PREFIX
            )
        )
    return Word(stem, prefix)


def _phrase(tok: _Tok) -> Node:
    words = tuple(tok.text.split())
    if not words:
        raise SearchQueryError(
            _("Empty quotes at character {n}: put words between them or remove them.").format(
                n=tok.at + 1
            )
        )
    return Phrase(words) if len(words) > 1 else Word(words[0])


def _field(tok: _Tok) -> FieldFilter:
    value = tok.text.strip()
    if tok.field == "date":
        start, end = parse_date_range(value)
        return FieldFilter("date", value, start, end)
    if tok.field == "status":
        wanted = value.lower().replace("-", "_").replace(" ", "_")
        if wanted not in {s.value for s in Status}:
            raise SearchQueryError(
                _("'{value}' is not a status. Use one of: {options}.").format(
                    value=value, options=", ".join(s.value for s in Status)
                )
            )
        return FieldFilter("status", wanted)
    if tok.field == "lang":
        if value.lower() not in LANGUAGES:
            raise SearchQueryError(
                _("'{value}' is not a language code. Use one of: {options}.").format(
                    value=value, options=", ".join(LANGUAGES)
                )
            )
        return FieldFilter("lang", value.lower())
    return FieldFilter(tok.field, value)


def _bound(text: str, *, end: bool) -> date:
    match = _DAY_RE.match(text)
    if match is None:
        raise SearchQueryError(
            _(
                "'{value}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD, e.g. "
                "date:2020-11..2020-12."
            ).format(value=text)
        )
    year = int(match.group(1))
    month = int(match.group(2) or (12 if end else 1))
    try:
        if match.group(3):
            return date(year, month, int(match.group(3)))
        day = calendar.monthrange(year, month)[1] if end else 1
        return date(year, month, day)
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise SearchQueryError(
            _("'{value}' is not a valid date ({reason}).").format(value=text, reason=exc)
        ) from None


def parse_date_range(value: str) -> tuple[date | None, date | None]:
    """'2020-11..2020-12' -> (2020-11-01, 2020-12-31); '2020-11-15' -> that day twice."""
    if ".." in value:
        left, _dots, right = value.partition("..")
        if not left and not right:
            raise SearchQueryError(_("'date:..' needs at least one end, e.g. date:2020-11.."))
        start = _bound(left, end=False) if left else None
        end = _bound(right, end=True) if right else None
        if start and end and end < start:
            raise SearchQueryError(
                _("The date range '{value}' ends before it begins.").format(value=value)
            )
        return start, end
    return _bound(value, end=False), _bound(value, end=True)


def parse(text: str) -> Node | None:
    """The syntax tree of ``text`` (None for an empty query); SearchQueryError if malformed."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchQueryError(
            _("The query is too long (over {n} characters).").format(n=MAX_QUERY_LENGTH)
        )
    return _Parser(tokenize(text)).parse()
