"""The place gazetteer (resources/vocabularies/places.json) and place matching."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from belarchive.config import resource
from belarchive.errors import ValidationError
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
    def __init__(self, places: list[Place]) -> None:
        self.places = {p.key: p for p in places}
        self._index = NameIndex.of_names((p.key, p.names) for p in places)

    def find(self, sentence: str, line: int, tokens: list[Token] | None = None,
             stems: list[str] | None = None) -> list[ProposedPlace]:  # fmt: skip
        return [
            ProposedPlace(hit.key, sentence[hit.start : hit.end], line)
            for hit in self._index.find(sentence, tokens, stems)
        ]


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Read the gazetteer JSON ({"places": [{"key", "kind", "names": {lang: [...]}}]})."""
    path = path or resource("vocabularies", "places.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        places = [
            Place(str(p["key"]), str(p.get("kind", "place")),
                  {lang: [str(n) for n in names] for lang, names in p["names"].items()})
            for p in data["places"]
        ]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValidationError(f"The place list '{path.name}' cannot be read.", str(exc)) from exc
    return Gazetteer(places)
