"""Schema versions: old catalogues migrate (with a backup first); newer or foreign ones refuse."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.errors import CatalogueError, SchemaTooNewError
from belarchive.services import audit, events
from belarchive.services.catalogue import Catalogue
from belarchive.services.catalogue_folder import DB_NAME
from belarchive.services.inputs import EventInput
from belarchive.storage import migrations
from belarchive.storage.engine import raw_connect

FIXTURES = Path(__file__).resolve().parent.parent / "db" / "fixtures"


def _copy(version: int, tmp_path: Path) -> Path:
    target = tmp_path / f"v{version}.belarchive"
    shutil.copytree(FIXTURES / f"schema-v{version}", target)
    return target


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_old_catalogue_migrates_and_keeps_its_data(version: int, tmp_path: Path) -> None:
    path = _copy(version, tmp_path)
    cat = Catalogue.open(path)
    conn = raw_connect(path / DB_NAME)
    assert migrations.current_version(conn) == migrations.LATEST_VERSION
    assert audit.verify_chain(conn).ok
    conn.close()
    backups = list((path / "backups").glob(f"pre-migration-v{version}-*.sqlite"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("PRAGMA user_version").fetchone()[0] == version
    old.close()
    with cat.reader.connect() as c:
        titles = {r[0] for r in c.exec_driver_sql("SELECT title FROM event")}
        statuses = {r[0] for r in c.exec_driver_sql("SELECT status FROM event")}
    assert "Συλλήψεις στο Μινσκ" in titles and "verified" in statuses
    # The migrated catalogue is fully usable: anna's first sign-in gives her a passphrase
    # and a key, and new writes, signed, chain onto the old log.
    cat.sign_in("anna", PASSPHRASE)
    events.create_event(cat, "anna", EventInput(title="After the upgrade", date="2021-01"))
    conn = raw_connect(path / DB_NAME)
    assert audit.verify_chain(conn).ok
    conn.close()
    cat.close()
    Catalogue.open(path).close()  # a second open migrates nothing more
    assert len(list((path / "backups").glob("pre-migration-*"))) == 1


def test_newer_catalogue_refuses_to_open(tmp_path: Path) -> None:
    path = _copy(1, tmp_path)
    conn = sqlite3.connect(path / DB_NAME)
    conn.execute(f"PRAGMA user_version={migrations.LATEST_VERSION + 5}")
    conn.close()
    before = (path / DB_NAME).read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer belarchive"):
        Catalogue.open(path)
    assert (path / DB_NAME).read_bytes() == before


def test_every_step_is_numbered_in_order() -> None:
    versions = [s.version for s in migrations.steps()]
    assert versions == list(range(1, len(versions) + 1))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: None, "No catalogue at"),
        (lambda p: p.write_text("hello"), "is a file"),
        (lambda p: p.mkdir(), "has no catalogue.sqlite"),
        (lambda p: (p.mkdir(), (p / DB_NAME).write_bytes(b"PK\x03\x04 zip")), "not an SQLite"),
        (
            lambda p: (p.mkdir(), sqlite3.connect(p / DB_NAME).execute("CREATE TABLE t(x)")),
            "not a belarchive catalogue",
        ),
    ],
)
def test_foreign_or_missing_catalogues_get_a_clear_message(
    tmp_path: Path, setup: object, message: str
) -> None:
    path = tmp_path / "X.belarchive"
    setup(path)  # type: ignore[operator]
    with pytest.raises(CatalogueError, match=message):
        Catalogue.open(path)


def test_create_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(CatalogueError, match="not empty"):
        Catalogue.create(tmp_path / "busy", admin="anna", passphrase=PASSPHRASE)
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"


def test_unwritable_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy(1, tmp_path)
    # Tests run as root, for whom chmod does not bite; ask the OS check directly instead.
    real_access = __import__("os").access
    monkeypatch.setattr(
        "os.access", lambda p, mode: False if Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(CatalogueError, match="No permission"):
        Catalogue.open(path)


def test_figures_of_a_v4_catalogue_become_incident_figures(tmp_path: Path) -> None:
    cat = Catalogue.open(_copy(4, tmp_path))
    with cat.reader.connect() as c:
        rows = c.exec_driver_sql("SELECT value_min, scope, period_edtf, part_of FROM figure").all()
    assert [tuple(r) for r in rows] == [(340, "incident", None, None)]
    cat.close()


def test_the_current_version_has_its_fixture_and_it_opens_unchanged(tmp_path: Path) -> None:
    path = _copy(migrations.LATEST_VERSION, tmp_path)
    cat = Catalogue.open(path)
    with cat.reader.connect() as c:
        scopes = sorted(r[0] for r in c.exec_driver_sql("SELECT scope FROM figure"))
    assert scopes == ["incident", "period"]
    assert not list((path / "backups").glob("pre-migration-*"))
    cat.close()


def test_an_older_catalogue_gains_the_bundled_gazetteer_once_and_audited(tmp_path: Path) -> None:
    from belarchive.services.catalogue_folder import SYSTEM_USER

    path = _copy(4, tmp_path)
    cat = Catalogue.open(path)
    with cat.reader.connect() as c:
        places = c.exec_driver_sql("SELECT count(*) FROM place").scalar()
        zhlobin = c.exec_driver_sql(
            "SELECT p.key FROM place p JOIN placename n ON n.place_id = p.id WHERE n.name = ?",
            ("Жлобин",),
        ).scalar()
        upgrade = c.exec_driver_sql(
            "SELECT user, after_json FROM auditentry WHERE action = 'gazetteer.upgrade'"
        ).all()
    assert int(places or 0) > 300 and zhlobin == "zhlobin"
    assert len(upgrade) == 1 and upgrade[0][0] == SYSTEM_USER
    cat.close()
    conn = raw_connect(path / DB_NAME)
    assert audit.verify_chain(conn).ok
    conn.close()
    Catalogue.open(path).close()  # the same gazetteer: nothing more is added
    with Catalogue.open(path) as again, again.reader.connect() as c:
        n = c.exec_driver_sql("SELECT count(*) FROM auditentry WHERE action = 'gazetteer.upgrade'")
        assert n.scalar() == 1
