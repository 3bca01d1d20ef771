"""Shared fixtures: real catalogues in temporary folders, never the user's own data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Qt widgets render offscreen in tests; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from support import PASSPHRASE, sign_in

from belarchive.security import passphrases
from belarchive.services import users
from belarchive.services.catalogue import Catalogue


@pytest.fixture(scope="session")
def _derived_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the run: its contents (lemma tables, the family table's terms)
    are keyed by what they are made from. The process's own copies outlive each test, so a
    folder per test left the processes a test spawns (a bulk edit's) making them again:
    ~6 s of the lemma tables, beyond a test's wait on a loaded machine."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _derived_data: Path
) -> None:
    """No test may read or write the real user data or settings folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BELARCHIVE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("BELARCHIVE_CACHE_DIR", str(_derived_data))
    monkeypatch.setenv("BELARCHIVE_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "xdg-cache"))
    monkeypatch.setenv("BELARCHIVE_USER", "anna")
    # Messages in English whatever the machine's language (tests that want another set it).
    monkeypatch.setenv("BELARCHIVE_LANG", "en")
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("BELARCHIVE_NEW_PASSPHRASE", PASSPHRASE)


@pytest.fixture(autouse=True)
def _fast_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its smallest cost for hashes made in tests: the same checks run, each
    derivation takes microseconds instead of ~0.15 s. Subprocesses keep the real cost."""
    monkeypatch.setattr(passphrases, "COST", passphrases.KdfCost(1, 64, 1))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test module that sets ``BACKENDS = ("folder", "team")`` runs each test that takes
    ``catalogue`` on both: a folder (SQLite) and a team catalogue on the run's PostgreSQL."""
    backends = getattr(metafunc.module, "BACKENDS", None)
    if backends and "catalogue" in metafunc.fixturenames:
        metafunc.parametrize("catalogue", backends, indirect=True)


@pytest.fixture
def catalogue(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Catalogue]:
    """A new catalogue with an admin (anna), two reviewers (viktor, vera), an archivist (olga),
    all signed in; a folder, or (parametrised) a team catalogue where each signs in to the
    server with their own role."""
    if getattr(request, "param", "folder") == "team":
        import team_support

        from belarchive.services.team import create_team

        cat = create_team(
            team_support.new_database(request.getfixturevalue("pg_server")), passphrase=PASSPHRASE
        )
    else:
        cat = Catalogue.create(tmp_path / "Test.belarchive", admin="anna", passphrase=PASSPHRASE)
    users.add_user(cat, "anna", "viktor", "reviewer", PASSPHRASE)
    users.add_user(cat, "anna", "vera", "reviewer", PASSPHRASE)
    users.add_user(cat, "anna", "olga", "archivist", PASSPHRASE)
    sign_in(cat, "viktor", "vera", "olga")
    yield cat
    cat.close()


@pytest.fixture(scope="session")
def sample_path() -> Path:
    from belarchive.config import sample_chronicle_path

    return sample_chronicle_path()


# -- team catalogues on a real PostgreSQL server (started once per test worker) -------------
@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    import pg_cluster

    cluster = pg_cluster.start_cluster()
    yield cluster
    cluster.remove()


@pytest.fixture
def team_database(pg_server: Any, request: pytest.FixtureRequest) -> str:
    """A new empty database owned by anna (a login role that may create roles); returns
    its address as anna. Roles are the cluster's: tests share them, never their databases."""
    import team_support

    return team_support.new_database(pg_server)


@pytest.fixture
def team(pg_server: Any, team_database: str) -> Iterator[Any]:
    """A team catalogue with anna (admin), viktor and vera (reviewers), olga (archivist):
    ``team.as_member(name)`` opens it as that member, signed in, as their desktop would."""
    import team_support

    opened = team_support.Team(pg_server, team_database)
    yield opened
    opened.close()
