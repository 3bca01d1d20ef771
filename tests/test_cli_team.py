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
    # This desktop's own index of the team catalogue, in its user cache.
    capsys.readouterr()
    assert cli_main(["search", "-C", olga, "марш"]) == 0
    found = capsys.readouterr().out
    assert "[Марш] у Мінску" in found and "1 match" in found
    assert cli_main(["index", "check", "-C", olga]) == 0


def test_the_command_line_writes_only_as_the_connected_member(
    pg_server: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    address = team_support.new_database(pg_server)
    assert cli_main(["init", address]) == 0
    capsys.readouterr()
    assert cli_main(["add", "-C", address, "-u", "olga", "--title", "x"]) == 1
    assert "connected to the team catalogue as anna" in capsys.readouterr().err


@pytest.mark.parametrize("command", [["encrypt"], ["restore", "/tmp/x.sqlite"]])
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


def test_archived_copies_live_in_the_team_database_and_are_verified_there(
    team: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attached on one desktop, read on another, re-hashed by files verify; a copy changed
    behind the program's back (the superuser, triggers off) is named."""
    from support import cli_target, tamper

    from belarchive.services import sources
    from belarchive.services.inputs import SourceInput

    olga = team.as_member("olga")
    source = sources.add_source(olga, "olga", SourceInput("Report")).uuid
    copy = tmp_path / "report.html"
    copy.write_bytes(b"<p>at least 120 detained</p>" * 50_000)  # 1.4 MB: two chunks
    sha = sources.attach_file(olga, "olga", source, copy).uuid
    assert not any(olga.files_dir.rglob("*")), "nothing in this desktop's cache"
    viktor = team.as_member("viktor")
    assert viktor.files.read_bytes(sha) == copy.read_bytes()
    assert sources.verify_files(viktor) == []
    assert cli_main(["files", "verify", "-C", cli_target(olga)]) == 0
    tamper(olga, ("UPDATE archivedchunk SET data = ? WHERE sha256 = ? AND n = 1",
                  (b"rewritten", sha)))  # fmt: skip
    assert [p.problem for p in sources.verify_files(viktor)] == ["changed"]
    assert cli_main(["files", "verify", "-C", cli_target(olga)]) == 1


def test_a_team_backup_is_a_pg_dump_that_records_its_own_making(
    pg_server: Any, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    import pg_cluster

    from belarchive.services import backup_files
    from belarchive.services.team import open_team

    address = team_support.new_database(pg_server)
    assert cli_main(["init", address]) == 0
    assert cli_main(["add", "-C", address, "--title", "Before the backup"]) == 0
    assert cli_main(["backup", "-C", address, "-o", str(tmp_path)]) == 0
    dumps = list(tmp_path.glob("*.pgdump"))
    assert len(dumps) == 1 and not list(tmp_path.glob("*.partial"))
    listed = subprocess.run(
        [str(pg_cluster.server_bin_dir() / "pg_restore"), "--list", str(dumps[0])],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "TABLE DATA public auditentry" in listed and "archivedchunk" in listed
    cat = open_team(address)
    try:
        with cat.reader.connect() as conn:
            made = conn.exec_driver_sql(
                "SELECT after_json FROM auditentry WHERE action = 'catalogue.backup'"
            ).scalar()
    finally:
        cat.close()
    assert made is not None and str(dumps[0]) in made
    assert cli_main(["backup", "-C", address, "-o", str(tmp_path / "enc.pgdump"),
                     "--encrypt"]) == 0  # fmt: skip
    assert backup_files.is_encrypted(tmp_path / "enc.pgdump")
