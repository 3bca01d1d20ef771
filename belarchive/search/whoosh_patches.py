"""Targeted fixes to Whoosh, applied on import of the search package.

1. While writing a segment, Whoosh asks for the length of a field once per posting; for a
   field without lengths (every non-scorable field: folded, xkey, tag, place...) it does
   not remember that the column is absent and calls ``os.stat`` again each time: 300,000
   stat calls per 3,000 events, a third of a commit. Remembering the absence changes
   nothing else.
2. Opening a segment reads the 256-entry directory of its term hash table with one file
   read per entry. Every edit opens a reader on every segment (twice: the writer's
   delete-by-uuid and the fresh searcher), so with a few dozen segments after a burst of
   edits this alone cost ~30 ms an edit. One read of the whole directory gives the same
   entries.
3. BM25 asks for a document's field length once per posting scored, and the writer once
   per posting written; each ask was a positioned file read of one byte (0.6 s per 10,000
   events built, a quarter of a common word's query). The lengths column of a segment
   (one byte an event, written before its postings, never changed after) is read once
   into memory instead.
4. A phrase (words at consecutive positions) is checked per candidate event by building a
   Span object per position of every word and bisecting between them. The same answer
   comes from sets of start positions (checked equal on 60 phrases, 22,000 hits, of the
   100,000-event bench): ~10 % off phrases of common words, which check tens of thousands
   of events. Other span queries (slop, unordered) keep Whoosh's code.
5. A full rebuild of a large catalogue writes with worker processes (``SubWriterTask``).
   When the rebuild's own process is killed, Whoosh's workers wait on their job queue
   forever, holding gigabytes. Each worker now watches its parent and exits when the parent
   is gone (``watch_parent``); the work itself is Whoosh's, unchanged.
6. Reading all the document numbers of a term's postings (idsets.py) went posting by
   posting through ``is_active``/``id``/``next``, three Python calls each; a block's ids
   are one decoded tuple, so they are now taken a block at a time (~15x faster, the same
   ids in the same order).

7. Whoosh's posting pool (what a writer holds before it writes a segment) keeps each
   posting as a tuple with its own copy of the term's bytes and of its weight, and often
   of a short value: ~200 bytes a posting, where Whoosh counts ~180 towards its memory
   limit. A rebuild's worker, given 512 MB, grew to 770-850 MB. And to write a segment it
   sorts every posting (millions of tuples). The pool (``whoosh_writer``) now keeps each
   term's postings together, with one copy of each distinct weight and short value, and
   sorts only the terms; a document's postings reach it a field at a time
   (``add_document``). Spilled runs, their order and what is written are the same.
8. Not a patch but a reader of the same internals: ranking a query of plain words
   (bm25.py) reads each term's document numbers and weights a block at a time
   (``posting_blocks``), skipping unread the blocks that hold none of the documents still
   wanted, and each segment's field lengths from patch 3's copy (``field_lengths``);
   counts of a term are summed over the segments of a multi-segment reader
   (``segment_readers``).
9. Writing a segment, Whoosh hands the codec one posting at a time, with a length look-up
   and type checks each: half of a commit. ``whoosh_writer.add_postings`` takes a term's
   postings from the pool at once and writes whole blocks; the files are byte for byte
   the same.

``ORIGINALS`` keeps Whoosh's own code of everything replaced or relied on here;
tests/test_whoosh_patches.py fails when an upgrade of Whoosh changes any of it, so that
each patch is looked at again before it is trusted on the new code.
"""

from __future__ import annotations

import os
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from whoosh import multiproc, writing
from whoosh.codec import whoosh3
from whoosh.codec.base import FieldWriter, Segment
from whoosh.externalsort import SortingPool
from whoosh.filedb import filetables
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query.spans import Span, SpanNear2
from whoosh.reading import MultiReader, SegmentReader
from whoosh.util.numeric import byte_to_length

