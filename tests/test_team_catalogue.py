"""A team catalogue on a real PostgreSQL server: created, joined, written by the services."""

from __future__ import annotations

from typing import Any

import pytest
from support import PASSPHRASE
from team_support import ADMIN

from belarchive.errors import PermissionDenied, StaleVersionError
from belarchive.services import events, sources, users, verification
from belarchive.services.audit import verify_chain
from belarchive.services.inputs import EventInput, EventPatch, FigureInput, SourceInput
from belarchive.storage import migrations


def _event(cat: Any, member: str, title: str = "Detentions at the march") -> str:
    data = EventInput(
        title=title,
        date="2020-11-15",
        description="Riot police detained people near the metro.",
        language="en",
        tags=("detention",),
        figures=(FigureInput("detained", 120, qualifier="at_least"),),
    )
    return events.create_event(cat, member, data).uuid


def test_a_new_team_catalogue_has_the_founder_the_vocabulary_and_one_chain(team: Any) -> None:
    admin = team.as_member(ADMIN)
    assert admin.is_team and admin.meta["schema_version"] == str(migrations.LATEST_VERSION)
    assert {u.name: u.role for u in users.list_users(admin)} == {
        "anna": "admin", "olga": "archivist", "vera": "reviewer", "viktor": "reviewer"
    }  # fmt: skip
    with admin.writer.connect() as conn:
        tags = conn.exec_driver_sql("SELECT count(*) FROM tag").scalar()
        report = verify_chain(conn)
    assert tags and tags > 10
    assert report.ok, report.problem
    assert report.checked > 100  # the founding entries and one per seeded tag and place


def test_members_write_through_the_services_and_the_chain_stays_valid(team: Any) -> None:
    olga, viktor = team.as_member("olga"), team.as_member("viktor")
    event = _event(olga, "olga")
    source = sources.add_source(olga, "olga", SourceInput("Report", url="https://ex.org/1")).uuid
    sources.cite(olga, "olga", event, source, quote="at least 120 detained")
    detail = events.event_detail(viktor, event)
    assert detail["title"] == "Detentions at the march"
    assert [f["value_min"] for f in detail["figures"]] == [120]
    verification.set_status(olga, "olga", event, "in_review")
    verification.set_status(viktor, "viktor", event, "verified")
    assert events.event_detail(olga, event)["status"] == "verified"
    with olga.reader.connect() as conn:
        report = verify_chain(conn)
    assert report.ok, report.problem


def test_a_stale_save_from_another_desktop_is_refused_with_the_other_persons_name(
    team: Any,
) -> None:
    olga, vera = team.as_member("olga"), team.as_member("vera")
    event = _event(olga, "olga")
    version = int(events.event_detail(vera, event)["version"])
    events.update_event(olga, "olga", event, version, EventPatch(title="Detentions (updated)"))
    with pytest.raises(StaleVersionError) as refused:
        events.update_event(vera, "vera", event, version, EventPatch(title="Vera's title"))
    assert refused.value.changed_by == "olga"
    assert events.event_detail(vera, event)["title"] == "Detentions (updated)"


def test_an_archivist_may_not_decide_and_the_program_says_so_first(team: Any) -> None:
    olga = team.as_member("olga")
    event = _event(olga, "olga")
    verification.set_status(olga, "olga", event, "in_review")
    with pytest.raises(PermissionDenied):
        verification.set_status(olga, "olga", event, "verified")


def test_only_an_admin_adds_members_and_a_new_member_can_sign_in(team: Any) -> None:
    olga = team.as_member("olga")
    with pytest.raises(PermissionDenied):
        users.add_user(olga, "olga", "petr", "archivist", PASSPHRASE)
    users.add_user(team.as_member(ADMIN), ADMIN, "petr", "archivist", PASSPHRASE)
    petr = team.as_member("petr")
    event = _event(petr, "petr", "Search of a flat")
    with team.sql_as("olga") as conn:
        row = conn.execute("SELECT created_by FROM event WHERE uuid = %s", (event,)).fetchone()
    assert row == ("petr",)


