"""The command line: every command over a real catalogue; errors are one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from belarchive.cli import main

ROOT = Path(__file__).parent.parent


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = str(tmp_path / "Cli.belarchive")
    assert run("init", path, "--user", "anna") == 0
    assert run("user", "add", "viktor", "--role", "reviewer", "-C", path, "-u", "anna") == 0
    return path


def _new_event(cat: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert (
        run(
            "add",
            "-C",
            cat,
            "-u",
            "anna",
            "--title",
            "Задержания в Минске",
            "--date",
            "2020-08-09",
            "--tag",
            "detention",
            "--place",
            "Минск",
            "--figure",
            "detained:3000:more_than",
            *extra,
        )
        == 0
    )
    return capsys.readouterr().out.strip()


def test_add_show_list_edit_flow(cat: str, capsys: pytest.CaptureFixture[str]) -> None:
    uuid = _new_event(cat, capsys, "--actor", "Лукашенко:perpetrator")
    assert run("show", "-C", cat, uuid) == 0
    shown = capsys.readouterr().out
    assert "Задержания в Минске" in shown and ">3000" in shown and "9 August 2020" in shown
    assert run("list", "-C", cat, "--tag", "repression", "--from", "2020-08-01") == 0
    assert uuid in capsys.readouterr().out
    assert run("list", "-C", cat, "--status", "verified") == 0
    assert uuid not in capsys.readouterr().out
    capsys.readouterr()
    assert run("edit", "-C", cat, "-u", "viktor", uuid, "--version", "1", "--title", "New") == 0
    assert "old name of --expect-version" in capsys.readouterr().err  # still works, and says so
    stale = ("edit", "-C", cat, "-u", "anna", uuid, "--expect-version", "1", "--title", "Old")
    assert run(*stale) == 1
    assert "viktor saved this event" in capsys.readouterr().err


def test_sources_citations_attachments_and_verification(
    cat: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    uuid = _new_event(cat, capsys)
    assert (
        run(
            "source",
            "add",
            "-C",
            cat,
            "-u",
            "anna",
            "--title",
            "Viasna report",
            "--url",
            "https://spring96.org/en/news/1",
            "--reliability",
            "B",
        )
        == 0
    )
    source = capsys.readouterr().out.strip()
    copy = tmp_path / "report.html"
    copy.write_text("<html>archived</html>")
    assert run("attach", "-C", cat, "-u", "anna", source, str(copy)) == 0
    assert run("cite", "-C", cat, "-u", "anna", uuid, source, "--credibility", "2") == 0
    assert run("status", "-C", cat, "-u", "anna", uuid, "in_review") == 0
    capsys.readouterr()
    assert run("status", "-C", cat, "-u", "anna", uuid, "verified") == 1
    assert "You edited this event last" in capsys.readouterr().err
    assert run("status", "-C", cat, "-u", "viktor", uuid, "verified") == 0
    assert run("check", "-C", cat) == 0
    assert "Archived files: ok" in capsys.readouterr().out
    assert run("history", "-C", cat, uuid) == 0
    assert "event.status" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "--title", "x", "--date", "2020-02-31"], "not a real date"),
        (["add", "--title", "x", "--tag", "nonsense"], "Unknown tag"),
        (["add", "--title", "x", "--place", "Atlantis"], "Unknown place"),
        (["add", "--title", "x", "--figure", "detained:10-5"], "minimum above"),
        (["add", "--title", "x", "--figure", "detained:-5"], "not a figure"),
        (["add", "--title", "x", "--figure", "lots"], "not a figure"),
        (["status", "00000000-0000-0000-0000-000000000000", "verified"], "No event with id"),
        (["attach", "00000000", "/nonexistent/file.pdf"], "No source with id"),
        (["list", "--from", "yesterday"], "not a date like"),
    ],
)
def test_errors_are_one_clear_line(
    cat: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(*args[:1], "-C", cat, *(["-u", "anna"] if args[0] != "list" else []), *args[1:]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_unknown_user_and_missing_catalogue(
    cat: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("add", "-C", cat, "-u", "mallory", "--title", "x") == 1
    assert "Unknown user 'mallory'" in capsys.readouterr().err
    assert run("list", "-C", str(tmp_path / "nowhere.belarchive")) == 1
    assert "No catalogue at" in capsys.readouterr().err


def test_backup_and_restore(cat: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _new_event(cat, capsys)
    assert run("backup", "-C", cat, "-u", "anna", "-o", str(tmp_path / "b.sqlite")) == 0
    second = _new_event(cat, capsys)
    assert run("restore", "-C", cat, str(tmp_path / "b.sqlite")) == 0
    capsys.readouterr()
    assert run("list", "-C", cat) == 0
    listed = capsys.readouterr().out
    assert first in listed and second not in listed
    assert run("check", "-C", cat) == 0
    kept = list((Path(cat) / "backups").glob("pre-restore-*.sqlite"))
    assert len(kept) == 1  # the replaced database was kept, not destroyed


def test_restore_refuses_a_foreign_backup(
    cat: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = str(tmp_path / "Other.belarchive")
    run("init", other, "--user", "anna")
    run("backup", "-C", other, "-u", "anna", "-o", str(tmp_path / "other.sqlite"))
    capsys.readouterr()
    assert run("restore", "-C", cat, str(tmp_path / "other.sqlite")) == 1
    assert "another catalogue" in capsys.readouterr().err
    (tmp_path / "junk.sqlite").write_bytes(b"not a database")
    assert run("restore", "-C", cat, str(tmp_path / "junk.sqlite")) == 1


def test_real_process_exit_code_and_no_traceback(cat: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "belarchive",
            "add",
            "-C",
            cat,
            "-u",
            "anna",
            "--title",
            "x",
            "--date",
            "not-a-date",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("belarchive: ") and "Traceback" not in result.stderr


def test_no_display_gives_a_message_not_a_core_dump(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, "-m", "belarchive"], capture_output=True,
                            text=True, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 1
    assert "no graphical display" in result.stderr and "belarchive --help" in result.stderr
