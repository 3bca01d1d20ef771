"""The index schema: one Whoosh document per current (not deleted) event.

Text fields receive pre-analysed term strings from ``documents.build_fields`` (one analysis
pass per event feeds all of them); their analyzer still accepts raw text, so Whoosh's own
tools (highlighting, its query parser) keep working on them.

- ``body``: stemmed terms of everything searchable, with positions (words and phrases);
  the title goes in twice, which ranks title matches higher at no cost per query (a
  separate title field made every word query a union of two matchers: +40 % latency);
- ``folded``: folded, unstemmed words, once per event: prefix queries, and the vocabulary
  for "did you mean" (a separate spelling field doubled the postings written per event);
- ``xkey``: script-neutral keys of names (Minsk / Μινσκ / Минск -> "mnsk"); the body
  also holds them ("~mnsk") at the name's position, so quoted names cross scripts too;
- ``lemma``: folded dictionary forms (lemmas.py) of the words that are not their own;
- ``pair``: neighbouring terms of which one is a common word (pairs.py), for phrases,
  weighted by how often they stand side by side (a two-word phrase is answered from it);
- ``tag``, ``place``: vocabulary keys; labels and name variants are resolved at query time,
  so editing the vocabulary never requires re-indexing;
- ``actor``: folded actor name words and "~" + their script-neutral keys.
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, Schema

from belarchive.search.analysis import BelarchiveAnalyzer
from belarchive.search.fields import CountedKeyword, PreAnalysedText

# Bumped whenever the schema or the analysis changes: an older index is rebuilt on open.
INDEX_FORMAT = 9
# The word list the pair field is built with (pairs.py); tests/test_search_pairs.py fails
# when the list changes and this does not, so that INDEX_FORMAT is bumped with it.
COMMON_WORDS_DIGEST = "e631ff4d3003add3"
# The stem equivalences the index is built with (stem_table.py); tests/test_search_stems.py
# fails when the table changes and this does not.
STEM_TABLE_DIGEST = "cdaabcc978094f62"
# The word family table the family field is written with (families.py);
# tests/test_search_family_terms.py fails when the table changes and this does not.
FAMILY_TABLE_DIGEST = "06b7b0083336272c"
# Undated events sort and filter as if at the far end of time, never inside a range.
NO_DATE = 0


def build_schema() -> Schema:
    stem = BelarchiveAnalyzer("stem")
    return Schema(
        # sortable: a column, so that thousands of hit ids read without decoding stored text
        uuid=ID(unique=True, stored=True, sortable=True),
        body=PreAnalysedText(analyzer=stem, phrase=True),
        # Not scorable: no per-document lengths to write, which is most of Whoosh's cost.
        folded=CountedKeyword(analyzer=BelarchiveAnalyzer("fold")),
        xkey=CountedKeyword(),
        lemma=CountedKeyword(),
        family=CountedKeyword(),
        pair=CountedKeyword(),
        tag=CountedKeyword(),
        place=CountedKeyword(),
        actor=CountedKeyword(scorable=True),
        status=ID,
        lang=ID,
        # shift_step 8: four range-tier terms per date instead of eight, fewer postings.
        date_from=NUMERIC(int, bits=32, shift_step=8),
        date_to=NUMERIC(int, bits=32, shift_step=8),
        stored_title=STORED,
        stored_text=STORED,
        stored_date=STORED,
    )
