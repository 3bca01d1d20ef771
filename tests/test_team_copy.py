"""belarchive copy: a folder onto a server and back, losslessly; nothing half-made."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import team_support
from support import PASSPHRASE, cli_target, sql_value, tamper

from belarchive.cli import main as cli_main
from belarchive.errors import CatalogueError, IntegrityError
from belarchive.exporting.json_io import export_json
from belarchive.services import copying, events, maintenance, sources, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.first_run import import_sample
from belarchive.services.inputs import EventInput, FigureInput, SourceInput
from belarchive.services.team import open_team


def _json_without_header(cat: Catalogue, path: Path) -> Any:
    export_json(cat, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("header", None)
    return doc


def _filled(catalogue: Catalogue, tmp_path: Path) -> Catalogue:
    """A folder with what a real one holds: an imported chronicle (bulk path, its document
    archived), a hand-made event, a citation, a verified decision, an annotation."""
    import_sample(catalogue, "olga")
    uuid = events.create_event(catalogue, "olga", EventInput(
        title="Марш у Мінску", date="2020-11-15", language="be", tags=("protest",),
        figures=(FigureInput("detained", 300, qualifier="more_than"),))).uuid  # fmt: skip
    source = sources.add_source(catalogue, "olga", SourceInput("Viasna", url="https://x/1")).uuid
    sources.cite(catalogue, "olga", uuid, source, quote="больш за 300")
    verification.set_status(catalogue, "olga", uuid, "in_review")
    verification.set_status(catalogue, "viktor", uuid, "verified")
    events.annotate(catalogue, "vera", uuid, "Checked against the video.")
    return catalogue


def test_a_folder_copied_to_a_server_and_back_exports_the_same_and_checks(
    catalogue: Catalogue, pg_server: Any, tmp_path: Path
) -> None:
    _filled(catalogue, tmp_path)
    original = _json_without_header(catalogue, tmp_path / "original.json")
    address = team_support.new_database(pg_server)
    report = copying.to_server(catalogue, address)
    assert report.rows["event"] == len(original["events"]) and report.copies >= 1
    team = open_team(address)
    try:
        team.sign_in("anna", PASSPHRASE)
        assert _json_without_header(team, tmp_path / "team.json") == original
        checked = maintenance.check(team)
        assert checked.audit is not None and checked.audit.ok, checked.audit
        assert checked.evidence_problems == [] and checked.file_problems == []
        back = tmp_path / "Back.belarchive"
        copying.to_folder(team, back, "anna")
    finally:
        team.close()
    returned = Catalogue.open(back)
    try:
        assert _json_without_header(returned, tmp_path / "back.json") == original
        checked = maintenance.check(returned)
        assert checked.ok, checked.summary()
        copies = sql_value(returned, "SELECT count(*) FROM auditentry WHERE action = ?",
                           "catalogue.copy")  # fmt: skip
        assert copies == 2  # each copy recorded its own making, signed by anna
    finally:
        returned.close()


def test_the_command_line_copies_and_names_members_without_a_server_role(
    catalogue: Catalogue, pg_server: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events.create_event(catalogue, "olga", EventInput(title="One event"))
    address = team_support.new_database(pg_server)
    with team_support.superuser(pg_server) as conn:
        for member in ("olga", "viktor"):  # roles the organisation's server already has
            conn.execute(f"DROP ROLE IF EXISTS {member}")
            conn.execute(f"CREATE ROLE {member} LOGIN PASSWORD '{PASSPHRASE}'")
        conn.execute("DROP ROLE IF EXISTS vera")  # a member the server does not know yet
    assert cli_main(["copy", cli_target(catalogue), address]) == 0
    printed = capsys.readouterr().out
    assert "Copied to" in printed and "GRANT belarchive_reviewer TO vera" in printed
    assert cli_main(["list", "-C", address.replace("//anna:", "//olga:")]) == 0
    assert "One event" in capsys.readouterr().out


def test_a_tampered_folder_is_not_copied(
    catalogue: Catalogue, pg_server: Any, tmp_path: Path
) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(
        title="Detentions", figures=(FigureInput("detained", 12),))).uuid  # fmt: skip
    tamper(catalogue, "UPDATE figure SET value_min = 1200")
    address = team_support.new_database(pg_server)
    with pytest.raises(IntegrityError, match="fails its evidence check"):
        copying.to_server(catalogue, address)
    assert uuid
    with team_support.superuser(pg_server) as conn:
        name = address.rsplit("/", 1)[1]
        assert conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", (name,)
        ).fetchone() == (1,)
    team = address
    with pytest.raises(CatalogueError, match="holds no belarchive catalogue yet"):
        open_team(team)


def test_a_copy_cut_off_midway_leaves_nothing_on_the_server(
    catalogue: Catalogue, pg_server: Any, tmp_path: Path
) -> None:
    """The connection is cut while rows are going across (the server ends it): the copy
    says so, and the database is as empty as before."""
    import threading

    import_sample(catalogue, "olga")
    address = team_support.new_database(pg_server)
    name = address.rsplit("/", 1)[1]
    cut = threading.Event()

    def cut_when_copying(table: str, _count: int) -> None:
        if table == "event" and not cut.is_set():
            cut.set()
            with team_support.superuser(pg_server) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))  # fmt: skip

    with pytest.raises(CatalogueError, match="did not finish and was undone"):
        copying.to_server(catalogue, address, progress=cut_when_copying)
    with pytest.raises(CatalogueError, match="holds no belarchive catalogue yet"):
        open_team(address)


def test_a_copy_onto_a_catalogue_or_into_an_existing_folder_is_refused(
    catalogue: Catalogue, team: Any, tmp_path: Path
) -> None:
    with pytest.raises(CatalogueError, match="already holds a belarchive catalogue"):
        copying.to_server(catalogue, team.address("anna"))
    busy = tmp_path / "Busy.belarchive"
    busy.mkdir()
    (busy / "something").write_text("x")
    with pytest.raises(CatalogueError, match="not empty"):
        copying.to_folder(team.as_member("anna"), busy, "anna")
    assert [p.name for p in busy.iterdir()] == ["something"]
