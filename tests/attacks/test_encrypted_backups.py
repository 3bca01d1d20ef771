"""Backups encrypted for the catalogue's members (issue 10, item 5): a lost copy is
unreadable; any member restores it with their passphrase; a cut or altered copy, or one
opened by someone else, is refused and the catalogue is unchanged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.cli import main
from belarchive.errors import CatalogueError, ImportError_
from belarchive.services import events, maintenance
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput


def _titles(cat: Catalogue) -> set[str]:
    conn = sqlite3.connect(cat.db_path)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM event")}
    finally:
        conn.close()


def test_an_encrypted_backup_is_unreadable_and_any_member_restores_it(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    events.create_event(catalogue, "olga", EventInput(title="Задержания в Минске",
                                                      date="2020-11-08"))  # fmt: skip
    copy = maintenance.backup(catalogue, "anna", tmp_path / "usb.sqlite", encrypt=True)
    data = copy.read_bytes()
    assert data.startswith(b"age-encryption.org/v1") and b"SQLite format 3" not in data
    assert "Минске".encode() not in data and b"olga" not in data
    events.create_event(catalogue, "olga", EventInput(title="After the backup", date="2021"))
    # vera (a reviewer, not the one who made it) restores it with her own key.
    with pytest.raises(CatalogueError, match="needs a member"):
        maintenance.restore(catalogue.path, copy, "vera")
    kept = maintenance.restore(catalogue.path, copy, "vera", catalogue.signer_for("vera"))
    assert kept.exists()
    with Catalogue.open(catalogue.path) as reopened:
        assert "After the backup" not in _titles(reopened)
        assert "Задержания в Минске" in _titles(reopened)
        assert maintenance.check(reopened).ok
        with reopened.writer.connect() as conn:  # back in WAL mode, as every catalogue
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


@pytest.mark.parametrize("damage", ["cut", "altered", "stranger"])
def test_a_bad_encrypted_backup_changes_nothing(
    catalogue: Catalogue, tmp_path: Path, damage: str
) -> None:
    events.create_event(catalogue, "olga", EventInput(title="Kept", date="2020"))
    copy = maintenance.backup(catalogue, "anna", tmp_path / "usb.sqlite", encrypt=True)
    events.create_event(catalogue, "olga", EventInput(title="Also kept", date="2021"))
    before = _titles(catalogue)
    data = bytearray(copy.read_bytes())
    if damage == "cut":
        copy.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "altered":
        data[-100] ^= 0x01
        copy.write_bytes(bytes(data))
    stranger = Catalogue.create(tmp_path / "Other.belarchive", admin="mallory",
                                passphrase=PASSPHRASE)  # fmt: skip
    signer = stranger.signer_for("mallory") if damage == "stranger" else None
    signer = signer or catalogue.signer_for("anna")
    expected = "someone else" if damage == "stranger" else "damaged or altered"
    with pytest.raises(ImportError_, match=expected):
        maintenance.restore(catalogue.path, copy, "anna", signer)
    assert _titles(catalogue) == before
    stranger.close()


def test_command_line_backup_and_restore_encrypted(
    catalogue: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(catalogue.path)
    out = tmp_path / "cases.sqlite"
    assert main(["backup", "-C", path, "-u", "anna", "-o", str(out), "--encrypt"]) == 0
    assert "encrypted for the catalogue's members" in capsys.readouterr().out
    assert main(["restore", "-C", path, str(out), "-u", "olga"]) == 0
    assert "Restored from" in capsys.readouterr().out


def test_a_recovery_key_opens_backups_when_every_passphrase_is_lost(
    catalogue: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(catalogue.path)
    events.create_event(catalogue, "olga", EventInput(title="Before", date="2020"))
    capsys.readouterr()
    assert main(["recovery-key", "-C", path, "-u", "anna"]) == 0
    printed = capsys.readouterr().out
    secret = next(w for w in printed.split() if w.startswith("AGE-SECRET-KEY-1"))
    key_file = tmp_path / "paper.txt"
    key_file.write_text(secret + "\n", encoding="utf-8")
    out = tmp_path / "cases.sqlite"
    assert main(["backup", "-C", path, "-u", "anna", "-o", str(out), "--encrypt"]) == 0
    assert secret.encode() not in out.read_bytes()
    conn = sqlite3.connect(catalogue.db_path)  # only the public half is on record
    dumped = " ".join(str(r) for r in conn.execute("SELECT after_json FROM auditentry"))
    conn.close()
    assert secret not in dumped and "age1" in dumped
    # A wrong key file is one line; the right one restores without any passphrase.
    (tmp_path / "wrong.txt").write_text("not a key", encoding="utf-8")
    capsys.readouterr()
    assert (
        main(["restore", "-C", path, str(out), "--recovery-key", str(tmp_path / "wrong.txt")]) == 1
    )
    assert "not a recovery key" in capsys.readouterr().err
    assert main(["restore", "-C", path, str(out), "--recovery-key", str(key_file)]) == 0
    # Only an admin makes one, and the signed log says so.
    assert main(["recovery-key", "-C", path, "-u", "olga"]) == 1
    assert "Only an admin" in capsys.readouterr().err
    assert main(["audit", "verify", "-C", path]) == 0