def test_search_check_and_exports_work_on_a_team_catalogue(team: Any, tmp_path: Any) -> None:
    from belarchive.exporting.csv_io import export_csv
    from belarchive.exporting.json_io import export_json
    from belarchive.search import api
    from belarchive.services import maintenance

    olga = team.as_member("olga")
    wanted = _event(olga, "olga", "Задержания у Комаровского рынка")
    events.create_event(olga, "olga", EventInput(title="Statement of the ministry"))
    found = api.search(olga, "задержание")  # another form of the word: the index's stems
    assert [hit.uuid for hit in found.hits] == [wanted]
    report = maintenance.check(olga)
    assert report.audit is not None and report.audit.ok
    assert report.evidence_problems == [] and report.evidence_checked == 2
    export_json(olga, tmp_path / "team.json")
    export_csv(olga, tmp_path / "team.csv")
    assert wanted in (tmp_path / "team.json").read_text(encoding="utf-8")
    assert "Комаровского" in (tmp_path / "team.csv").read_text(encoding="utf-8")


def test_the_same_events_export_the_same_csv_from_a_folder_and_from_a_team_catalogue(
    team: Any, catalogue: Any, tmp_path: Any
) -> None:
    from belarchive.exporting.csv_io import export_csv

    given = [
        EventInput(title="Марш у Мінску", date="2020-11-15", language="be", uuid=f"{n}" * 8
                   + "-0000-4000-8000-000000000000", tags=("protest", "detention"),
                   places=("minsk", "brest"),
                   figures=(FigureInput("detained", 300 + n, qualifier="more_than"),))
        for n in range(1, 4)
    ]  # fmt: skip
    for cat, member in ((catalogue, "olga"), (team.as_member("olga"), "olga")):
        for data in given:
            events.create_event(cat, member, data)
    export_csv(catalogue, tmp_path / "folder.csv")
    export_csv(team.as_member("olga"), tmp_path / "team.csv")
    assert (tmp_path / "folder.csv").read_bytes() == (tmp_path / "team.csv").read_bytes()


def test_a_field_laptops_catalogue_merges_into_the_team_catalogue_by_json(
    team: Any, catalogue: Any, tmp_path: Any
) -> None:
    """The laptop's events arrive with their history kept apart (imported history), their
    authors named as the laptop had them, and the team's chain stays valid."""
    from belarchive.exporting.json_io import export_json
    from belarchive.importing.json_io import import_json

    field = _event(catalogue, "olga", "Detentions seen from the field")
    notes = sources.add_source(catalogue, "olga", SourceInput("Field notes")).uuid
    sources.cite(catalogue, "olga", field, notes)
    export_json(catalogue, tmp_path / "field.json")
    vera = team.as_member("vera")
    result = import_json(vera, "vera", tmp_path / "field.json")
    assert events.event_detail(vera, field)["title"] == "Detentions seen from the field"
    # The file names the laptop's olga (who made the event), a team member's name: said so.
    assert result.same_names == ("olga",)
    with vera.reader.connect() as conn:
        imported = conn.exec_driver_sql(
            "SELECT count(*) FROM importedhistory WHERE entity_id = ?", (field,)
        ).scalar()
        report = verify_chain(conn)
    assert imported and report.ok, report.problem


