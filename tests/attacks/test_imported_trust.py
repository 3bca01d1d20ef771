"""Imports cannot grant trust: a file's verified events stay verified only when the file
carries a decision this catalogue's rules accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import import_json
from belarchive.services import events, sources, users, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, SourceInput


@pytest.fixture
def verified_file(catalogue: Catalogue, tmp_path: Path) -> Path:
    """A catalogue where olga edited and viktor verified one cited event, exported."""
    uuid = events.create_event(catalogue, "olga", EventInput(title="Марш", date="2020-11-08")).uuid
    src = sources.add_source(catalogue, "olga", SourceInput(title="Viasna"))
    sources.cite(catalogue, "olga", uuid, src.uuid, locator="p. 1")
    verification.set_status(catalogue, "olga", uuid, "in_review")
    verification.set_status(catalogue, "viktor", uuid, "verified")
    path = tmp_path / "out.json"
    export_json(catalogue, path)
    return path


def _status(cat: Catalogue) -> list[str]:
    with cat.reader.connect() as c:
        return [r[0] for r in c.exec_driver_sql("SELECT status FROM event")]


def test_a_decision_by_a_reviewer_known_here_is_kept(verified_file: Path, tmp_path: Path) -> None:
    target = Catalogue.create(tmp_path / "T.belarchive", admin="anna", passphrase=PASSPHRASE)
    users.add_user(target, "anna", "viktor", "reviewer", PASSPHRASE)
    result = import_json(target, "anna", verified_file)
    assert _status(target) == ["verified"] and not result.arrived_unverified


def test_a_decision_by_someone_unknown_here_arrives_unverified(
    verified_file: Path, tmp_path: Path
) -> None:
    target = Catalogue.create(tmp_path / "T.belarchive", admin="anna", passphrase=PASSPHRASE)
    result = import_json(target, "anna", verified_file)  # viktor comes only with the file
    assert _status(target) == ["unverified"]
    (line,) = result.arrived_unverified
    assert "'viktor' is not a reviewer of this catalogue" in line
    with target.reader.connect() as c:
        last = c.exec_driver_sql(
            "SELECT to_status, reviewer, note FROM verificationentry ORDER BY id DESC"
        ).first()
    assert last is not None and (last[0], last[1]) == ("unverified", "anna")


@pytest.mark.parametrize(
    ("forge", "reason"),
    [
        ("no_decision", "without the decision that made it"),
        ("no_citation", "verified without any citation"),
        ("own_edit", "decided on their own edit"),
    ],
)
def test_forged_verified_events_arrive_unverified(
    verified_file: Path, tmp_path: Path, forge: str, reason: str
) -> None:
    doc = json.loads(verified_file.read_text(encoding="utf-8"))
    (e,) = doc["events"]
    if forge == "no_decision":
        e["verification"] = []
    elif forge == "no_citation":
        e["citations"] = []
    else:
        e["substance_by"] = "viktor"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    target = Catalogue.create(tmp_path / "T.belarchive", admin="anna", passphrase=PASSPHRASE)
    users.add_user(target, "anna", "viktor", "reviewer", PASSPHRASE)
    result = import_json(target, "anna", forged)
    assert _status(target) == ["unverified"]
    assert reason in result.arrived_unverified[0]
