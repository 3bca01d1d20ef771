"""Index fields that turn the documents of ``documents.build_fields`` into postings directly.

Whoosh's ``FieldType.index`` runs the field's analyzer over a value and counts the tokens
it yields, a Python object and several calls per token: ~40 % of the time a rebuild's
workers spend adding events (performance.md). The values this index writes are already
analysed (terms joined by spaces, or ``analysis.pre_analysed``), so these fields count the
terms with ``str.split``/a regular expression and dicts instead. What they return is what
Whoosh's ``index`` returns for the same value (tests/test_search_fields.py compares them on
real events), so the postings written are the same; any other value (a list, or text not
pre-analysed) goes through Whoosh's own ``index``.

``index`` is the documented way for a field type to produce its postings; nothing of
Whoosh is patched here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from whoosh import formats
from whoosh.fields import KEYWORD, TEXT

from belarchive.search.analysis import PRE_MARK, pre_analysed_positions

Posting = tuple[bytes, int, float, bytes]
# KeywordAnalyzer's tokenizer (whoosh.analysis.SpaceSeparatedTokenizer).
_SPACE_SEPARATED = re.compile(r"[^ \t\r\n]+")


class PreAnalysedText(TEXT):  # type: ignore[misc]
    """TEXT with positions (the body), fed ``analysis.pre_analysed`` values."""

    def index(self, value: Any, **kwargs: Any) -> Iterable[Posting]:
        if not _pre_analysed(value) or type(self.format) is not formats.Positions:
            return super().index(value, **kwargs)  # type: ignore[no-any-return]
        boost = self.format.field_boost
        encode = self.format.encode
        return [
            (term.encode("utf-8"), len(where), float(len(where)) * boost, encode(where))
            for term, where in pre_analysed_positions(value).items()
        ]


class CountedKeyword(KEYWORD):  # type: ignore[misc]
    """KEYWORD (frequencies, no positions), fed space-separated terms with the default
    analyzer, or ``analysis.pre_analysed`` values with BelarchiveAnalyzer."""

    def __init__(self, **kwargs: Any) -> None:
        self._space_separated = kwargs.get("analyzer") is None and not any(
            kwargs.get(option) for option in ("lowercase", "commas")
        )
        super().__init__(**kwargs)

    def index(self, value: Any, **kwargs: Any) -> Iterable[Posting]:
        if type(self.format) is not formats.Frequency or not isinstance(value, str):
            return super().index(value, **kwargs)  # type: ignore[no-any-return]
        if _pre_analysed(value):
            counts = {t: len(w) for t, w in pre_analysed_positions(value).items()}
        elif self._space_separated:
            counts = Counter(_SPACE_SEPARATED.findall(value))
        else:
            return super().index(value, **kwargs)  # type: ignore[no-any-return]
        boost = self.format.field_boost
        pack = formats.pack_uint
        return [
            (term.encode("utf-8"), count, float(count) * boost, pack(count))
            for term, count in counts.items()
        ]


def _pre_analysed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(PRE_MARK)