def test_a_field_catalogue_naming_people_outside_the_team_needs_an_admin(
    team: Any, tmp_path: Any
) -> None:
    from belarchive.errors import PermissionDenied
    from belarchive.exporting.json_io import export_json
    from belarchive.importing.json_io import import_json
    from belarchive.services.catalogue import Catalogue

    laptop = Catalogue.create(tmp_path / "Field.belarchive", admin="dzmitry",
                              passphrase=PASSPHRASE)  # fmt: skip
    field = _event(laptop, "dzmitry", "Seen by Dzmitry in Hrodna")
    export_json(laptop, tmp_path / "field.json")
    laptop.close()
    vera = team.as_member("vera")
    with pytest.raises(PermissionDenied, match=r"not members of the team catalogue \(dzmitry\)"):
        import_json(vera, "vera", tmp_path / "field.json")
    with vera.reader.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM event").scalar() == 0
    anna = team.as_member(ADMIN)
    import_json(anna, ADMIN, tmp_path / "field.json")
    assert events.event_detail(anna, field)["title"] == "Seen by Dzmitry in Hrodna"
    members = {u.name: u.active for u in users.list_users(anna)}
    assert members["dzmitry"] is False  # named in the history, no working account


def test_a_new_passphrase_is_also_the_new_server_password(team: Any) -> None:
    from belarchive.errors import CatalogueError
    from belarchive.services import accounts
    from belarchive.services import team as team_service

    olga = team.as_member("olga")
    accounts.change_passphrase(olga, "olga", "a much newer passphrase")
    _event(olga, "olga", "Saved after the change")  # her open connection follows
    with pytest.raises(CatalogueError, match="wrong user name or password"):
        team_service.open_team(team.address("olga"))
    again = team_service.open_team(team.address("olga", "a much newer passphrase"))
    try:
        again.sign_in("olga", "a much newer passphrase")
        _event(again, "olga", "Saved from another desktop")
    finally:
        again.close()


def test_a_chronicle_imported_into_a_team_catalogue_keeps_its_document_on_the_server(
    team: Any,
) -> None:
    from belarchive.services.first_run import import_sample

    olga = team.as_member("olga")
    result = import_sample(olga, "olga")
    assert len(result.event_uuids) > 20
    with olga.reader.connect() as conn:
        copies = conn.exec_driver_sql("SELECT count(*), sum(size) FROM archivedcopy").one()
    assert copies[0] == 1 and copies[1] > 10_000  # the chronicle itself, in the database
    assert sources.verify_files(team.as_member("viktor")) == []


def test_a_dossier_of_a_team_catalogue_is_built_and_verified(pg_server: Any, tmp_path: Any) -> None:
    import team_support
    from test_dossier_fixtures import build_sample

    from belarchive.exporting.pdf import DossierOptions, build_dossier, verify_dossier
    from belarchive.services.team import create_team

    cat = create_team(team_support.new_database(pg_server), passphrase=PASSPHRASE)
    try:
        sample = build_sample(tmp_path / "sample", into=cat)
        out = tmp_path / "team-incident-log.pdf"
        build_dossier(cat, DossierOptions(template="incident_log"), out)
        report = verify_dossier(cat, out)
        assert report.ok, report.problems
        assert report.events_checked >= 3 and report.files_checked == 2
        events.annotate(cat, "anna", sample.detention, "A later note changes nothing.")
        assert verify_dossier(cat, out).ok
    finally:
        cat.close()


def test_the_programs_own_data_migrations_wait_for_an_admin(team: Any) -> None:
    """A newer gazetteer is the program's own change, audited under its name, which the
    server lets only an admin write: an archivist's opening leaves it, an admin's makes it."""
    import team_support

    from belarchive.services import team as team_service
    from belarchive.services.vocabulary import GAZETTEER_META, gazetteer_digest

    engine = team_support.superuser_engine(team.database)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("UPDATE meta SET value = 'older' WHERE key = ?", (GAZETTEER_META,))
    finally:
        engine.dispose()

    def digest() -> str:
        with team.as_member("viktor").reader.connect() as conn:
            return str(conn.exec_driver_sql(
                "SELECT value FROM meta WHERE key = ?", (GAZETTEER_META,)).scalar())  # fmt: skip

    team_service.open_team(team.address("olga")).close()
    assert digest() == "older"
    team_service.open_team(team.address(ADMIN)).close()
    assert digest() == gazetteer_digest()
