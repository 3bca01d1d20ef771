"""Signing in from the command line: passphrases from the environment or a prompt, account
commands, anchors; every refusal is one clear line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.cli import main

ROOT = Path(__file__).parent.parent


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = str(tmp_path / "Sig.belarchive")
    assert run("init", path, "--user", "anna") == 0
    assert run("user", "add", "olga", "--role", "archivist", "-C", path, "-u", "anna") == 0
    return path


def test_a_write_with_the_wrong_passphrase_is_one_line_and_changes_nothing(
    cat: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", "not olga's passphrase")
    capsys.readouterr()
    code = run("add", "-C", cat, "-u", "olga", "--title", "T", "--date", "2020-11-08")
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "Wrong passphrase for olga" in err
    assert "not olga's passphrase" not in err
    conn = sqlite3.connect(Path(cat) / "catalogue.sqlite")
    assert conn.execute("SELECT count(*) FROM event").fetchone()[0] == 0
    conn.close()


def test_without_a_passphrase_or_a_terminal_the_cli_says_what_to_set(
    cat: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BELARCHIVE_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by pytest
    capsys.readouterr()
    assert run("add", "-C", cat, "-u", "olga", "--title", "T", "--date", "2020") != 0
    assert "set BELARCHIVE_PASSPHRASE" in capsys.readouterr().err


def test_user_commands_list_keys_change_and_reset(
    cat: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    capsys.readouterr()
    assert run("user", "list", "-C", cat) == 0
    listing = capsys.readouterr().out
    assert "signing key" in listing and listing.count("olga") == 1
    monkeypatch.setenv("BELARCHIVE_NEW_PASSPHRASE", "olga's second passphrase")
    assert run("user", "passphrase", "-C", cat, "-u", "olga") == 0
    assert "the signing key is the same" in capsys.readouterr().out
    # The old passphrase no longer works; the new one does.
    assert run("add", "-C", cat, "-u", "olga", "--title", "T", "--date", "2020") != 0
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", "olga's second passphrase")
    assert run("add", "-C", cat, "-u", "olga", "--title", "T", "--date", "2020") == 0
    # An admin resets it: a new key.
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("BELARCHIVE_NEW_PASSPHRASE", "olga's third passphrase")
    capsys.readouterr()
    assert run("user", "reset", "olga", "-C", cat, "-u", "anna") == 0
    assert "new key" in capsys.readouterr().out
    # olga may not reset anyone (and says so in one line).
    monkeypatch.setenv("BELARCHIVE_PASSPHRASE", "olga's third passphrase")
    assert run("user", "reset", "anna", "-C", cat, "-u", "olga") != 0
    assert "Only an admin" in capsys.readouterr().err
    assert run("audit", "verify", "-C", cat) == 0
    assert "signed by their authors" in capsys.readouterr().out


def test_anchor_then_verify_against_it(
    cat: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anchor = tmp_path / "usb" / "anchor.json"
    anchor.parent.mkdir()
    assert run("audit", "anchor", "-C", cat, "-o", str(anchor)) == 0
    assert json.loads(anchor.read_text(encoding="utf-8"))["head"]["signature"]
    assert run("add", "-C", cat, "-u", "olga", "--title", "Later", "--date", "2020") == 0
    capsys.readouterr()
    assert run("audit", "verify", "-C", cat, "--anchor", str(anchor)) == 0
    assert "unchanged" in capsys.readouterr().out
    anchor.write_text("{}", encoding="utf-8")
    assert run("audit", "verify", "-C", cat, "--anchor", str(anchor)) != 0
    assert "not a belarchive audit anchor" in capsys.readouterr().err


def test_a_prompt_on_a_real_terminal_signs_in(tmp_path: Path) -> None:
    """The passphrase typed at a real pseudo-terminal prompt (no environment variable)."""
    import pty

    path = tmp_path / "Tty.belarchive"
    env = {**os.environ, "BELARCHIVE_PASSPHRASE": PASSPHRASE, "BELARCHIVE_NEW_PASSPHRASE": ""}
    subprocess.run([sys.executable, "-m", "belarchive", "init", str(path), "-u", "anna"],
                   env=env, check=True, capture_output=True, cwd=ROOT)  # fmt: skip
    env.pop("BELARCHIVE_PASSPHRASE")
    env.pop("BELARCHIVE_NEW_PASSPHRASE")
    argv = [sys.executable, "-m", "belarchive", "add", "-C", str(path), "-u", "anna",
            "--title", "Typed", "--date", "2020"]  # fmt: skip
    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, asking on its terminal
        os.execve(sys.executable, argv, env)
    seen = b""
    while b"Passphrase for anna" not in seen:
        seen += os.read(fd, 1024)
    os.write(fd, PASSPHRASE.encode() + b"\n")
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
    assert PASSPHRASE.encode() not in seen  # never echoed
