"""The bundled gazetteer files, read in one place (import, search and catalogue seeding).

places.json is hand-made (regions, squares, detention centres, Greek spellings);
geonames_places.json is built from GeoNames by packaging/make_gazetteer.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from belarchive.config import resource
from belarchive.errors import ValidationError
from belarchive.i18n import _

HAND_MADE = "places.json"
GEONAMES = "geonames_places.json"


def gazetteer_files() -> list[Path]:
    return [resource("vocabularies", HAND_MADE), resource("vocabularies", GEONAMES)]


def read_places(path: Path) -> list[dict[str, Any]]:
    """The place records of one gazetteer file, with a clear error when it is unusable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        places = data["places"]
        if not isinstance(places, list) or not all(
            isinstance(p, dict)
            and isinstance(p.get("key"), str)
            and isinstance(p.get("names"), dict)
            for p in places
        ):
            raise TypeError("every place needs a 'key' and 'names'")
        return places
    except FileNotFoundError as exc:
        missing = _("The place list '{file}' is missing from this installation.")
        raise ValidationError(missing.format(file=path.name), str(exc)) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            _("The place list '{file}' cannot be read.").format(file=path.name), str(exc)
        ) from exc


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
