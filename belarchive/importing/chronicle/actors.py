"""Known actors (resources/vocabularies/actors.json): exact and fuzzy name matching.

Chronicles misspell names ("Μπαντάρεκα" for "Μπαντάρενκα", "Κολενσίκοβα" for
"Κολεσνίκοβα"). A capitalised word within a small edit distance of a known surname is
grouped with that actor and flagged ``needs_review`` so that a person confirms it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from belarchive.config import resource
from belarchive.errors import ValidationError
from belarchive.i18n import _
from belarchive.importing.chronicle.model import ProposedActor
from belarchive.importing.chronicle.names import NameIndex
from belarchive.importing.chronicle.text import (
    Token,
    fold,
    fuzzy_limit,
    osa_distance,
    script_of,
    stem,
    tokenize,
)

_FUZZY_MIN = 6  # shorter words are too easily one edit away from something else


@dataclass(frozen=True, slots=True)
class Actor:
    key: str
    kind: str
    names: dict[str, list[str]]
    international: bool = False

    @property
    def display_name(self) -> str:
        for lang in ("en", "ru", "be", "el"):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.key


@dataclass(frozen=True, slots=True)
class ActorHit:
    key: str
    matched: str
    fuzzy: bool
    line: int


@dataclass(slots=True)
class _ActorAccumulator:
    matched: list[str] = field(default_factory=list)
    fuzzy: bool = False


class ActorLexicon:
    def __init__(self, actors: list[Actor]) -> None:
        self.actors = {a.key: a for a in actors}
        self._index = NameIndex.of_names((a.key, a.names) for a in actors)
        # Surnames (the last word of a person's name) for fuzzy grouping; every known word
        # is excluded from it, so a first name ("Αλεξάντερ") never pulls in a stranger.
        surnames: dict[str, str] = {}
        known: set[str] = set()
        for a in actors:
            for spellings in a.names.values():
                for name in spellings:
                    words = [stem(t.folded) for t in tokenize(name)]
                    known.update(words)
                    if a.kind == "person" and words and len(words[-1]) >= _FUZZY_MIN:
                        surnames.setdefault(words[-1], a.key)
        self._surnames = surnames
        self._known = frozenset(known)
        self._fuzzy_cache: dict[str, str | None] = {}

    def is_international(self, key: str) -> bool:
        actor = self.actors.get(key)
        return bool(actor and actor.international)

    def find(self, sentence: str, line: int, tokens: list[Token] | None = None,
             stems: list[str] | None = None) -> list[ActorHit]:  # fmt: skip
        tokens = tokenize(sentence, fold(sentence)) if tokens is None else tokens
        stems = [stem(t.folded) for t in tokens] if stems is None else stems
        hits = self._index.find(sentence, tokens, stems)
        out = [ActorHit(h.key, sentence[h.start : h.end], False, line) for h in hits]
        covered = {i for h in hits for i in range(h.start_token, h.end_token)}
        for i, tok in enumerate(tokens):
            if len(tok.folded) < _FUZZY_MIN or i in covered or not tok.text[:1].isupper():
                continue
            key = self._fuzzy(stems[i])
            if key is not None:
                out.append(ActorHit(key, tok.text, True, line))
        return out

    def _fuzzy(self, word: str) -> str | None:
        if word in self._known:
            return None
        if word in self._fuzzy_cache:
            return self._fuzzy_cache[word]
        result = _closest(word, tuple(self._surnames.items()))
        self._fuzzy_cache[word] = result
        return result

    def group(self, hits: list[ActorHit]) -> list[ProposedActor]:
        """One ProposedActor per actor, keeping every spelling seen, in order."""
        grouped: dict[str, _ActorAccumulator] = {}
        for hit in hits:
            acc = grouped.setdefault(hit.key, _ActorAccumulator())
            if hit.matched not in acc.matched:
                acc.matched.append(hit.matched)
            acc.fuzzy = acc.fuzzy or hit.fuzzy
        return [
            ProposedActor(self.actors[key].display_name, acc.matched, acc.fuzzy, key)
            for key, acc in grouped.items()
        ]


@lru_cache(maxsize=16384)
def _closest(word: str, surnames: tuple[tuple[str, str], ...]) -> str | None:
    limit = fuzzy_limit(len(word))
    script = script_of(word)
    best: tuple[int, str] | None = None
    for surname, key in surnames:
        if surname[0] != word[0] or script_of(surname) != script or surname == word:
            continue
        dist = osa_distance(word, surname, limit)
        if dist <= limit and (best is None or dist < best[0]):
            best = (dist, key)
    return best[1] if best else None


def load_actor_lexicon(path: Path | None = None) -> ActorLexicon:
    """Read the actor list JSON ({"actors": [{"key", "kind", "names": {lang: [...]}}]})."""
    path = path or resource("vocabularies", "actors.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        actors = [
            Actor(str(a["key"]), str(a.get("kind", "person")),
                  {lang: [str(n) for n in names] for lang, names in a["names"].items()},
                  bool(a.get("international", False)))
            for a in data["actors"]
        ]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(
            _("The actor list '{file}' cannot be read.").format(file=path.name), str(exc)
        ) from exc
    return ActorLexicon(actors)
