"""Patches 7 and 9 of whoosh_patches.py: the posting pool, and a segment's postings handed
to the codec a term at a time.

**The pool** (what a writer holds before it writes a segment). Whoosh keeps each posting as
a tuple with its own copy of the term's bytes and weight, and sorts all of them (millions
of tuples in a rebuild's worker) to write the segment. Here each term's postings are kept
together in one flat list, with one copy of each distinct weight and short value per
pool, and only the terms are sorted: a term's postings arrive in document order, since a
writer numbers documents upward. The memory counted towards the pool's limit, the spilled
runs (sorted tuples, as Whoosh writes them) and the order of the postings are Whoosh's;
if documents ever arrived out of order, the postings are sorted as Whoosh sorts them.
``add_document`` is Whoosh's, but gives the pool a field's postings at once rather than
one call per posting.

**Writing.** Whoosh's ``FieldWriter.add_postings`` gives the W3 codec one posting at a time:
for each, a field-length look-up, four type asserts and an append to three buffers, then
the block statistics compared posting by posting. Here the codec's postings writer is
given whole blocks, and a term of one block (most of them: word pairs, rare words) is
written in one step with what Whoosh's ``_write_block``/``finish_term`` compute for it.
Terms of several blocks go through Whoosh's own ``_write_block`` and ``finish_term``.

With fields.py, these took a 100,000-event rebuild from 184 to 157 s of CPU (95 to 80 s)
and its workers from ~430 to ~245 MiB each (performance.md).
The files written are byte for byte those Whoosh writes, spilled or not, and merged
(tests/test_whoosh_writer.py compares them); the originals relied on are pinned by hash
in whoosh_patches.ORIGINALS.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from whoosh.codec import whoosh3
from whoosh.codec.base import OutOfOrderError
from whoosh.compat import dumps
from whoosh.system import pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode

from belarchive.search.whoosh_patches import LENGTHS, ORIGINALS, perdoc_lengths

Posting = tuple[str, bytes, int, float, bytes | None]
# The lengths of a term's documents in a field (0 where a document has none).
LengthsOf = Callable[[Sequence[int]], Sequence[int]]


def add_postings(self: Any, schema: Any, lengths: Any, items: Iterable[Posting]) -> None:
    """``FieldWriter.add_postings`` for the W3 codec (same calls, same checks, same files)."""
    if isinstance(items, PooledPostings) and items.ordered:
        _add_pooled(self, schema, lengths, items)
        return
    lastfn: str | None = None
    lasttext: bytes | None = None
    lengths_of: LengthsOf = _no_lengths
    term: tuple[bytes, list[int], list[float], list[bytes | None]] | None = None
    for fieldname, btext, docnum, weight, value in items:
        if fieldname != lastfn:
            if lastfn is not None and fieldname < lastfn:
                raise OutOfOrderError(f"Field {lastfn!r} .. {fieldname!r}")
            if term:
                _write_term(self, *term, lengths_of)
                term = None
            if lastfn is not None:
                self.finish_field()
            self.start_field(fieldname, schema[fieldname])
            lengths_of = _lengths_getter(lengths, fieldname)
            lastfn, lasttext = fieldname, None
        elif lasttext and btext < lasttext:
            raise OutOfOrderError(f"Term {lastfn}:{lasttext!r} .. {fieldname}:{btext!r}")
        if docnum == -1:  # Whoosh's marker of a spelling-only word: no posting
            continue
        if btext != lasttext:
            if term:
                _write_term(self, *term, lengths_of)
            term = (btext, [], [], [])
            lasttext = btext
        assert term is not None
        term[1].append(docnum)
        term[2].append(weight)
        term[3].append(value)
    if term:
        _write_term(self, *term, lengths_of)
    if lastfn is not None:
        self.finish_field()


def _add_pooled(self: Any, schema: Any, lengths: Any, pooled: PooledPostings) -> None:
    for fieldname, terms in pooled.fields():
        self.start_field(fieldname, schema[fieldname])
        lengths_of = _lengths_getter(lengths, fieldname)
        for btext in sorted(terms):
            flat = terms[btext]
            _write_term(self, btext, flat[0::3], flat[1::3], flat[2::3], lengths_of)
        self.finish_field()


def _write_term(
    fieldwriter: Any, btext: bytes, ids: list[int], weights: list[float],
    values: list[bytes | None], lengths_of: LengthsOf,
) -> None:  # fmt: skip
    """Write a term's postings in blocks, as ``add_posting`` would have, and its entry in
    the term table."""
    writer = fieldwriter._postwriter
    limit = writer._blocklimit
    lengths = lengths_of(ids)
    count = len(ids)
    if count <= limit:
        _write_one_block_term(fieldwriter, btext, ids, weights, values, lengths)
        return
    fieldwriter.start_term(btext)
    for start in range(0, count, limit):
        end = min(count, start + limit)
        block_weights = weights[start:end]
        writer._ids = array("I", ids[start:end])
        writer._weights = array("f", block_weights)
        writer._values = [v for v in values[start:end] if v]
        writer._maxweight, writer._minlength, writer._maxlength = _block_stats(
            block_weights, lengths[start:end]
        )
        writer._write_block(last=end == count)
    fieldwriter.finish_term()


def _write_one_block_term(
    fieldwriter: Any, btext: bytes, ids: list[int], weights: list[float],
    values: list[bytes | None], lengths: Sequence[int],
) -> None:  # fmt: skip
    # Most terms (word pairs, rare words) have a single block; their whole write is done
    # here with what start_term, _write_block, finish_postings, W3TermInfo and finish_term
    # compute for one block (the multi-block path above is Whoosh's own).
    writer = fieldwriter._postwriter
    postfile = writer._postfile
    start = postfile.tell()
    block_weights = array("f", weights)
    maxweight, minlength, maxlength = _block_stats(weights, lengths)
    kept_values = [v for v in values if v]
    fixed_size = fieldwriter._format.fixed_value_size()
    data = (tuple(delta_encode(ids)), _mini_weights(block_weights),
            _mini_values(kept_values, fixed_size))  # fmt: skip
    databytes = dumps(data, 2)
    compression = writer._compression
    if compression:
        databytes = zlib.compress(databytes, compression)
    infobytes = dumps((len(ids), ids[-1], maxweight, compression, length_to_byte(minlength),
                       length_to_byte(maxlength)), 2)  # fmt: skip
    blocklength = pack_int(-(len(infobytes) + len(databytes)))  # negative: the last block
    postfile.write(b"".join((whoosh3.WHOOSH3_HEADER_MAGIC, blocklength, infobytes, databytes)))
    terminfo = whoosh3.W3TermInfo._struct.pack(
        False, sum(block_weights), len(ids), 0 if minlength is None else length_to_byte(minlength),
        length_to_byte(maxlength), maxweight, ids[0], ids[-1],
    )  # fmt: skip
    extent = pack_long(start) + pack_int(postfile.tell() - start)
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + btext, terminfo + extent)


def _block_stats(weights: Sequence[float], lengths: Sequence[int]) -> tuple[float, int | None, int]:
    """(maximum weight, shortest and longest field length) of a block, as add_posting
    keeps them: a weight only when above the maximum so far (from 0), lengths of 0 not."""
    present = [n for n in lengths if n]
    return max(0, max(weights)), min(present) if present else None, max(present) if present else 0


def _mini_weights(weights: array[float]) -> object:
    # W3PostingsWriter._mini_weights
    first = weights[0]
    if weights.count(first) == len(weights):
        return None if first == 1.0 else first
    return tuple(weights)


def _mini_values(values: list[bytes], fixed_size: int | None) -> object:
    # W3PostingsWriter._mini_values
    if fixed_size is None or fixed_size < 0:
        return tuple(values)
    if fixed_size == 0:
        return None
    return b"".join(values)


def _no_lengths(ids: Sequence[int]) -> Sequence[int]:
    return [0] * len(ids)


def _lengths_getter(lengths: Any, fieldname: str) -> LengthsOf:
    if not lengths:
        return _no_lengths
    if type(lengths) is not whoosh3.W3PerDocReader:
        return lambda ids: [lengths.doc_field_length(d, fieldname) or 0 for d in ids]
    column = perdoc_lengths(lengths, fieldname)
    if column is None:
        return _no_lengths
    doccount = lengths._doccount

    def lengths_of(ids: Sequence[int]) -> Sequence[int]:
        if ids[-1] > doccount:  # as doc_field_length does
            raise IndexError(f"Asked for docnum {ids[-1]!r} of {doccount}")
        size = len(column)
        return [LENGTHS[column[d]] if d < size else 0 for d in ids]

    return lengths_of


# -- the pool ---------------------------------------------------------------------------------
# Values up to this length are shared between postings (the frequencies and short position
# lists of the fields that have them); longer ones are rarely equal.
_SHARED_VALUE_BYTES = 8
# Whoosh's own estimate of a posting's memory, less its variable parts (writing.py).
_POSTING_ESTIMATE = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21
# field name -> term bytes -> [docnum, weight, value, docnum, weight, value, ...]
Terms = dict[bytes, list[Any]]


class PooledPostings:
    """A pool's postings (none spilled), in Whoosh's order when iterated."""

    def __init__(self, fields: dict[str, Terms], ordered: bool) -> None:
        self._fields = fields
        self.ordered = ordered  # each term's documents in increasing order

    def fields(self) -> Iterator[tuple[str, Terms]]:
        for fieldname in sorted(self._fields):
            yield fieldname, self._fields[fieldname]

    def __iter__(self) -> Iterator[Posting]:
        if not self.ordered:
            return iter(sorted(self._unsorted()))  # what Whoosh's pool gives
        return self._in_order()

    def _in_order(self) -> Iterator[Posting]:
        for fieldname, terms in self.fields():
            for btext in sorted(terms):
                flat = terms[btext]
                for i in range(0, len(flat), 3):
                    yield fieldname, btext, flat[i], flat[i + 1], flat[i + 2]

    def _unsorted(self) -> Iterator[Posting]:
        for fieldname, terms in self._fields.items():
            for btext, flat in terms.items():
                for i in range(0, len(flat), 3):
                    yield fieldname, btext, flat[i], flat[i + 1], flat[i + 2]


def add_document(self: Any, **fields: Any) -> None:
    """SegmentWriter.add_document, with each field's postings put in the pool at once
    (``_pool_field``) instead of one call per posting; everything else is Whoosh's."""
    self._check_state()
    perdocwriter = self.perdocwriter
    schema = self.schema
    docnum = self.docnum
    docboost = self._doc_boost(fields)
    fieldnames = sorted([name for name in fields if not name.startswith("_")])
    self._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    try:
        for fieldname in fieldnames:
            value = fields.get(fieldname)
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                fieldboost = self._field_boost(fields, fieldname, docboost)
                length = _pool_field(self.pool, fieldname, field.index(value), docnum,
                                     fieldboost, field.scorable)  # fmt: skip
            if field.separate_spelling():
                spellfield = field.spelling_fieldname(fieldname)
                for word in field.spellable_words(value):
                    # Whoosh passes a value left over from the loop above; no field of this
                    # index has separate spelling words.
                    pool_add(self.pool, (spellfield, word.encode("utf-8"), 0, 1, None))
            vformat = field.vector
            if vformat:
                vitems = vformat.word_values(value, field.analyzer, mode="index")
                vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                perdocwriter.add_vector_items(fieldname, field, vitems)
            customval = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
            column = field.column_type
            if column and customval is not None:
                perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
    except Exception:
        perdocwriter.cancel_doc()
        raise
    perdocwriter.finish_doc()
    self._added = True
    self.docnum += 1


