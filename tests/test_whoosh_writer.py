"""Patches 7 and 9 (belarchive/search/whoosh_writer.py) write the files Whoosh writes, byte
for byte: the same index is written with them and with Whoosh's own pool and
``add_postings``, and with our pool feeding Whoosh's ``add_postings``."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh import index, writing
from whoosh.codec import whoosh3
from whoosh.codec.base import OutOfOrderError
from whoosh.filedb.filestore import RamStorage

from belarchive.search import whoosh_patches, whoosh_writer
from belarchive.search.schema import build_schema

WORDS = [f"w{i}" for i in range(400)]
# Posting-list lengths around Whoosh's block of 128, and one that spans several blocks.
EXACT = {"edge127": 127, "edge128": 128, "edge129": 129, "edge256": 256, "long": 700}


def _documents(count: int, seed: int) -> list[dict[str, object]]:
    rng = random.Random(seed)
    docs = []
    for n in range(count):
        words = rng.choices(WORDS, weights=[1 / (i + 1) for i in range(len(WORDS))], k=40)
        words += [w for w, upto in EXACT.items() if n < upto] * rng.randint(1, 3)
        rng.shuffle(words)
        docs.append({
            "uuid": f"u{seed}-{n}",
            "body": " ".join(words),
            "folded": " ".join(sorted(set(words))),
            "actor": " ".join(rng.sample(WORDS[:30], rng.randint(0, 3))),
            "tag": " ".join(rng.sample(["a", "b", "c"], rng.randint(0, 2))),
            "status": rng.choice(["verified", "in_review"]),
            "date_from": rng.randint(700_000, 740_000),
            "stored_title": f"t{n}",
        })  # fmt: skip
    return docs


def _write(folder: Path, *, limitmb: float) -> dict[str, bytes]:
    """Two segments of 800 documents (their pools spilled to runs), a deletion, then both
    merged into one: the postings of each segment and of the merge, by file kind."""
    folder.mkdir()
    ix = index.create_in(str(folder), build_schema())
    for seed in (1, 2):
        writer = ix.writer(limitmb=limitmb, compound=False)
        for doc in _documents(800, seed):
            writer.add_document(**doc)
        writer.commit(merge=False)
    written = _postings_files(folder)
    writer = ix.writer(compound=False)
    writer.delete_by_term("uuid", "u1-5")
    writer.commit(optimize=True)
    written.update({"merged " + k: v for k, v in _postings_files(folder).items()})
    ix.close()
    return written


def _postings_files(folder: Path) -> dict[str, bytes]:
    # File names carry random segment ids; the segments are told apart by their contents.
    found: dict[str, bytes] = {}
    for path in folder.iterdir():
        if path.suffix in (".pst", ".trm"):
            data = path.read_bytes()
            found[f"{path.suffix} {len(data)} {hash(data)}"] = data
    return found


def _whoosh_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("add", "save", "iter_postings"):
        original = whoosh_patches.ORIGINALS[f"PostingPool.{name}"]
        monkeypatch.setattr(writing.PostingPool, name, original)
    original = whoosh_patches.ORIGINALS["SegmentWriter.add_document"]
    monkeypatch.setattr(writing.SegmentWriter, "add_document", original)


def _whoosh_add_postings(monkeypatch: pytest.MonkeyPatch) -> None:
    original = whoosh_patches.ORIGINALS["FieldWriter.add_postings"]
    monkeypatch.setattr(whoosh3.W3FieldWriter, "add_postings", original)


@pytest.mark.parametrize("limitmb", [0.05, 64])  # spilled to sorted runs, or not
@pytest.mark.parametrize("theirs", ["all", "add_postings"])
def test_the_files_are_those_whoosh_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limitmb: float, theirs: str
) -> None:
    ours = _write(tmp_path / "ours", limitmb=limitmb)
    _whoosh_add_postings(monkeypatch)
    if theirs == "all":
        _whoosh_pool(monkeypatch)
    assert whoosh3.W3FieldWriter.add_postings is not whoosh_writer.add_postings
    assert ours == _write(tmp_path / "theirs", limitmb=limitmb)
    assert sum(k.startswith(".pst") for k in ours) == 2  # both segments compared,
    before = {v for k, v in ours.items() if not k.startswith("merged")}
    assert {v for k, v in ours.items() if k.startswith("merged")} - before  # and their merge


def test_postings_out_of_document_order_come_out_as_whoosh_sorts_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    postings = [("tag", b"b", 5, 1.0, None), ("body", b"a", 9, 2.0, b"\x00\x02"),
                ("tag", b"b", 2, 1.0, None), ("body", b"a", 3, 1.0, b"\x00\x01"),
                ("tag", b"a", 7, 1.0, None)]  # fmt: skip
    pool = writing.PostingPool(RamStorage(), segment=None, limitmb=64)
    for posting in postings:
        pool.add(posting)
    pooled = pool.iter_postings()
    assert isinstance(pooled, whoosh_writer.PooledPostings) and not pooled.ordered
    assert list(pooled) == sorted(postings)


def test_the_pool_keeps_one_copy_of_each_term_weight_and_short_value() -> None:
    pool = writing.PostingPool(RamStorage(), segment=None, limitmb=64)
    for docnum in range(3):
        pool.add(("body", b"arrest", docnum, float(2), bytes([0, 2])))
    pooled = list(pool.iter_postings())
    assert [p[2] for p in pooled] == [0, 1, 2]
    for slot in (1, 3, 4):  # term, weight, value
        assert len({id(p[slot]) for p in pooled}) == 1


def test_the_patch_is_what_writes_segments() -> None:
    assert whoosh3.W3FieldWriter.add_postings is whoosh_writer.add_postings


def test_postings_out_of_order_are_refused(tmp_path: Path) -> None:
    ix = index.create_in(str(tmp_path), build_schema())
    for postings in (
        [("tag", b"b", 0, 1.0, None), ("tag", b"a", 1, 1.0, None)],
        [("tag", b"a", 0, 1.0, None), ("place", b"a", 1, 1.0, None)],
    ):
        writer = ix.writer()
        with pytest.raises(OutOfOrderError):
            writer.fieldwriter.add_postings(ix.schema, None, postings)  # type: ignore[attr-defined]
        writer.cancel()  # type: ignore[attr-defined]
