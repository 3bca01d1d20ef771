"""Shared fixtures: real catalogues in temporary folders, never the user's own data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt widgets render offscreen in tests; set before any test module imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from support import PASSPHRASE, sign_in

from belarchive.security import passphrases
from belarchive.services import users
from belarchive.services.catalogue import Catalogue


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may read or write the real user data or settings folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BELARCHIVE_DATA_DIR", str(home / "data"))
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


@pytest.fixture
def catalogue(tmp_path: Path) -> Iterator[Catalogue]:
    """A new catalogue with an admin (anna), two reviewers (viktor, vera), an archivist (olga)."""
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
