"""Search benchmark: Whoosh (our index) against SQLite FTS5 on the same synthetic catalogue.

    .venv/bin/python bench/bench_search.py --events 100000 [--queries 200] [--out bench/out]

Uses the shared synthetic catalogue of bench/synth.py (Greek/Russian/English, with sources
and citations; built once and cached under /tmp), copied so that our edits stay ours, or
with --own-corpus a simpler generator of this file. Then measures: full rebuild time and
index size, query latency p50/p95 per kind (parsing, top-50 and snippets included), and
edit-to-searchable latency.
FTS5 (unicode61 remove_diacritics 2) indexes the same text in the same run; every figure is
printed with the Whoosh/FTS5 ratio. FTS5 has no stemming and does not fold Greek accents, so
it does less work per query: it is a speed reference, not an equal.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lexicon
from search_oracle import complete_answer, scan

from belarchive.errors import SearchTooCostly
from belarchive.search import api, idsets, postings
from belarchive.services import bulk, events, search_sync
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, EventPatch
from bench.synth import PASSPHRASE

LANG_WEIGHTS = (("el", 0.60), ("ru", 0.25), ("en", 0.15))
PLACES = {  # place key -> (Latin, Cyrillic, Greek)
    "minsk": ("Minsk", "Минск", "Μινσκ"),
    "brest": ("Brest", "Брест", "Μπρεστ"),
    "grodno": ("Grodno", "Гродно", "Γκρόντνο"),
    "gomel": ("Gomel", "Гомель", "Γκόμελ"),
    "vitebsk": ("Vitebsk", "Витебск", "Βίτεμπσκ"),
    "pinsk": ("Pinsk", "Пинск", "Πινσκ"),
}
TAGS = ("protest", "detention", "torture", "police_violence", "statement", "abduction")
START = date(2020, 8, 1)
SCRIPT = {"en": 0, "ru": 1, "el": 2}


def _lang(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for lang, weight in LANG_WEIGHTS:
        acc += weight
        if x < acc:
            return lang
    return "el"


def _sentence(rng: random.Random, vocab: lexicon.ZipfVocabulary, n: int, lang: str) -> str:
    words = [vocab.draw(rng) for _ in range(n)]
    script = SCRIPT[lang]
    for _ in range(rng.randint(0, 2)):  # names and places, capitalised, in the text's script
        pick = rng.random()
        if pick < 0.4:
            name = rng.choice(lexicon.SURNAMES)[script]
        elif pick < 0.8:
            name = rng.choice(list(PLACES.values()))[script]
        else:
            name = rng.choice(lexicon.GIVEN)[script]
        words.insert(rng.randrange(len(words) + 1), name)
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + "."


def make_inputs(n: int, seed: int = 7) -> list[EventInput]:
    rng = random.Random(seed)
    vocabs = lexicon.vocabularies(seed)
    out = []
    for _ in range(n):
        lang = _lang(rng)
        vocab = vocabs[lang]
        day = START + timedelta(days=rng.randrange(900))
        description = " ".join(
            _sentence(rng, vocab, rng.randint(8, 18), lang) for _ in range(rng.randint(3, 6))
        )
        out.append(
            EventInput(
                title=_sentence(rng, vocab, rng.randint(5, 9), lang).rstrip("."),
                date=day.isoformat(),
                description=description,
                language=lang,
                tags=tuple(rng.sample(TAGS, rng.randint(1, 2))),
                places=(rng.choice(list(PLACES)),),
                actors=tuple(
                    ActorInput(
                        " ".join((rng.choice(lexicon.GIVEN)[0], rng.choice(lexicon.SURNAMES)[0]))
                    )
                    for _ in range(rng.randint(0, 1))
                ),
            )
        )
    return out


def make_catalogue(path: Path, inputs: list[EventInput]) -> Catalogue:
    if path.exists():
        shutil.rmtree(path)
    cat = Catalogue.create(path, admin="bench", passphrase=PASSPHRASE)
    for start in range(0, len(inputs), 10_000):
        bulk.create_events_bulk(cat, "bench", inputs[start : start + 10_000])
    return cat


def synth_catalogue(path: Path, n: int) -> Catalogue:
    """A private copy of bench/synth.py's cached catalogue of ``n`` events (index left out)."""
    from bench import synth

    cached = synth.cached_catalogue(n)
    if path.exists():
        shutil.rmtree(path)
    shutil.copytree(
        cached, path, ignore=shutil.ignore_patterns("index", "backups", "*-wal", "*-shm")
    )
    (path / "index").mkdir(exist_ok=True)
    return Catalogue.open(path)


