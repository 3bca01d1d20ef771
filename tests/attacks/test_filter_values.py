"""An unknown filter value is an error that names it, never an empty result."""

from __future__ import annotations

from pathlib import Path

import pytest

from belarchive.cli import main


@pytest.mark.parametrize(
    ("option", "value"),
    [("--tag", "detentoin"), ("--place", "Minks"), ("--status", "verifed")],
)
@pytest.mark.parametrize("command", [["list"], ["export", "csv", "-o", "OUT"]])
def test_unknown_values_are_named(
    command: list[str], option: str, value: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    cat = str(tmp_path / "T.belarchive")
    assert main(["init", cat, "-u", "anna"]) == 0
    capsys.readouterr()
    argv = [a.replace("OUT", str(tmp_path / "out.csv")) for a in command]
    assert main([*argv, "-C", cat, option, value]) == 1
    err = capsys.readouterr().err
    assert f"'{value}'" in err and "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_search_statuses_are_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = str(tmp_path / "T.belarchive")
    assert main(["init", cat, "-u", "anna"]) == 0
    capsys.readouterr()
    assert main(["search", "Minsk", "-C", cat, "--status", "verifed"]) == 1
    assert "'verifed' is not a verification status" in capsys.readouterr().err
