"""Pseudonyms for victims and witnesses in dossiers that leave the organisation.

Who: every actor with the role victim or witness on any event of the catalogue (not only
of the selection: they may be named in its text), and every actor marked ``protected``.
Their pseudonym is stable ("Person K-3F2"): an HMAC-SHA256 of the actor's (random) uuid
keyed with the catalogue id, so two dossiers from one catalogue name the same person the
same way, while nobody without the catalogue's actor records can reverse it. Two actors
whose codes collide get longer codes ("K-3F2A"), so a pseudonym always means one person.

Where: every piece of text a dossier prints (titles, descriptions, quotes, source titles,
notes, file names) is scanned word by word, on script-blind skeletons of each word and of
every form of each name (``name_forms``: recorded variants, transliterations, invisible
characters removed). A name matches as its full sequence of words, by its surname alone or
its first name alone (four letters or more), or by first name and patronymic; each word may
carry an inflected ending (Greek "Λουκασένκο"/"Λουκασένκου", Russian "Романа Бондаренко"),
and initials next to a matched name ("Р. Бондаренко") go with it. Matching errs towards
replacing too much: in a dossier that leaves the organisation, a word wrongly replaced is a
nuisance, a name left in is harm. ``build_dossier`` then scans the finished file with the
same matcher (``leaks``) and refuses to finish if any form survived.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, col, select

from belarchive.domain.models import Actor, EventActor
from belarchive.domain.values import ActorRole
from belarchive.exporting.pdf.name_forms import (
    WORD,
    clean,
    forms,
    is_calendar_word,
    is_initial,
    shapes,
    skeleton,
)
from belarchive.storage.detail import ActorInfo

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
    """The part of a name's word that inflection leaves alone. Short words keep all but one
    letter (Мария/Марии, but not "марш"), long ones lose up to three (Тихановская/
    Тихановской), and words of three letters or fewer must match whole."""
    n = len(word)
    if n <= 3:
        return word
    cut = 1 if n <= 7 else 2 if n <= 9 else 3
    return word[: n - cut]


def _same_word(token: str, part: str, stem: str) -> bool:
    """``token`` is ``part`` or an inflected form of it (``stem`` = ``_stem(part)``)."""
    if token == part:
        return True
    if len(part) <= 3 or len(token) <= 3:
        return False
    return token.startswith(stem) and abs(len(token) - len(part)) <= 3


@dataclass(frozen=True, slots=True)
class _Pattern:
    parts: tuple[str, ...]
    stems: tuple[str, ...]  # _stem of each part, computed once (the scan's hot loop)
    replacement: str
    given_name: bool = False  # the first name alone


class Redactor:
    """Replaces protected names in text; a no-op when pseudonymisation is off."""

    def __init__(
        self, replacements: dict[str, str] | None = None, names: dict[str, list[str]] | None = None
    ) -> None:
        self.active = bool(replacements)
        self.by_uuid = replacements or {}
        self._index: dict[str, list[_Pattern]] = defaultdict(list)
        self._seen: set[tuple[tuple[str, ...], str]] = set()
        for actor_uuid, variants in (names or {}).items():
            for variant in variants:
                self._add(variant, self.by_uuid[actor_uuid])

    def _add(self, variant: str, replacement: str) -> None:
        for form in forms(variant):
            found = shapes(form)
            whole = max(found, key=len, default=())
            for shape in found:
                # Transliterations often meet in one skeleton: one pattern is enough.
                if (shape, replacement) in self._seen:
                    continue
                self._seen.add((shape, replacement))
                given = len(shape) == 1 < len(whole) and shape == whole[:1]
                stems = tuple(_stem(part) for part in shape)
                self._index[stems[0][:3]].append(_Pattern(shape, stems, replacement, given))

    def actor_name(self, actor: ActorInfo) -> str:
        if not self.active:
            return actor.name
        if actor.uuid in self.by_uuid:
            return self.by_uuid[actor.uuid]
        # Another record of a protected person ("Maria Kalesnikava", mentioned): any part of
        # the name that matches makes the whole name that person's pseudonym, since the rest
        # ("Kalesnikava") is their name too in a spelling we could not match.
        found = self.find(clean(actor.name))
        return found[0][2] if found else actor.name

    def text(self, value: str) -> str:
        if not self.active or not value:
            return value
        value = clean(value)
        spans = self.find(value)
        for start, end, replacement in reversed(spans):
            value = value[:start] + replacement + value[end:]
        return value

    def find(self, value: str) -> list[tuple[int, int, str]]:
        """(start, end, pseudonym) of every protected name in ``value``."""
        tokens = [(m.start(), m.end(), skeleton(m.group())) for m in WORD.finditer(value)]
        spans: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            hit = self._match_at(value, tokens, i)
            if hit is None:
                i += 1
                continue
            length, replacement, given_name = hit
            last = i + length - 1
            if given_name and _capitalised_next(value, tokens, last):
                last += 1  # "Μαρία Κολενσίκοβα": a surname we cannot match (a typo, another
                # spelling) still follows the first name: it goes with it
            first, last = self._with_initials(value, tokens, i, last)
            spans.append((tokens[first][0], _end_of(value, tokens, last), replacement))
            i = last + 1
        return _joined(value, spans)

    @staticmethod
    def _with_initials(
        value: str, tokens: list[tuple[int, int, str]], first: int, last: int
    ) -> tuple[int, int]:
        # "Р. Н. Бондаренко" and "Бондаренко Р.": the initials identify as much as the name.
        while (
            first > 0
            and _initial(value, tokens[first - 1])
            and (tokens[first][0] - tokens[first - 1][1] <= MAX_GAP)
        ):
            first -= 1
        # After the name only across spaces ("Роман. R. Petrov" ends a sentence first), then
        # from initial to initial ("Бондаренко Р. Н.").
        while (
            last + 1 < len(tokens)
            and _initial(value, tokens[last + 1])
            and (tokens[last + 1][0] - tokens[last][1] <= MAX_GAP)
            and not value[tokens[last][1] : tokens[last + 1][0]].strip(
                " ." if _initial(value, tokens[last]) else " "
            )
        ):
            last += 1
        return first, last

    def _match_at(
        self, value: str, tokens: list[tuple[int, int, str]], i: int
    ) -> tuple[int, str, bool] | None:
        best: tuple[int, str, bool] | None = None
        for pattern in self._index.get(tokens[i][2][:3], ()):
            n = len(pattern.parts)
            if i + n > len(tokens) or (best and best[0] >= n):
                continue
            parts, stems = pattern.parts, pattern.stems
            if not _same_word(tokens[i][2], parts[0], stems[0]):
                continue  # the usual case, decided before anything costlier
            if all(_same_word(tokens[i + k][2], parts[k], stems[k]) for k in range(1, n)) and all(
                tokens[i + k + 1][0] - tokens[i + k][1] <= MAX_GAP
                and not value[tokens[i + k][1] : tokens[i + k + 1][0]].strip(" ,-‐'’")
                for k in range(n - 1)
            ):
                if n == 1 and is_calendar_word(value[tokens[i][0] : tokens[i][1]]):
                    continue
                best = (n, pattern.replacement, pattern.given_name)
        return best


def _joined(value: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Neighbouring matches of one person ("Бондаренко Роман") become one pseudonym."""
    out: list[tuple[int, int, str]] = []
    for start, end, who in spans:
        if out and out[-1][2] == who and not value[out[-1][1] : start].strip(" ,-‐"):
            out[-1] = (out[-1][0], end, who)
        else:
            out.append((start, end, who))
    return out


