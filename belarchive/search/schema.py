"""The index schema: one Whoosh document per current (not deleted) event.

Text fields receive pre-analysed term strings from ``documents.build_fields`` (one analysis
pass per event feeds all of them); their analyzer still accepts raw text, so Whoosh's own
tools (highlighting, its query parser) keep working on them.

- ``body``: stemmed terms of everything searchable, with positions (words and phrases);
- ``title``: stemmed title terms, a second field so that title matches rank higher;
- ``folded``: folded, unstemmed words, once per event, for prefix queries;
- ``spell``: lower-cased words with accents, for "did you mean";
- ``xkey``: script-neutral keys of names (Minsk / Μινσκ / Минск -> "mnsk");
- ``tag``, ``place``: vocabulary keys; labels and name variants are resolved at query time,
  so editing the vocabulary never requires re-indexing;
- ``actor``: folded actor name words and "~" + their script-neutral keys.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from belarchive.search.analysis import BelarchiveAnalyzer

# Bumped whenever the schema or the analysis changes: an older index is rebuilt on open.
INDEX_FORMAT = 1
# Undated events sort and filter as if at the far end of time, never inside a range.
NO_DATE = 0

TEXT_FIELDS = ("title", "body")


def build_schema() -> Schema:
    stem = BelarchiveAnalyzer("stem")
    return Schema(
        uuid=ID(unique=True, stored=True),
        title=TEXT(analyzer=stem, phrase=False, field_boost=2.0),
        body=TEXT(analyzer=stem, phrase=True),
        folded=TEXT(analyzer=BelarchiveAnalyzer("fold"), phrase=False),
        spell=TEXT(analyzer=BelarchiveAnalyzer("spell"), phrase=False),
        xkey=KEYWORD(scorable=True),
        tag=KEYWORD,
        place=KEYWORD,
        actor=KEYWORD(scorable=True),
        status=ID,
        lang=ID,
        date_from=NUMERIC(int, bits=32),
        date_to=NUMERIC(int, bits=32),
        stored_title=STORED,
        stored_text=STORED,
        stored_date=STORED,
    )
