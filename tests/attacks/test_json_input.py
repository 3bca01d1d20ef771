"""A JSON file cannot smuggle a second value past the reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.errors import ImportError_
from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import import_json, read_document
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput


def test_a_repeated_key_is_an_error_not_silently_dropped(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    events.create_event(catalogue, "anna", EventInput(title="Марш", date="2020-11-08"))
    export_json(catalogue, tmp_path / "out.json")
    text = (tmp_path / "out.json").read_text(encoding="utf-8")
    forged = text.replace('"title":"Марш"', '"title":"Марш","title":"Другое"', 1)
    assert forged != text
    (tmp_path / "forged.json").write_text(forged, encoding="utf-8")
    with pytest.raises(ImportError_, match="gives the key 'title' twice"):
        read_document(tmp_path / "forged.json")
    other = Catalogue.create(tmp_path / "Other.belarchive", admin="bob", passphrase=PASSPHRASE)
    with pytest.raises(ImportError_, match="twice"):
        import_json(other, "bob", tmp_path / "forged.json")
    other.close()


def test_a_number_too_large_to_store_is_named(catalogue: Catalogue, tmp_path: Path) -> None:
    import json

    events.create_event(catalogue, "anna", EventInput(title="Марш", date="2020-11-08"))
    export_json(catalogue, tmp_path / "out.json")
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    doc["events"][0]["version"] = 2**63
    (tmp_path / "big.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ImportError_, match=r"events\[0\]\.version.*too large"):
        read_document(tmp_path / "big.json")