_PATCHED = "_belarchive_patched"
# Whoosh's code this module replaces or relies on, taken before anything is patched.
ORIGINALS: dict[str, Any] = {
    "W3PerDocReader._cached_reader": whoosh3.W3PerDocReader._cached_reader,
    "W3PerDocReader.doc_field_length": whoosh3.W3PerDocReader.doc_field_length,
    "HashReader.__init__": filetables.HashReader.__init__,
    "SpanNear2Matcher._get_spans": SpanNear2.SpanNear2Matcher._get_spans,
    "SubWriterTask.run": multiproc.SubWriterTask.run,
    "W3LeafMatcher._goto": whoosh3.W3LeafMatcher._goto,
    "W3LeafMatcher._next_block": whoosh3.W3LeafMatcher._next_block,
    "W3LeafMatcher._read_ids": whoosh3.W3LeafMatcher._read_ids,
    "Matcher.all_ids": whoosh3.W3LeafMatcher.all_ids,
    "W3LeafMatcher._read_weights": whoosh3.W3LeafMatcher._read_weights,
    "FilterMatcher.__init__": FilterMatcher.__init__,
    "SegmentReader.postings": SegmentReader.postings,
    "SegmentReader.deleted_docs_set": SegmentReader.__dict__["deleted_docs_set"].func,
    "Segment.segment_id": Segment.segment_id,
    "MultiReader.__init__": MultiReader.__init__,
    "PostingPool.add": writing.PostingPool.add,
    "PostingPool.save": writing.PostingPool.save,
    "PostingPool.iter_postings": writing.PostingPool.iter_postings,
    "SortingPool.save": SortingPool.save,
    "SortingPool.items": SortingPool.items,
    "SegmentWriter._flush_segment": writing.SegmentWriter._flush_segment,
    "SegmentWriter.add_document": writing.SegmentWriter.add_document,
    "FieldWriter.add_postings": FieldWriter.add_postings,
    "W3FieldWriter.start_term": whoosh3.W3FieldWriter.start_term,
    "W3FieldWriter.finish_term": whoosh3.W3FieldWriter.finish_term,
    "W3PostingsWriter.add_posting": whoosh3.W3PostingsWriter.add_posting,
    "W3PostingsWriter.finish_postings": whoosh3.W3PostingsWriter.finish_postings,
    "W3PostingsWriter._new_block": whoosh3.W3PostingsWriter._new_block,
    "W3PostingsWriter._write_block": whoosh3.W3PostingsWriter._write_block,
}
LENGTHS = [byte_to_length(b) for b in range(256)]
_LENGTHS_KEY = "\x00lengths "  # our entries in the reader's column cache


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


def _hash_reader_init(
    self: Any, dbfile: Any, length: int | None = None, magic: bytes = b"HSH3", startoffset: int = 0
) -> None:
    # Whoosh's HashReader.__init__, but for the directory read in one piece at the end.
    self.dbfile = dbfile
    self.startoffset = startoffset
    self.is_closed = False
    if length is None:
        dbfile.seek(0, os.SEEK_END)
        length = dbfile.tell() - startoffset
    dbfile.seek(startoffset)
    filemagic = dbfile.read(4)
    if filemagic != magic:
        raise filetables.FileFormatError(f"Unknown file header {filemagic!r}")
    self.hashtype = dbfile.read_byte()
    self.hashfn = filetables._hash_functions[self.hashtype]
    dbfile.read_int()
    dbfile.read_int()
    self.startofdata = dbfile.tell()
    exptr = startoffset + length - filetables._INT_SIZE
    exlen = dbfile.get_int(exptr)
    expos = exptr - exlen
    dbfile.seek(expos)
    self._read_extras()
    dbfile.seek(expos - filetables._directory_size)
    entry = filetables._dir_entry
    self.tables = list(entry.iter_unpack(dbfile.read(entry.size * 256)))
    self.endofdata = self.tables[0][0]


def _doc_field_length(self: Any, docnum: int, fieldname: str, default: int = 0) -> Any:
    # Whoosh's doc_field_length over the column held in memory; same results, including
    # None (not ``default``) for a document without the field.
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    lengths = self._readers.get(_LENGTHS_KEY + fieldname)
    if lengths is None:
        reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        if reader is None:
            return default
        lengths = self._readers[_LENGTHS_KEY + fieldname] = bytes(
            reader._dbfile.get(reader._basepos, reader._count)
        )
    lbyte = lengths[docnum] if docnum < len(lengths) else 0
    return LENGTHS[lbyte] if lbyte else None


_near_spans = SpanNear2.SpanNear2Matcher._get_spans


def _phrase_spans(self: Any) -> list[Span]:
    if not (self.ordered and self.slop == 1 and self.mindist == 1):
        return _near_spans(self)  # type: ignore[no-any-return]
    # Starts s with word k at s + k for every k: exactly the spans Whoosh's loop builds.
    matchers = self.ms
    starts = set(matchers[0].value_as("positions"))
    for k in range(1, len(matchers)):
        if not starts:
            return []
        starts = {p - k for p in matchers[k].value_as("positions") if p - k in starts}
    last = len(matchers) - 1
    return [Span(s, s + last) for s in sorted(starts)]


def _leaf_all_ids(self: Any) -> Any:
    # Whoosh's Matcher.all_ids (from the current posting to the end), a block at a time.
    while not self._atend:
        if self._ids is None:
            self._read_ids()
        yield from self._ids[self._i :]
        self._next_block()


Block = tuple[Sequence[int], Sequence[float]]


