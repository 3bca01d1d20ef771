"""Pseudonyms for victims and witnesses in dossiers that leave the organisation.

Who: every actor with the role victim or witness on any event of the catalogue (not only
of the selection: they may be named in its text), and every actor marked ``protected``.
Their pseudonym is stable ("Person K-3F2"): an HMAC-SHA256 of the actor's (random) uuid
keyed with the catalogue id, so two dossiers from one catalogue name the same person the
same way, while nobody without the catalogue's actor records can reverse it. Two actors
whose codes collide get longer codes ("K-3F2A"), so a pseudonym always means one person.

Where: every piece of text a dossier prints (titles, descriptions, quotes, source titles,
notes) is scanned word by word on ``fold()``-ed forms. A name matches as its full sequence
of words, or by its surname alone (the last word, four letters or more); each word may
carry an inflected ending (Greek "Λουκασένκο"/"Λουκασένκου", Russian "Романа Бондаренко").
First names alone are *not* replaced: they are too often shared with other people.
Names written in another script than any recorded variant are not matched either —
record the variants on the actor (variants_json) to cover them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from belarchive.domain.models import Actor, EventActor
from belarchive.domain.text import fold
from belarchive.domain.values import ActorRole
from belarchive.storage.detail import ActorInfo

_WORD = re.compile(r"\w+", re.UNICODE)
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O: they read as 1 and 0
PSEUDONYMISED_ROLES = frozenset({ActorRole.VICTIM.value, ActorRole.WITNESS.value})
MAX_GAP = 3  # characters allowed between the words of one name (space, comma, hyphen...)


def pseudonym_code(catalogue_id: str, actor_uuid: str, digits: int = 3) -> str:
    digest = hmac.new(catalogue_id.encode(), actor_uuid.encode(), hashlib.sha256).digest()
    return f"{_LETTERS[digest[0] % len(_LETTERS)]}-{digest[1:].hex()[:digits].upper()}"


def unique_codes(catalogue_id: str, actor_uuids: Iterable[str]) -> dict[str, str]:
    """A code per actor, lengthened where two would otherwise be the same."""
    codes: dict[str, str] = {}
    todo, digits = sorted(set(actor_uuids)), 3
    while todo:
        trial = {u: pseudonym_code(catalogue_id, u, digits) for u in todo}
        seen = Counter(trial.values())
        codes.update({u: c for u, c in trial.items() if seen[c] == 1})
        todo, digits = [u for u, c in trial.items() if seen[c] > 1], digits + 1
    return codes


def _stem(word: str) -> str:
    # Keep enough of the word to be distinctive, drop what inflection changes.
    return word[: max(3, len(word) - 2)] if len(word) >= 4 else word


def _same_word(token: str, part: str) -> bool:
    if token == part:
        return True
    if len(part) < 4 or len(token) < 4:
        return False
    stem = _stem(part)
    return token.startswith(stem) and abs(len(token) - len(part)) <= 3


@dataclass(frozen=True, slots=True)
class _Pattern:
    parts: tuple[str, ...]
    replacement: str


class Redactor:
    """Replaces protected names in text; a no-op when pseudonymisation is off."""

    def __init__(
        self, replacements: dict[str, str] | None = None, names: dict[str, list[str]] | None = None
    ) -> None:
        self.active = bool(replacements)
        self.by_uuid = replacements or {}
        self._index: dict[str, list[_Pattern]] = defaultdict(list)
        for actor_uuid, variants in (names or {}).items():
            for variant in variants:
                self._add(variant, self.by_uuid[actor_uuid])

    def _add(self, variant: str, replacement: str) -> None:
        parts = tuple(fold(w) for w in _WORD.findall(variant))
        if not parts:
            return
        shapes = {parts}
        if len(parts) >= 2 and len(parts[-1]) >= 4:
            shapes.add(parts[-1:])
        for shape in shapes:
            self._index[_stem(shape[0])[:3]].append(_Pattern(shape, replacement))

    def actor_name(self, actor: ActorInfo) -> str:
        return self.by_uuid.get(actor.uuid, actor.name) if self.active else actor.name

    def text(self, value: str) -> str:
        if not self.active or not value:
            return value
        tokens = [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(value)]
        spans: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            hit = self._match_at(value, tokens, i)
            if hit is None:
                i += 1
                continue
            length, replacement = hit
            spans.append((tokens[i][0], tokens[i + length - 1][1], replacement))
            i += length
        for start, end, replacement in reversed(spans):
            value = value[:start] + replacement + value[end:]
        return value

    def _match_at(
        self, value: str, tokens: list[tuple[int, int, str]], i: int
    ) -> tuple[int, str] | None:
        best: tuple[int, str] | None = None
        for pattern in self._index.get(tokens[i][2][:3], ()):
            n = len(pattern.parts)
            if i + n > len(tokens) or (best and best[0] >= n):
                continue
            if all(_same_word(tokens[i + k][2], pattern.parts[k]) for k in range(n)) and all(
                tokens[i + k + 1][0] - tokens[i + k][1] <= MAX_GAP
                and not value[tokens[i + k][1] : tokens[i + k + 1][0]].strip(" ,-‐'’")
                for k in range(n - 1)
            ):
                best = (n, pattern.replacement)
        return best


def build_redactor(session: Session, catalogue_id: str, person_word: str) -> Redactor:
    """A Redactor for every actor who is a victim or witness anywhere in the catalogue, or
    marked protected: a victim of an event outside the selection may still be named in the
    text of one inside it."""
    roles = sorted(PSEUDONYMISED_ROLES)
    rows = session.exec(
        select(Actor.uuid, Actor.name, Actor.variants_json)
        .where(
            (Actor.protected == True)  # noqa: E712
            | col(Actor.id).in_(select(EventActor.actor_id).where(col(EventActor.role).in_(roles)))
        )
        .distinct()
    )
    names = {u: [name, *json.loads(variants or "[]")] for u, name, variants in rows}
    codes = unique_codes(catalogue_id, names)
    replacements = {u: f"{person_word} {codes[u]}" for u in names}
    return Redactor(replacements, names)
