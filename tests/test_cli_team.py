"""The command line on a team catalogue: --catalogue postgresql://..., the same commands."""

from __future__ import annotations

from typing import Any

import pytest
import team_support
from support import PASSPHRASE

from belarchive.cli import main as cli_main


def test_a_team_catalogue_is_made_and_used_from_the_command_line(
    pg_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    address = team_support.new_database(pg_server)
    assert cli_main(["init", address]) == 0
    assert "Created team catalogue" in capsys.readouterr().out
    assert cli_main(["user", "add", "olga", "--role", "archivist", "-C", address]) == 0
    olga = address.replace("//anna:", "//olga:")
    assert cli_main(["add", "-C", olga, "--title", "Марш у Мінску", "--date", "2020-11-15",
                     "--tag", "protest"]) == 0  # fmt: skip
    capsys.readouterr()
    assert cli_main(["list", "-C", olga]) == 0
    assert "Марш у Мінску" in capsys.readouterr().out
    assert cli_main(["audit", "verify", "-C", olga]) == 0
    assert "Audit log intact" in capsys.readouterr().out
    assert cli_main(["check", "-C", olga]) == 0


def test_the_command_line_writes_only_as_the_connected_member(
    pg_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    address = team_support.new_database(pg_server)
    assert cli_main(["init", address]) == 0
    capsys.readouterr()
    assert cli_main(["add", "-C", address, "-u", "olga", "--title", "x"]) == 1
    assert "connected to the team catalogue as anna" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["backup"], ["encrypt"], ["restore", "/tmp/x.sqlite"]])
def test_folder_only_commands_say_so_on_a_team_catalogue(
    pg_server: Any, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    address = team_support.new_database(pg_server)
    assert cli_main(["init", address]) == 0
    capsys.readouterr()
    assert cli_main([*command, "-C", address, "-u", "anna"]) == 1
    err = capsys.readouterr().err
    assert "team catalogue" in err and "Traceback" not in err
    assert PASSPHRASE not in err


def test_an_archived_copy_is_refused_on_a_team_catalogue_for_now(team: Any, tmp_path: Any) -> None:
    from belarchive.errors import CatalogueError
    from belarchive.services import sources
    from belarchive.services.inputs import SourceInput

    olga = team.as_member("olga")
    source = sources.add_source(olga, "olga", SourceInput("Report")).uuid
    copy = tmp_path / "report.txt"
    copy.write_text("at least 120 detained", encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot be added to a team catalogue yet"):
        sources.attach_file(olga, "olga", source, copy)
    assert not any(olga.files_dir.rglob("*.txt"))
