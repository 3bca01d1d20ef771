"""`belarchive search` and `belarchive index` over a real catalogue and a real Whoosh index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from belarchive.cli import main


@pytest.fixture
def cat(tmp_path: Path) -> str:
    path = str(tmp_path / "Search.belarchive")
    assert main(["init", path, "--user", "anna", "--with-sample"]) == 0
    return path


def test_search_finds_inflected_greek_and_writes_are_searchable(
    cat: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["search", "συλληψη", "-C", cat]) == 0
    assert "[συλλήψεις]" in capsys.readouterr().out
    assert main(["add", "-C", cat, "-u", "anna", "--title", "Задержания у Окрестина",
                 "--date", "2020-08-12"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["search", "задержанных", "-C", cat]) == 0  # written by an earlier command
    assert "Окрестина" in capsys.readouterr().out


def test_malformed_query_is_one_line(cat: str, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["search", '"unbalanced', "-C", cat]) == 1
    err = capsys.readouterr().err
    assert "quotation mark is not closed" in err and err.count("\n") == 1


def test_index_check_and_rebuild_after_damage(cat: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "Minsk", "-C", cat]) == 0
    assert main(["index", "check", "-C", cat]) == 0
    shutil.rmtree(Path(cat) / "index")
    capsys.readouterr()
    assert main(["index", "check", "-C", cat]) == 1
    assert "missing" in capsys.readouterr().out
    assert main(["index", "rebuild", "-C", cat]) == 0
    assert main(["index", "check", "-C", cat]) == 0
    capsys.readouterr()
    assert main(["search", "Μινσκ", "-C", cat]) == 0
    assert "match" in capsys.readouterr().out
