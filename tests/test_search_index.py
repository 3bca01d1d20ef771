"""The index in step with the database through the services, and its recovery from damage."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.errors import Cancelled
from belarchive.search import api, store
from belarchive.services import events, search_sync, sources, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, EventPatch, SourceInput
from belarchive.storage.queries import EventFilter

MINSK = EventInput(
    title="Πορεία γυναικών στο Μινσκ",
    date="2020-11-08",
    language="el",
    description="Στις 8 Νοεμβρίου η αστυνομία προχώρησε σε 340 συλλήψεις διαδηλωτών.",
    tags=("protest",),
    places=("minsk",),
    actors=(ActorInput("Alexander Lukashenko"),),
)
GRODNO = EventInput(
    title="Задержания в Гродно",
    date="2020-12-01",
    language="ru",
    description="В Гродно задержаны 40 человек после марша.",
    tags=("detention",),
    places=("grodno",),
)


def found(cat: Catalogue, query: str, **kwargs: object) -> list[str]:
    return api.search(cat, query, limit=100, **kwargs).uuids  # type: ignore[arg-type]


@pytest.fixture
def cat(catalogue: Catalogue) -> Catalogue:
    search_sync.attach(catalogue)
    yield catalogue
    search_sync.detach(catalogue)


def test_every_write_is_searchable_when_it_returns(cat: Catalogue) -> None:
    minsk = events.create_event(cat, "anna", MINSK).uuid
    assert found(cat, "συλληψη") == [minsk]
    events.update_event(cat, "anna", minsk, 1, EventPatch(title="Αλυσίδα αλληλεγγύης"))
    assert found(cat, "πορεία", word_families=False) == []
    assert found(cat, "αλληλεγγυη") == [minsk]
    events.tag_event(cat, "anna", minsk, add=("detention",))
    assert found(cat, "tag:detention") == [minsk]
    events.annotate(cat, "olga", minsk, "Μάρτυρας: ξυλοδαρμός στο λεωφορείο")
    assert found(cat, "ξυλοδαρμος") == [minsk]
    source = sources.add_source(cat, "anna", SourceInput(title="Viasna daily report")).uuid
    sources.cite(cat, "anna", minsk, source, quote="OMON officers beat detainees")
    assert found(cat, "viasna") == [minsk] and found(cat, "beaten") == [minsk]
    verification.set_status(cat, "anna", minsk, "in_review")
    assert found(cat, "status:in_review") == [minsk]
    version = events.event_detail(cat, minsk)["version"]
    events.delete_event(cat, "anna", minsk, version, reason="duplicate")
    assert found(cat, "αλληλεγγυη") == []
    events.restore_event(cat, "anna", minsk)
    assert found(cat, "αλληλεγγυη") == [minsk]


def test_merge_removes_the_duplicate(cat: Catalogue) -> None:
    keep = events.create_event(cat, "anna", MINSK).uuid
    other = events.create_event(cat, "anna", MINSK).uuid
    assert sorted(found(cat, "συλληψη")) == sorted([keep, other])
    events.merge_events(cat, "anna", keep, other)
    assert found(cat, "συλληψη") == [keep]


def test_writes_made_while_detached_are_caught_up(catalogue: Catalogue) -> None:
    search_sync.attach(catalogue)
    search_sync.detach(catalogue)
    grodno = events.create_event(catalogue, "anna", GRODNO).uuid
    assert api.check_index(catalogue).status == store.BEHIND
    assert found(catalogue, "задержанных") == [grodno]
    assert api.check_index(catalogue).status == store.OK


def test_fields_filters_and_listing_filters_combine(cat: Catalogue) -> None:
    minsk = events.create_event(cat, "anna", MINSK).uuid
    grodno = events.create_event(cat, "anna", GRODNO).uuid
    assert found(cat, "place:Мінск") == [minsk]
    assert found(cat, "place:Hrodna") == [grodno]
    assert found(cat, "tag:repression") == [grodno]  # detention is below repression
    assert found(cat, "date:2020-11..2020-11") == [minsk]
    assert found(cat, "actor:Лукашенко") == [minsk]
    assert found(cat, "lang:ru") == [grodno]
    assert found(cat, "NOT lang:ru") == [minsk]
    late = EventFilter(date_from=date(2020, 11, 20))
    assert found(cat, "", filters=late) == [grodno]
    assert found(cat, "Minsk OR Grodno", filters=EventFilter(places=("minsk",))) == [minsk]
    assert found(cat, "", filters=EventFilter(tags=("repression",), statuses=("unverified",))) == [
        grodno
    ]
    result = api.search(cat, "place:Atlantis")
    assert result.hits == () and "place" in result.notes[0]


def test_snippets_mark_matches_and_suggestions_fix_misspellings(cat: Catalogue) -> None:
    events.create_event(cat, "anna", MINSK)
    result = api.search(cat, "συλληψη Minsk")
    assert result.hits[0].title.marked() == "Πορεία γυναικών στο [Μινσκ]"
    assert "[συλλήψεις]" in result.hits[0].snippet.marked()
    assert api.search(cat, "Νοεβρίου").suggestion == "Νοεμβρίου"
    assert api.search(cat, "συλλήψεις").suggestion is None


# -- damage and recovery ----------------------------------------------------------------------
def _segment_file(folder: Path) -> Path:
    return max(
        (p for p in folder.iterdir() if p.suffix in (".trm", ".pst", ".seg")),
        key=lambda p: p.stat().st_size,
    )


def _recovers(cat: Catalogue, uuid: str, expected_status: str) -> None:
    assert api.check_index(cat).status == expected_status
    api.close_index(cat)  # as if the program started afresh
    assert found(cat, "συλληψη") == [uuid]
    assert api.check_index(cat).status == store.OK


def test_recovers_from_a_deleted_index_folder(cat: Catalogue) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    api.close_index(cat)
    shutil.rmtree(cat.index_dir)
    _recovers(cat, uuid, store.MISSING)


def test_recovers_from_a_truncated_segment_file(cat: Catalogue) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    api.close_index(cat)
    victim = _segment_file(cat.index_dir)
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
    _recovers(cat, uuid, store.CORRUPT)


def test_recovers_from_a_garbled_state_file(cat: Catalogue) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    api.close_index(cat)
    (cat.index_dir / store.STATE_NAME).write_text("{not json", encoding="utf-8")
    _recovers(cat, uuid, store.CORRUPT)


def test_a_lock_file_left_by_a_crash_blocks_nothing(cat: Catalogue) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    api.close_index(cat)
    (cat.index_dir / store.LOCK_NAME).write_text("", encoding="utf-8")
    assert api.check_index(cat).status == store.OK
    assert found(cat, "συλληψη") == [uuid]
    grodno = events.create_event(cat, "anna", GRODNO).uuid
    assert found(cat, "задержанных") == [grodno]


def test_a_lock_held_by_a_live_process_is_reported_and_searching_goes_on(cat: Catalogue) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import fcntl, os, sys
            fd = os.open({str(cat.index_dir / store.LOCK_NAME)!r}, os.O_CREAT | os.O_WRONLY)
            fcntl.flock(fd, fcntl.LOCK_EX)
            print("held", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert api.check_index(cat).status == store.LOCKED
        assert found(cat, "συλληψη") == [uuid]
    finally:
        holder.communicate("")
    events.create_event(cat, "anna", GRODNO)
    assert api.check_index(cat).status == store.OK


def test_an_index_of_another_catalogue_is_rebuilt(cat: Catalogue, tmp_path: Path) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    other = Catalogue.create(tmp_path / "Other.belarchive", admin="anna", passphrase=PASSPHRASE)
    search_sync.attach(other)
    search_sync.detach(other)
    api.close_index(cat)
    shutil.rmtree(cat.index_dir)
    shutil.copytree(other.index_dir, cat.index_dir)
    other.close()
    _recovers(cat, uuid, store.CORRUPT)


def test_rebuild_reports_progress_and_can_be_cancelled(cat: Catalogue) -> None:
    uuid = events.create_event(cat, "anna", MINSK).uuid
    events.create_event(cat, "anna", GRODNO)
    calls: list[tuple[int, int]] = []
    health = api.rebuild_index(cat, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 2) and calls[-1] == (2, 2) and health.status == store.OK
    with pytest.raises(Cancelled):
        api.rebuild_index(cat, cancel=lambda: True)
    # the old index stayed in place (as typed: the family would add Grodno's detention tag)
    assert found(cat, "συλληψη", word_families=False) == [uuid]
    assert not list(cat.path.glob("index.build-*"))


def test_large_limits_return_ids_without_text(cat: Catalogue) -> None:
    from belarchive.search.searching import SNIPPET_HITS
    from belarchive.services.bulk import create_events_bulk

    inputs = [
        EventInput(title=f"Συλλήψεις {i}", date="2020-11-08", language="el")
        for i in range(SNIPPET_HITS + 20)
    ]
    create_events_bulk(cat, "anna", inputs)
    result = api.search(cat, "συλληψη", limit=10_000)
    assert len(result.uuids) == len(set(result.uuids)) == SNIPPET_HITS + 20
    assert result.hits[0].title.text.startswith("Συλλήψεις")
    assert result.hits[-1].title.text == "" and result.hits[-1].uuid
    with cat.reader.connect() as conn:
        assert set(result.uuids) == {r[0] for r in conn.exec_driver_sql("SELECT uuid FROM event")}


def test_the_package_attach_used_by_the_cli(catalogue: Catalogue) -> None:
    from belarchive.search import attach

    assert attach(catalogue).status == store.OK
    uuid = events.create_event(catalogue, "anna", MINSK).uuid
    assert api.index_for(catalogue).state.doc_count == 1  # updated by the listener
    assert found(catalogue, "συλληψη") == [uuid]
    search_sync.detach(catalogue)