def sample_texts(cat: Catalogue, count: int, seed: int = 5) -> list[str]:
    """The same texts at every run: the phrase queries are cut from them, and the word
    queries drawn after them (query_sets) depend on their lengths. Drawn by SQLite's
    random(), every run searched another 200 queries."""
    with cat.reader.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT description FROM event WHERE length(description) > 40 ORDER BY id"
        ).all()
    return [r[0] for r in random.Random(seed).sample(rows, count)]


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- query sets -----------------------------------------------------------------------------
def _content_word(rng: random.Random, vocabs: dict[str, lexicon.ZipfVocabulary]) -> str:
    vocab = vocabs[_lang(rng)]
    # Ranks 40-3000: past the function words, where people's query words live.
    return vocab.words[rng.randint(40, min(3000, len(vocab.words) - 1))]


def query_sets(texts: list[str], count: int, seed: int = 11) -> dict[str, list[tuple[str, str]]]:
    """Per kind, (our query, FTS5 query) pairs asking for the same thing."""
    rng = random.Random(seed)
    vocabs = lexicon.vocabularies(7)
    sets: dict[str, list[tuple[str, str]]] = {
        k: [] for k in ("one word", "two words", "phrase", "prefix", "field filter")
    }
    for _ in range(count):
        w1, w2 = _content_word(rng, vocabs), _content_word(rng, vocabs)
        sets["one word"].append((w1, f'"{w1}"'))
        sets["two words"].append((f"{w1} {w2}", f'"{w1}" "{w2}"'))
        words = [
            w for w in rng.choice(texts).replace(".", " ").replace(",", " ").split() if w.isalpha()
        ]
        i = rng.randrange(len(words) - 1)
        sets["phrase"].append((f'"{words[i]} {words[i + 1]}"', f'"{words[i]} {words[i + 1]}"'))
        stem = w1[: max(3, min(5, len(w1) - 1))]
        sets["prefix"].append((f"{stem}*", f'"{stem}"*'))
        tag = rng.choice(TAGS)
        sets["field filter"].append((f"{w1} tag:{tag}", f'"{w1}" AND tags:"{tag}"'))
    return sets


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - started) * 1000 / repeat


