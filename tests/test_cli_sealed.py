"""Sealed catalogues from the command line: init --encrypt, encrypt, working in one with a
member's passphrase, and the recovery key printed once (issue 10, item 4)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from belarchive.cli import main
from belarchive.services.catalogue import Catalogue
from belarchive.services.unlocking import Unlock


def test_init_encrypt_then_work_with_a_members_passphrase(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "Minsk.belarchive")
    assert main(["init", path, "-u", "anna", "--encrypt", "--language", "ru"]) == 0
    printed = capsys.readouterr().out
    assert "Created sealed catalogue" in printed
    secret = re.search(r"AGE-SECRET-KEY-1\w+", printed)
    assert secret is not None
    assert main(["add", "-C", path, "-u", "anna", "--title", "Задержания на Пушкинской",
                 "--date", "2020-11-08"]) == 0  # fmt: skip
    assert main(["search", "-C", path, "Пушкинской"]) == 0
    assert "Задержания на [Пушкинской]" in capsys.readouterr().out
    # A wrong passphrase: one line, no traceback, nothing opened.
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", "not anna's passphrase")
    assert main(["list", "-C", path]) != 0
    err = capsys.readouterr().err
    assert "Wrong passphrase for anna" in err and "Traceback" not in err
    # The recovery key printed at creation opens the catalogue when passphrases are lost.
    with Catalogue.open(Path(path), Unlock(recovery_key=secret.group(0))) as cat:
        assert cat.sealed and not cat.is_signed_in("anna")


def test_encrypt_seals_an_existing_catalogue(
    catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    path = catalogue.path
    catalogue.close()
    assert main(["encrypt", "-C", str(path), "-u", "anna"]) == 0
    printed = capsys.readouterr().out
    assert "Members who open it with their own passphrase: anna, olga, vera, viktor" in printed
    assert "no recovery key" in printed
    assert main(["check", "-C", str(path)]) == 0
    assert "Audit log: ok" in capsys.readouterr().out
    assert main(["encrypt", "-C", str(path), "-u", "anna"]) != 0
    assert "already sealed" in capsys.readouterr().err


def test_only_an_admin_seals(catalogue: Catalogue, capsys: pytest.CaptureFixture[str]) -> None:
    path = catalogue.path
    catalogue.close()
    assert main(["encrypt", "-C", str(path), "-u", "olga"]) != 0
    assert "Only an admin may seal" in capsys.readouterr().err
    with Catalogue.open(path) as cat:
        assert not cat.sealed
