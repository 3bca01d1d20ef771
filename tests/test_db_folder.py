"""db/ is the one home of the schema: migrations loaded from there, a schema dump kept
equal to what they build, and a fixture catalogue for every version."""

from __future__ import annotations

from pathlib import Path

from belarchive.config import db_dir
from belarchive.storage import migrations
from belarchive.storage.schema_dump import dump

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_are_loaded_from_db() -> None:
    files = sorted(p.name for p in (ROOT / "db" / "migrations").glob("*.sql"))
    assert [s.name for s in migrations.steps()] == files
    assert db_dir().resolve() == (ROOT / "db").resolve()
    assert not list((ROOT / "belarchive" / "storage" / "migrations").glob("*.sql"))


def test_the_schema_dump_is_what_the_migrations_build() -> None:
    shipped = (ROOT / "db" / "schema.sql").read_text(encoding="utf-8")
    assert shipped == dump(), "db/schema.sql is stale: python -m belarchive.storage.schema_dump"
    assert f"version {migrations.LATEST_VERSION}" in shipped


def test_every_released_version_has_a_fixture_catalogue() -> None:
    for step in migrations.steps():
        folder = ROOT / "db" / "fixtures" / f"schema-v{step.version}"
        assert (folder / "catalogue.sqlite").is_file(), f"no fixture for schema {step.version}"
    assert "erDiagram" in (ROOT / "db" / "README.md").read_text(encoding="utf-8")