def _pool_field(
    pool: Any, fieldname: str, items: Iterable[tuple[bytes, int, float, bytes | None]],
    docnum: int, fieldboost: float, scorable: bool,
) -> int:  # fmt: skip
    """A field's postings in one document into the pool, with Whoosh's memory estimate and
    spill; returns the field's length (the sum of its frequencies, when it is scorable)."""
    length = 0
    terms, shared = _field_terms(pool, fieldname, docnum)
    base = _POSTING_ESTIMATE + len(fieldname)
    for tbytes, freq, weight, vbytes in items:
        weight *= fieldboost
        if scorable:
            length += freq
        pool.currentsize += base + 2 * len(tbytes) + len(vbytes or "")
        if pool.currentsize > pool.limit:
            pool.save()  # as pool_add: spilled before the posting that went over
            terms, shared = _field_terms(pool, fieldname, docnum)
        if vbytes is not None and len(vbytes) <= _SHARED_VALUE_BYTES:
            vbytes = shared.setdefault(vbytes, vbytes)
        flat = terms.get(tbytes)
        if flat is None:
            terms[tbytes] = [docnum, shared.setdefault(weight, weight), vbytes]
        else:
            flat += (docnum, shared.setdefault(weight, weight), vbytes)
    return length


def _field_terms(pool: Any, fieldname: str, docnum: int) -> tuple[Terms, dict[Any, Any]]:
    try:
        fields = pool._belarchive_fields
    except AttributeError:
        fields = _empty_pool(pool)
    terms = fields.get(fieldname)
    if terms is None:
        terms = fields[fieldname] = {}
        pool.fieldnames.add(fieldname)
    if docnum < pool._belarchive_last:
        pool._belarchive_ordered = False
    pool._belarchive_last = docnum
    return terms, pool._belarchive_shared