def term_postings(reader: Any, fieldname: str, text: object) -> Any:
    """The postings matcher of a term in one segment, its deleted documents left in (the
    caller drops them: ``deleted_docs``)."""
    matcher = reader.postings(fieldname, text)
    if type(matcher) is FilterMatcher and matcher._exclude:
        return matcher.child
    return matcher


def deleted_docs(reader: Any) -> frozenset[int]:
    """One segment's deleted documents (still in its postings)."""
    return frozenset(reader.deleted_docs_set or ())


def segment_readers(reader: Any) -> list[Any]:
    """The readers of a reader over several segments (its ``readers``), else itself."""
    return list(reader.readers) if isinstance(reader, MultiReader) else [reader]


def segment_key(reader: Any) -> str:
    """A segment's name: unique, and its postings never change once written."""
    return reader._segment.segment_id()  # type: ignore[no-any-return]


def posting_blocks(matcher: Any, wanted: Sequence[int] | None = None) -> Iterator[Block]:
    """(document numbers, weights) of ``matcher``'s postings from the current one on, a
    block at a time; with ``wanted`` (sorted), blocks holding none of them are not read."""
    if type(matcher) is not whoosh3.W3LeafMatcher:  # a term's few postings kept inline
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        yield ids, weights
        return
    below = -1  # every id of the current block is above the previous block's last
    while not matcher._atend:
        last = matcher._maxid
        if wanted is not None:
            i = bisect_right(wanted, below)
            if i == len(wanted):
                return
            if wanted[i] > last:  # nothing wanted in this block: its data stays unread
                below = last
                matcher._next_block()
                continue
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start = matcher._i
        yield matcher._ids[start:], matcher._weights[start:]
        below = last
        matcher._next_block()


def field_lengths(reader: Any, fieldname: str) -> bytes | None:
    """One segment's encoded field lengths (a byte per document, ``byte_to_length``), the
    copy patch 3 keeps; None if the segment holds no lengths of the field."""
    return perdoc_lengths(reader._perdoc, fieldname)


def perdoc_lengths(perdoc: Any, fieldname: str) -> bytes | None:
    """``field_lengths`` from a segment's per-document reader."""
    if type(perdoc) is not whoosh3.W3PerDocReader:
        return None
    _doc_field_length(perdoc, 0, fieldname)
    found: bytes | None = perdoc._readers.get(_LENGTHS_KEY + fieldname)
    return found


PARENT_POLL_SECONDS = 1.0


def watch_parent(parent: int, poll: float = PARENT_POLL_SECONDS,
                 exit_now: Callable[[int], None] = os._exit) -> threading.Thread:  # fmt: skip
    """A daemon thread that ends this process once ``parent`` is no longer its parent."""

    def watch() -> None:
        while True:
            time.sleep(poll)
            if os.getppid() != parent:
                exit_now(1)  # orphaned: nobody will ever read this worker's results
                return

    thread = threading.Thread(target=watch, name="belarchive-parent-watch", daemon=True)
    thread.start()
    return thread


_whoosh_worker_run = multiproc.SubWriterTask.run


def _worker_run(self: Any) -> Any:
    watch_parent(os.getppid())
    return _whoosh_worker_run(self)


def apply() -> None:
    worker = multiproc.SubWriterTask
    if not getattr(worker, _PATCHED, False):
        worker.run = _worker_run
        setattr(worker, _PATCHED, True)
    cls = whoosh3.W3PerDocReader
    if not getattr(cls, _PATCHED, False):
        cls._cached_reader = _cached_reader
        cls.doc_field_length = _doc_field_length
        setattr(cls, _PATCHED, True)
    near = SpanNear2.SpanNear2Matcher
    if not getattr(near, _PATCHED, False):
        near._get_spans = _phrase_spans
        setattr(near, _PATCHED, True)
    hashes = filetables.HashReader
    if not getattr(hashes, _PATCHED, False):
        hashes.__init__ = _hash_reader_init
        setattr(hashes, _PATCHED, True)
    leaf = whoosh3.W3LeafMatcher
    if not getattr(leaf, _PATCHED, False):
        leaf.all_ids = _leaf_all_ids
        setattr(leaf, _PATCHED, True)
    from belarchive.search import whoosh_writer  # it reads LENGTHS from this module

    pool = writing.PostingPool
    if not getattr(pool, _PATCHED, False):
        pool.add = whoosh_writer.pool_add
        pool.save = whoosh_writer.pool_save
        pool.iter_postings = whoosh_writer.pool_postings
        writing.SegmentWriter.add_document = whoosh_writer.add_document
        setattr(pool, _PATCHED, True)
    fields = whoosh3.W3FieldWriter
    if not getattr(fields, _PATCHED, False):
        fields.add_postings = whoosh_writer.add_postings
        setattr(fields, _PATCHED, True)