# -- FTS5 -----------------------------------------------------------------------------------
def fts_build(path: Path, cat: Catalogue) -> tuple[sqlite3.Connection, float]:
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")  # the catalogue's durability, for a fair edit time
    src = sqlite3.connect(str(cat.db_path))
    started = time.perf_counter()
    conn.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(uuid UNINDEXED, title, body, tags, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    rows = src.execute(
        "SELECT e.uuid, e.title, e.description, (SELECT group_concat(t.key, ' ') FROM eventtag et "
        "JOIN tag t ON t.id = et.tag_id WHERE et.event_id = e.id) FROM event e WHERE deleted = 0"
    )
    conn.executemany("INSERT INTO fts VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    elapsed = time.perf_counter() - started
    src.close()
    return conn, elapsed


def fts_search(conn: sqlite3.Connection, q: str) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT uuid, snippet(fts, 2, '[', ']', '…', 30) FROM fts WHERE fts MATCH ? "
        "ORDER BY rank LIMIT 50",
        (q,),
    ).fetchall()


# -- the run --------------------------------------------------------------------------------
def run(
    n: int, count: int, out: Path, procs: int, own_corpus: bool, oracle_count: int
) -> list[tuple[str, float, float, str]]:
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    path = out / f"bench-{n}.belarchive"
    cat = make_catalogue(path, make_inputs(n)) if own_corpus else synth_catalogue(path, n)
    print(f"catalogue of {n} events ready in {time.perf_counter() - t0:.1f} s", flush=True)
    cat.sign_in("bench", PASSPHRASE)  # the edits below are signed by their author
    rows: list[tuple[str, float, float, str]] = []

    started = time.perf_counter()
    with PeakRss() as peak:
        api.rebuild_index(cat, procs=procs)
    rebuild_s = time.perf_counter() - started
    rows.append(("rebuild peak memory (PSS), all processes (MiB)", peak.mib, 0.0, "< 1536"))
    fts, fts_s = fts_build(out / f"fts-{n}.sqlite", cat)
    rows.append(("full rebuild (s)", rebuild_s, fts_s, "< 90 s"))
    fts.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows.append(
        (
            "index size (MiB)",
            folder_size(cat.index_dir) / 2**20,
            os.path.getsize(out / f"fts-{n}.sqlite") / 2**20,
            "",
        )
    )
    print(
        f"rebuild {rebuild_s:.1f} s, FTS5 {fts_s:.1f} s; load {os.getloadavg()[0]:.1f}", flush=True
    )

    # The window moves what it has loaded once a catalogue is open into the collector's
    # permanent generation, before the index is attached (gui/app.py), as the command line
    # does after its imports: a full collection then walks only what came after. Without
    # it, a full collection during an edit took 55-65 ms in a process that had only opened
    # the 100k catalogue (6-24 ms with it), and landed in the edits' p95: a pause no
    # user's process pays.
    gc.collect()
    gc.freeze()
    search_sync.attach(cat)
    targets = {"one word": 50, "two words": 50, "phrase": 100, "prefix": 80, "field filter": 50}
    sets = query_sets(sample_texts(cat, count), count)
    for kind, pairs in sets.items():
        # Each kind starts from cold caches of postings and match sets: the kinds share
        # their words (two words and field filters reuse the one-word queries' first word),
        # which a warm cache would turn into flattering figures. Within a kind, terms that
        # recur (word families, common words) are kept, as in a session.
        postings.forget()
        idsets.forget()
        api.search(cat, pairs[0][0])  # loads the word lists and lemma dictionaries
        for complete in (True, False) if kind in ("phrase", "prefix") else (True,):
            ours, partial, refused = [], 0, 0
            for q, _ in pairs:
                started = time.perf_counter()
                try:
                    found = api.search(cat, q, 50, complete=complete)
                    partial += not found.total_exact  # a quick answer searched a part
                except SearchTooCostly:
                    refused += 1  # a phrase of very common words: refused with a message
                ours.append((time.perf_counter() - started) * 1000)
            name = kind if complete else f"{kind}, quick first answer"
            theirs = [timed(lambda q=q: fts_search(fts, q)) for _, q in pairs]
            for label, p in (("p50", 0.5), ("p95", 0.95)):
                target = f"< {targets[kind]} ms" if label == "p95" and complete else ""
                rows.append((f"{name} {label} (ms)", pct(ours, p), pct(theirs, p), target))
            print(
                f"{name}: p50 {pct(ours, 0.5):.1f} p95 {pct(ours, 0.95):.1f} ms; {partial} of "
                f"{len(pairs)} partial, {refused} refused as too costly; "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    rows += oracle_recall(cat, sets, oracle_count)

    rows += edit_latency(cat, fts, count=min(count, 60), pause=0.0)
    rows += edit_latency(cat, fts, count=min(count, 30), pause=1.0)
    cat.close()
    return rows


class PeakRss:
    """The largest memory of this process and all its descendants together (the rebuild's
    worker processes), sampled every 50 ms while the block runs. Counted as PSS: a page
    the forked workers still share with this process counts once, not once per process."""

    def __enter__(self) -> PeakRss:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def mib(self) -> float:
        return self.peak / 2**20

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _tree_rss(os.getpid()))


def _pss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_rss(root: int) -> int:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except (OSError, IndexError, ValueError):
                continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        with contextlib.suppress(OSError):  # the process ended meanwhile
            total += _pss(pid)
        stack += [child for child, parent in parents.items() if parent == pid]
    return total


def oracle_recall(
    cat: Catalogue, sets: dict[str, list[tuple[str, str]]], count: int
) -> list[tuple[str, float, float, str]]:
    """Per kind, the share of the oracle's matches (bench/search_oracle.py: the complete
    answer by scanning the analysed text) that the default search returns, over the first
    ``count`` queries; 100 % is required of every exact mode."""
    if count <= 0:
        return []
    started = time.perf_counter()
    scanned = list(scan(cat.reader))
    rows = []
    for kind, pairs in sets.items():
        expected_total = found_total = equal = 0
        for q, _ in pairs[:count]:
            try:
                found = set(api.search(cat, q, limit=None).uuids)
            except SearchTooCostly:
                continue  # refused, not answered: nothing to compare
            expected = complete_answer(cat.reader, q, events=scanned)
            expected_total += len(expected)
            found_total += len(found & expected)
            equal += found == expected
            if found != expected:  # said with the query, so that it can be replayed
                print(f"oracle {kind}: {q!r} found {len(found)}, the oracle {len(expected)}; "
                      f"missing {len(expected - found)}, extra {len(found - expected)}",
                      flush=True)  # fmt: skip
        recall = 100.0 * found_total / expected_total if expected_total else 100.0
        rows.append((f"{kind}: recall against the oracle (%)", recall, 0.0, "100 %"))
        print(f"oracle {kind}: recall {recall:.2f} %, {equal} of {min(count, len(pairs))} "
              f"identical; {expected_total} matches", flush=True)  # fmt: skip
    del scanned
    print(f"oracle: {time.perf_counter() - started:.0f} s", flush=True)
    return rows


def edit_latency(
    cat: Catalogue, fts: sqlite3.Connection, count: int, pause: float
) -> list[tuple[str, float, float, str]]:
    """Edit a title, then search for it; ``pause`` seconds between edits (0: a burst, where
    segment merges land in the foreground; 1 s: a person's pace, merges run in between)."""
    with cat.reader.connect() as conn:
        picks = conn.exec_driver_sql(
            f"SELECT uuid, version FROM event ORDER BY random() LIMIT {count}"
        ).all()
    ours, theirs = [], []
    for i, (uuid, version) in enumerate(picks):
        time.sleep(pause)
        marker = f"zqmarker{i}p{int(pause * 10)}x"
        started = time.perf_counter()
        events.update_event(cat, "bench", uuid, version, EventPatch(title=f"Edited {marker}"))
        found = api.search(cat, marker, 5).uuids
        ours.append((time.perf_counter() - started) * 1000)
        assert found == [uuid], (marker, found)
        started = time.perf_counter()
        fts.execute("UPDATE fts SET title = ? WHERE uuid = ?", (f"Edited {marker}", uuid))
        fts.commit()
        assert [r[0] for r in fts_search(fts, marker)] == [uuid]
        theirs.append((time.perf_counter() - started) * 1000)
    pace = "burst" if pause == 0 else f"every {pause:g} s"
    return [
        (f"edit-to-searchable, {pace}, p50 (ms)", pct(ours, 0.5), pct(theirs, 0.5), ""),
        (f"edit-to-searchable, {pace}, p95 (ms)", pct(ours, 0.95), pct(theirs, 0.95), "< 50 ms"),
    ]


def report(rows: list[tuple[str, float, float, str]], n: int) -> str:
    load = os.getloadavg()[0]
    lines = [
        f"{n:,} events, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average at the "
        f"end {load:.1f}",
        "",
        "| figure | Whoosh | FTS5 | Whoosh/FTS5 | target |",
        "|---|---:|---:|---:|---|",
    ]
    for name, ours, theirs, target in rows:
        ratio = ours / theirs if theirs else float("nan")
        lines.append(f"| {name} | {ours:.1f} | {theirs:.1f} | {ratio:.1f}× | {target} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--own-corpus", action="store_true", help="not bench/synth.py's")
    parser.add_argument("--oracle", type=int, default=20,
                        help="queries per kind checked against the oracle (0: none)")  # fmt: skip
    args = parser.parse_args()
    rows = run(args.events, args.queries, args.out, args.procs, args.own_corpus, args.oracle)
    print(report(rows, args.events))


if __name__ == "__main__":
    main()