def pool_add(self: Any, item: Posting) -> None:
    """PostingPool.add: the same estimate and spill, the posting kept with its term."""
    fieldname, tbytes, docnum, weight, vbytes = item
    # A boost of int 1 leaves the weight as it is, its type too.
    _pool_field(self, fieldname, ((tbytes, 0, weight, vbytes),), docnum, 1, False)


def _empty_pool(pool: Any) -> dict[str, Terms]:
    pool._belarchive_fields = {}
    pool._belarchive_shared = {}
    pool._belarchive_ordered = True
    # Not -1: Whoosh's spelling-only postings (docnum -1) take the sorted path.
    pool._belarchive_last = 0
    return pool._belarchive_fields  # type: ignore[no-any-return]


def pool_save(self: Any) -> None:
    """PostingPool.save: the postings so far written as a sorted run, as Whoosh does."""
    fields = getattr(self, "_belarchive_fields", None)
    if fields:
        self.current = list(PooledPostings(fields, self._belarchive_ordered))
        _empty_pool(self)
    ORIGINALS["PostingPool.save"](self)


def pool_postings(self: Any) -> Iterable[Posting]:
    """PostingPool.iter_postings: spilled runs are merged by Whoosh (after the rest is
    saved as a run); else the terms as they are, in order."""
    if self.runs or self.current:
        return ORIGINALS["SortingPool.items"](self)  # type: ignore[no-any-return]
    fields = getattr(self, "_belarchive_fields", None) or {}
    return PooledPostings(fields, getattr(self, "_belarchive_ordered", True))
