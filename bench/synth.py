"""A synthetic catalogue for benchmarks: N events in Greek, Russian and English (~50/30/20).

Deterministic for a seed (UUIDs included, so citations and other tools can refer to them).
Events spread over 2020-08..2021-12 with the autumn-2020 peak and Sunday marches; tags and
places come from the shipped vocabularies; figures agree with tags (a detention has a
detained count, a death a killed count); a share of events get sources, citations and a
verification decision. Built catalogues are cached under /tmp for reuse by other benchmarks:

    .venv/bin/python -m bench.synth --n 100000            # prints the cached path
    .venv/bin/python -m bench.synth --n 100000 --out /tmp/synth100k.belarchive
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
import uuid as uuidlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import islice
from pathlib import Path

from belarchive.services.bulk import create_events_bulk
from belarchive.services.bulk_citations import CitationInput, add_sources_bulk, cite_bulk
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, FigureInput, SourceInput
from belarchive.services.users import add_user
from bench import lexicon
from bench.bulk_status import set_status_bulk

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "vocabularies"
CACHE_DIR = Path("/tmp/belarchive-synth")
BATCH = 10_000
LANG_WEIGHTS = (("el", 50), ("ru", 30), ("en", 20))
FIRST_DAY, LAST_DAY = date(2020, 8, 1), date(2021, 12, 31)
REVIEWER = "reviewer"
# Every synthetic user's passphrase (benchmarks only; never a real catalogue's).
PASSPHRASE = "bench passphrase"
# stage name, done, total
Progress = Callable[[str, int, int], None]

# How often each event type is the main tag, and what tends to come with it.
TAG_WEIGHTS = {
    "detention": 30,
    "protest": 30,
    "police_violence": 8,
    "intimidation": 6,
    "statement": 5,
    "torture": 4,
    "report": 3,
    "international_reaction": 3,
    "abduction": 2,
    "forced_exile": 2,
    "sanction": 2,
    "death": 1,
    "shutdown": 1,
    "background": 1,
}
COMPANIONS = {
    "protest": ("detention", "police_violence", "shutdown"),
    "detention": ("protest", "torture", "police_violence", "intimidation"),
    "police_violence": ("protest", "detention", "torture"),
    "torture": ("detention", "police_violence"),
    "death": ("police_violence", "protest"),
    "abduction": ("detention", "intimidation"),
    "forced_exile": ("intimidation",),
    "statement": ("international_reaction", "report"),
    "international_reaction": ("sanction", "statement"),
}
PLACE_WEIGHTS = {
    "minsk": 40,
    "grodno": 6,
    "brest": 6,
    "gomel": 6,
    "mogilev": 5,
    "vitebsk": 5,
    "babruysk": 3,
    "baranovichi": 2,
    "pinsk": 2,
    "orsha": 2,
    "mozyr": 2,
    "soligorsk": 2,
    "lida": 2,
    "polotsk": 1,
    "novopolotsk": 1,
    "borisov": 2,
    "zhodino": 2,
    "molodechno": 1,
    "slonim": 1,
    "minsk_region": 2,
    "brest_region": 1,
    "grodno_region": 1,
    "gomel_region": 1,
    "mogilev_region": 1,
    "vitebsk_region": 1,
    "belarus": 3,
    "vilnius": 1,
    "lithuania": 1,
    "ukraine": 1,
    "poland": 1,
    "russia": 1,
}
MINSK_SPOTS = ("okrestina", "independence_square", "yakub_kolas_square")


@dataclass(frozen=True, slots=True)
class Vocab:
    """Tag labels and place names per language from the shipped vocabulary files."""

    tag_labels: dict[str, dict[str, str]]
    place_names: dict[str, dict[str, list[str]]]


@cache
def load_vocab() -> Vocab:
    tags = json.loads((RESOURCES / "tags.json").read_text(encoding="utf-8"))["tags"]
    places = json.loads((RESOURCES / "places.json").read_text(encoding="utf-8"))["places"]
    return Vocab({t["key"]: t["labels"] for t in tags}, {p["key"]: p["names"] for p in places})


def tag_keys() -> set[str]:
    return set(load_vocab().tag_labels)


def place_keys() -> set[str]:
    return set(load_vocab().place_names)


# --- dates -----------------------------------------------------------------------------------
def _day_weight(d: date) -> float:
    """Activity of a day: the August 2020 peak decays into 2021; Sunday marches stand out."""
    months = (d.year - 2020) * 12 + d.month - 8
    weight = 10.0 / (1 + 0.45 * months)
    if date(2020, 8, 9) <= d <= date(2020, 8, 13):
        weight *= 5  # election night and the days after
    if d.weekday() == 6:
        weight *= 4 if d.year == 2020 else 2.5
    return weight


@cache
def _day_table() -> tuple[list[date], list[float]]:
    days = [FIRST_DAY + timedelta(n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
    cumulative, total = [], 0.0
    for d in days:
        total += _day_weight(d)
        cumulative.append(total)
    return days, cumulative


def _edtf(rng: random.Random, day: date) -> str:
    """Mostly exact days, as in chronicles; some months, approximations and intervals."""
    r = rng.random()
    if r < 0.85:
        return day.isoformat()
    if r < 0.90:
        return day.isoformat()[:7]
    if r < 0.94:
        return day.isoformat() + "~"
    if r < 0.98:
        end = min(day + timedelta(rng.randint(1, 3)), LAST_DAY)
        return f"{day.isoformat()}/{end.isoformat()}"
    return day.isoformat() + "?"


# --- text ------------------------------------------------------------------------------------
class TextMaker:
    """Titles, sentences and names in one language, drawing words from a Zipf vocabulary."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self.rng = rng
        self.vocab = lexicon.vocabularies(seed)
        self.surnames = lexicon.surnames()
        names = load_vocab().place_names
        self.places = {
            lang: {k: v.get(lang) or v["en"] for k, v in names.items()} for lang, _ in LANG_WEIGHTS
        }

    def person(self, lang: str) -> str:
        # A person pool much smaller than all combinations, so people recur across events.
        i = int(self.rng.paretovariate(1.2) * 37) % (len(lexicon.GIVEN) * len(self.surnames))
        given = lexicon.GIVEN[i % len(lexicon.GIVEN)]
        family = self.surnames[i // len(lexicon.GIVEN)]
        script = lexicon.SCRIPT[lang]
        return f"{given[script]} {family[script]}"

    def organisation(self, lang: str) -> str:
        return self.rng.choice(lexicon.ORGANISATIONS)[lexicon.SCRIPT[lang]]

    def place_name(self, lang: str, key: str) -> str:
        return self.rng.choice(self.places[lang][key])

    def sentence(self, lang: str, extras: Sequence[str]) -> str:
        """8–30 words; place names, people and numbers are mixed in where chronicles put them."""
        length = self.rng.randint(8, 30)
        words = [self.vocab[lang].draw(self.rng) for _ in range(length - len(extras))]
        for extra in extras:
            words.insert(self.rng.randrange(len(words) + 1), extra)
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + self.rng.choice((".", ".", ".", ";", "!"))[:1]

    def description(self, lang: str, facts: list[str]) -> str:
        count = self.rng.choices((1, 2, 3, 4, 5, 6), (20, 25, 22, 15, 10, 8))[0]
        sentences = []
        for n in range(count):
            extras = facts[n::count] if n < len(facts) else []
            sentences.append(self.sentence(lang, extras))
        return " ".join(sentences)

    def title(self, lang: str, tag: str, place: str) -> str:
        label = load_vocab().tag_labels[tag].get(lang) or load_vocab().tag_labels[tag]["en"]
        words = " ".join(self.vocab[lang].draw(self.rng) for _ in range(self.rng.randint(2, 7)))
        return f"{label}: {place} — {words}"


# --- figures ---------------------------------------------------------------------------------
def _count(rng: random.Random, scale: float, sunday: bool) -> int:
    """Heavy-tailed counts: most events involve a few people, Sunday marches hundreds."""
    value = rng.paretovariate(1.3) * scale * (8 if sunday else 1)
    return max(1, int(value))


def _qualified(rng: random.Random, kind: str, value: int) -> FigureInput:
    r = rng.random()
    if r < 0.55:
        return FigureInput(kind, value)
    if r < 0.70:
        return FigureInput(kind, value, qualifier="at_least")
    if r < 0.82:
        return FigureInput(kind, value, qualifier="approximately")
    if r < 0.92:
        return FigureInput(kind, value, qualifier="more_than")
    return FigureInput(kind, value, value + rng.randint(1, max(1, value // 2)))  # a range


def figures_for(rng: random.Random, tags: Sequence[str], sunday: bool) -> list[FigureInput]:
    """Figures that agree with the tags; sometimes two sources disagree on the detained."""
    out: list[FigureInput] = []
    if "detention" in tags:
        detained = _count(rng, 2, sunday)
        out.append(_qualified(rng, "detained", detained))
        if rng.random() < 0.05:
            out.append(
                FigureInput("detained", detained + rng.randint(1, detained + 5), note="NGO count")
            )
    if "protest" in tags and rng.random() < 0.6:
        out.append(
            FigureInput(
                "participants",
                _count(rng, 40, sunday) * 10,
                qualifier=rng.choice(("approximately", "more_than")),
            )
        )
    if {"police_violence", "torture"} & set(tags) and rng.random() < 0.5:
        out.append(_qualified(rng, "injured", _count(rng, 1, sunday)))
    if "death" in tags:
        out.append(FigureInput("killed", rng.choice((1, 1, 1, 2))))
    return out


# --- events ----------------------------------------------------------------------------------
def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def _tags(rng: random.Random) -> list[str]:
    first = _weighted(rng, TAG_WEIGHTS)
    tags = [first]
    for chance in (0.5, 0.15):
        pool = [t for t in COMPANIONS.get(first, ()) if t not in tags]
        if pool and rng.random() < chance:
            tags.append(rng.choice(pool))
    return tags


def _places(rng: random.Random) -> list[str]:
    first = _weighted(rng, PLACE_WEIGHTS)
    places = [first]
    if first == "minsk" and rng.random() < 0.3:
        places.append(rng.choice(MINSK_SPOTS))
    elif rng.random() < 0.1:
        places.append(_weighted(rng, PLACE_WEIGHTS))
    return list(dict.fromkeys(places))


def _actors(rng: random.Random, text: TextMaker, lang: str, tags: list[str]) -> list[ActorInput]:
    actors = []
    if {"detention", "abduction", "torture", "death", "forced_exile"} & set(tags):
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            actors.append(ActorInput(text.person(lang), "victim"))
    if {"statement", "international_reaction"} & set(tags) and rng.random() < 0.7:
        actors.append(ActorInput(text.person(lang), "speaker"))
    if {"police_violence", "detention", "torture"} & set(tags) and rng.random() < 0.3:
        actors.append(ActorInput(text.organisation(lang), "perpetrator", kind="organisation"))
    if rng.random() < 0.1:
        actors.append(ActorInput(text.person(lang), "witness"))
    return actors


def _uuid(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def _one_event(rng: random.Random, text: TextMaker) -> EventInput:
    lang = rng.choices([lg for lg, _ in LANG_WEIGHTS], [w for _, w in LANG_WEIGHTS])[0]
    days, cumulative = _day_table()
    day = rng.choices(days, cum_weights=cumulative)[0]
    tags, places = _tags(rng), _places(rng)
    figures = figures_for(rng, tags, day.weekday() == 6)
    actors = _actors(rng, text, lang, tags)
    place_words = [text.place_name(lang, p) for p in places]
    facts = place_words + [a.name for a in actors] + [str(f.value_min) for f in figures]
    undated = "background" in tags and rng.random() < 0.5
    return EventInput(
        title=text.title(lang, tags[0], place_words[0]),
        date=None if undated else _edtf(rng, day),
        description=text.description(lang, facts),
        language=lang,
        tags=tuple(tags),
        places=tuple(places),
        actors=tuple(actors),
        figures=tuple(figures),
        uuid=_uuid(rng),
    )


def generate_inputs(n: int, seed: int = 0) -> Iterator[EventInput]:
    """N events, the same for the same seed."""
    rng = random.Random(seed)
    text = TextMaker(rng, seed)
    for _ in range(n):
        yield _one_event(rng, text)


# --- sources, citations, verification ----------------------------------------------------------
PUBLISHERS = (
    ("Viasna", "ngo_report", "ru", "B", "https://spring96.org/ru/news/"),
    ("Tut.by", "news", "ru", "B", "https://news.tut.by/society/"),
    ("Nasha Niva", "news", "be", "B", "https://nashaniva.com/"),
    ("Interior Ministry", "official", "ru", "D", "https://mvd.gov.by/ru/news/"),
    ("BAJ", "ngo_report", "en", "B", "https://baj.by/en/"),
    ("Reuters", "news", "en", "A", "https://www.reuters.com/world/europe/"),
    ("Καθημερινή", "news", "el", "B", "https://www.kathimerini.gr/world/"),
    ("ΕΡΤ", "news", "el", "B", "https://www.ertnews.gr/eidiseis/kosmos/"),
    ("Telegram channel", "social_media", "ru", "E", "https://t.me/s/"),
    ("Witness account", "witness", "ru", "F", ""),
)


def generate_sources(n: int, seed: int = 0) -> list[SourceInput]:
    rng = random.Random(seed + 7919)
    days, cumulative = _day_table()
    out = []
    for i in range(n):
        publisher, kind, lang, grade, url = rng.choice(PUBLISHERS)
        day = rng.choices(days, cum_weights=cumulative)[0]
        out.append(
            SourceInput(
                title=f"{publisher} {day.isoformat()} #{i + 1}",
                kind=kind,
                publisher=publisher,
                url=f"{url}{rng.randrange(10**6, 10**7)}" if url else "",
                published=day.isoformat(),
                accessed=(day + timedelta(rng.randint(0, 400))).isoformat(),
                language=lang,
                reliability=grade,
                uuid=_uuid(rng),
            )
        )
    return out


def generate_citations(
    events: Sequence[EventInput], sources: Sequence[SourceInput], seed: int = 0, share: float = 0.7
) -> list[CitationInput]:
    """1–3 citations for ``share`` of events; the quote is a sentence of the description."""
    rng = random.Random(seed + 104729)
    out = []
    for event in events:
        if rng.random() >= share:
            continue
        for source in rng.sample(
            list(sources[:50_000]) if len(sources) > 50_000 else sources,
            rng.choice((1, 1, 1, 2, 2, 3)),
        ):
            quote = event.description.split(". ")[0][:300] if rng.random() < 0.5 else ""
            out.append(
                CitationInput(
                    event.uuid or "",
                    source.uuid or "",
                    locator=f"para. {rng.randint(1, 20)}",
                    quote=quote,
                    credibility=rng.randint(1, 6),
                )
            )
    return out


def plan_statuses(
    citations: Sequence[CitationInput], events: Sequence[EventInput], seed: int = 0
) -> list[tuple[str, str, str]]:
    """(uuid, target, note) decisions: cited events move further through review."""
    rng = random.Random(seed + 15485863)
    cited = {c.event_uuid for c in citations}
    out = []
    for event in events:
        r = rng.random()
        uid = event.uuid or ""
        if uid in cited:
            target = (
                "verified"
                if r < 0.35
                else "in_review"
                if r < 0.50
                else "disputed"
                if r < 0.53
                else "rejected"
                if r < 0.55
                else ""
            )
        else:
            target = "in_review" if r < 0.10 else ""
        if target:
            note = (
                "Figures contradict another source." if target in ("disputed", "rejected") else ""
            )
            out.append((uid, target, note))
    return out


# --- building --------------------------------------------------------------------------------
def _batches(items: Iterator[EventInput], size: int) -> Iterator[list[EventInput]]:
    while batch := list(islice(items, size)):
        yield batch


def build_catalogue(
    path: Path | str, n: int, seed: int = 0, user: str = "bench", progress: Progress | None = None
) -> Catalogue:
    """Create a catalogue at ``path`` with N events (10k per transaction) through the services."""
    cat = Catalogue.create(Path(path), admin=user, passphrase=PASSPHRASE)
    add_user(cat, user, REVIEWER, "reviewer", PASSPHRASE)
    cat.sign_in(REVIEWER, PASSPHRASE)
    events: list[EventInput] = []
    for batch in _batches(generate_inputs(n, seed), BATCH):
        create_events_bulk(cat, user, batch)
        events.extend(batch)
        if progress:
            progress("events", len(events), n)
    sources = generate_sources(max(1, n // 20), seed)
    add_sources_bulk(cat, user, sources)
    citations = generate_citations(events, sources, seed)
    for start in range(0, len(citations), 2 * BATCH):
        cite_bulk(cat, user, citations[start : start + 2 * BATCH])
        if progress:
            progress("citations", min(start + 2 * BATCH, len(citations)), len(citations))
    decisions = plan_statuses(citations, events, seed)
    for start in range(0, len(decisions), 2 * BATCH):
        set_status_bulk(cat, REVIEWER, decisions[start : start + 2 * BATCH])
        if progress:
            progress("statuses", min(start + 2 * BATCH, len(decisions)), len(decisions))
    return cat


def cached_path(n: int, seed: int = 0) -> Path:
    return CACHE_DIR / f"synth-{n}-s{seed}.belarchive"


def cached_catalogue(n: int, seed: int = 0, progress: Progress | None = None) -> Path:
    """The cached catalogue for (n, seed), built first if absent (built aside, then renamed,
    so a concurrent reader never sees half a catalogue)."""
    final = cached_path(n, seed)
    if (final / "catalogue.sqlite").exists():
        return final
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f"{final.name}.building-{uuidlib.uuid4().hex[:8]}")
    build_catalogue(tmp, n, seed, progress=progress).close()
    try:
        tmp.rename(final)
    except OSError:  # someone else finished first: theirs is as good as ours
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _print_progress(stage: str, done: int, total: int) -> None:
    print(f"  {stage}: {done:,}/{total:,}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.synth", description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of events")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="catalogue folder (default: cached under /tmp)")
    parser.add_argument("--sample", type=int, default=0, help="print N generated events and exit")
    args = parser.parse_args(argv)
    if args.sample:
        for event in generate_inputs(args.sample, args.seed):
            print(json.dumps(_as_dict(event), ensure_ascii=False, indent=1))
        return 0
    start = time.perf_counter()
    if args.out:
        build_catalogue(args.out, args.n, args.seed, progress=_print_progress).close()
        path = args.out
    else:
        path = cached_catalogue(args.n, args.seed, progress=_print_progress)
    print(f"{path}  ({time.perf_counter() - start:.1f} s)")
    return 0


def _as_dict(event: EventInput) -> dict[str, object]:
    from dataclasses import asdict

    return asdict(event)


if __name__ == "__main__":
    raise SystemExit(main())
