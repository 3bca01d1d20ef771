"""The place gazetteer and place matching.

Two files: places.json (hand-made: regions, squares, detention centres, Greek spellings)
and geonames_places.json (every Belarusian settlement of GeoNames with its Latin, Russian
and Belarusian names, and the neighbours' main cities; built by packaging/make_gazetteer.py).
Where several places share a name the hand-made one wins, then the most populous; the
proposal says which others it could be.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from belarchive.errors import ValidationError
from belarchive.gazetteer_data import HAND_MADE, gazetteer_files, read_places
from belarchive.i18n import _
from belarchive.importing.chronicle.model import ProposedPlace
from belarchive.importing.chronicle.names import NameIndex
from belarchive.importing.chronicle.text import Token


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    kind: str
    names: dict[str, list[str]]  # language → spellings

    @property
    def display_name(self) -> str:
        for lang in ("en", "ru", "be", "el"):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.key


class Gazetteer:
    def __init__(self, places: list[Place], rank: dict[str, int] | None = None) -> None:
        self.places = {p.key: p for p in places}
        self._index = NameIndex.of_names(((p.key, p.names) for p in places), rank)

    def find(self, sentence: str, line: int, tokens: list[Token] | None = None,
             stems: list[str] | None = None) -> list[ProposedPlace]:  # fmt: skip
        return [
            ProposedPlace(hit.key, sentence[hit.start : hit.end], line, hit.others)
            for hit in self._index.find(sentence, tokens, stems)
        ]


_HAND_RANK = 10**9  # curated places win over GeoNames places of the same name


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read gazetteer JSON ({"places": [{"key", "kind", "names": {lang: [...]}}]}): the
    given file, or the bundled hand-made and GeoNames files together."""
    paths = [path] if path is not None else gazetteer_files()
    places: list[Place] = []
    rank: dict[str, int] = {}
    for file in paths:
        try:
            for p in read_places(file):
                key = str(p["key"])
                if key in rank:
                    continue
                places.append(Place(key, str(p.get("kind", "place")),
                                    {lang: [str(n) for n in names]
                                     for lang, names in p["names"].items()}))  # fmt: skip
                rank[key] = _HAND_RANK if file.name == HAND_MADE else int(p.get("population", 0))
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            unreadable = _("The place list '{file}' cannot be read.")
            raise ValidationError(unreadable.format(file=file.name), str(exc)) from exc
    return Gazetteer(places, rank)