def _capitalised_next(value: str, tokens: list[tuple[int, int, str]], last: int) -> bool:
    if last + 1 >= len(tokens):
        return False
    start = tokens[last + 1][0]
    gap = value[tokens[last][1] : start]
    return len(gap) <= MAX_GAP and not gap.strip() and value[start].isupper()


def _initial(value: str, token: tuple[int, int, str]) -> bool:
    start, end, _ = token
    return is_initial(value[start:end], value[end:])


def _end_of(value: str, tokens: list[tuple[int, int, str]], last: int) -> int:
    end = tokens[last][1]
    # An initial's full stop goes with it.
    return end + 1 if _initial(value, tokens[last]) else end


def build_redactor(session: Session, catalogue_id: str, person_word: str) -> Redactor:
    """A Redactor for every actor who is a victim or witness anywhere in the catalogue, or
    marked protected: a victim of an event outside the selection may still be named in the
    text of one inside it."""
    roles = sorted(PSEUDONYMISED_ROLES)
    rows = session.exec(
        select(Actor.uuid, Actor.name, Actor.variants_json)
        .where(
            col(Actor.protected).is_(True)
            | col(Actor.id).in_(select(EventActor.actor_id).where(col(EventActor.role).in_(roles)))
        )
        .distinct()
    )
    names = {u: [name, *json.loads(variants or "[]")] for u, name, variants in rows}
    codes = unique_codes(catalogue_id, names)
    replacements = {u: f"{person_word} {codes[u]}" for u in names}
    return Redactor(replacements, names)
