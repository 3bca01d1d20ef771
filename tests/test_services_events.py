"""Event use cases through the services, on a real catalogue, including every refusal."""

from __future__ import annotations

import pytest
from support import sql_value

from belarchive.errors import NotFoundError, StaleVersionError, ValidationError
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, EventPatch, FigureInput
from belarchive.storage import queries

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


def _audit_count(cat: Catalogue) -> int:
    # Seals (services.seals) ride along with every write; this counts the changes.
    return int(sql_value(cat, "SELECT count(*) FROM auditentry WHERE action != 'evidence.seal'"))


def _event_count(cat: Catalogue) -> int:
    with cat.reader.connect() as conn:
        return queries.count_events(conn, queries.EventFilter(include_deleted=True))


def test_create_event_records_everything_and_one_audit_entry(catalogue: Catalogue) -> None:
    before = _audit_count(catalogue)
    out = events.create_event(
        catalogue,
        "olga",
        EventInput(
            title="  Συλλήψεις   στο Μινσκ ",
            date="2020-11-08",
            language="el",
            tags=("detention", "Διαδήλωση"),
            places=("Минск",),
            actors=(ActorInput("Λουκασένκο", "perpetrator"),),
            figures=(FigureInput("detained", 340, qualifier="at_least"),),
        ),
    )
    detail = events.event_detail(catalogue, out.uuid)
    assert detail["title"] == "Συλλήψεις στο Μινσκ"
    assert detail["tags"] == ["detention", "protest"]
    assert detail["places"] == ["minsk"]
    assert detail["figures"][0]["qualifier"] == "at_least"
    assert detail["status"] == "unverified" and detail["version"] == 1
    assert _audit_count(catalogue) == before + 1
    assert out.change.created == {out.uuid}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (EventInput(title="x", date="2020-02-31"), "not a real date"),
        (EventInput(title="x", date="15/11/2020"), "not a valid EDTF"),
        (EventInput(title=""), "title is empty"),
        (EventInput(title="x", tags=("no-such-tag",)), "Unknown tag"),
        (EventInput(title="x", places=("Atlantis",)), "Unknown place"),
        (EventInput(title="x", figures=(FigureInput("detained", 10, 5),)), "minimum above"),
        (EventInput(title="x", figures=(FigureInput("detained", -3),)), "negative"),
        (EventInput(title="x", figures=(FigureInput("arrested??", 3),)), "not a figure kind"),
        (
            EventInput(title="x", figures=(FigureInput("killed", 3, None, "roughly"),)),
            "not a qualifier",
        ),
        (EventInput(title="x", language="greek!"), "language code"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    catalogue: Catalogue, data: EventInput, message: str
) -> None:
    audit_before, events_before = _audit_count(catalogue), _event_count(catalogue)
    with pytest.raises((ValidationError, NotFoundError)) as err:
        events.create_event(catalogue, "olga", data)
    assert message in err.value.message
    assert (_audit_count(catalogue), _event_count(catalogue)) == (audit_before, events_before)


def test_unknown_user_is_refused(catalogue: Catalogue) -> None:
    with pytest.raises(NotFoundError, match="Unknown user 'mallory'"):
        events.create_event(catalogue, "mallory", EventInput(title="x"))


def test_stale_save_is_refused_and_names_who_saved(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="First", date="2020-11")).uuid
    events.update_event(catalogue, "viktor", uuid, 1, EventPatch(title="Viktor's title"))
    with pytest.raises(StaleVersionError) as err:
        events.update_event(catalogue, "olga", uuid, 1, EventPatch(title="Olga's title"))
    assert err.value.changed_by == "viktor" and err.value.current_version == 2
    assert "viktor saved this event" in err.value.message
    assert events.event_detail(catalogue, uuid)["title"] == "Viktor's title"


def test_update_without_changes_writes_nothing(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="Same")).uuid
    before = _audit_count(catalogue)
    events.update_event(catalogue, "olga", uuid, 1, EventPatch(title="Same"))
    assert _audit_count(catalogue) == before
    assert events.event_detail(catalogue, uuid)["version"] == 1


def test_update_figures_places_and_date(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="E", date="2020-11")).uuid
    events.update_event(
        catalogue,
        "olga",
        uuid,
        1,
        EventPatch(
            date="2020-11-13/2020-11-15",
            places=("Brest", "Γκρόντνο"),
            figures=(FigureInput("injured", 10, 20, "approximately"),),
        ),
    )
    d = events.event_detail(catalogue, uuid)
    assert d["date_edtf"] == "2020-11-13/2020-11-15"
    assert d["places"] == ["brest", "grodno"]
    assert d["figures"][0]["value_max"] == 20
    with catalogue.reader.connect() as conn:
        f = queries.EventFilter(date_from=__import__("datetime").date(2020, 11, 14))
        assert uuid in {r.uuid for r in queries.list_events(conn, f)}


def test_delete_keeps_history_and_restore_brings_it_back(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="Dup")).uuid
    with pytest.raises(ValidationError, match="reason"):
        events.delete_event(catalogue, "olga", uuid, 1, "  ")
    events.delete_event(catalogue, "olga", uuid, 1, "duplicate of another entry")
    with catalogue.reader.connect() as conn:
        assert uuid not in {r.uuid for r in queries.list_events(conn, queries.EventFilter())}
        assert queries.count_events(conn, queries.EventFilter(include_deleted=True)) == 1
    events.restore_event(catalogue, "olga", uuid)
    assert events.event_detail(catalogue, uuid)["deleted"] is False


def test_merge_moves_links_and_marks_the_duplicate(catalogue: Catalogue) -> None:
    keep = events.create_event(catalogue, "olga", EventInput(title="A", tags=("protest",))).uuid
    dup = events.create_event(
        catalogue, "olga", EventInput(title="A again", tags=("detention",), places=("minsk",))
    ).uuid
    events.merge_events(catalogue, "olga", keep, dup)
    kept = events.event_detail(catalogue, keep)
    assert kept["tags"] == ["detention", "protest"] and kept["places"] == ["minsk"]
    assert events.event_detail(catalogue, dup)["deleted"] is True
    with pytest.raises(ValidationError):
        events.merge_events(catalogue, "olga", keep, keep)


def test_tagging_is_not_a_substantive_edit(catalogue: Catalogue) -> None:
    # A label that is not an event type (event types are substantive: issue 16).
    from belarchive.services import vocabulary

    with catalogue.write("olga") as uow:
        vocabulary.add_tag(uow, "follow_up", {"en": "Follow up"})
    uuid = events.create_event(catalogue, "olga", EventInput(title="T")).uuid
    events.tag_event(catalogue, "viktor", uuid, add=("follow_up",))
    with catalogue.session() as s:
        from belarchive.services.event_parts import get_event

        event = get_event(s, uuid)
        assert event.substance_by == "olga" and event.updated_by == "viktor"


def test_annotation_needs_text(catalogue: Catalogue) -> None:
    uuid = events.create_event(catalogue, "olga", EventInput(title="T")).uuid
    with pytest.raises(ValidationError):
        events.annotate(catalogue, "olga", uuid, "   ")
    note = events.annotate(catalogue, "viktor", uuid, "Check the figure", passage="340")
    assert note.change.events == {uuid}


def test_listeners_hear_each_committed_change_once(catalogue: Catalogue) -> None:
    heard = []
    catalogue.add_listener(heard.append)
    uuid = events.create_event(catalogue, "olga", EventInput(title="L")).uuid
    with pytest.raises(ValidationError):
        events.create_event(catalogue, "olga", EventInput(title=""))
    assert [c.created for c in heard] == [frozenset({uuid})]


def test_a_save_that_names_a_new_actor_says_the_vocabulary_changed(catalogue: Catalogue) -> None:
    """The window reloads its completion lists only then (not after every saved event)."""
    heard = []
    catalogue.add_listener(heard.append)
    first = events.create_event(catalogue, "olga", EventInput(
        title="A", actors=(ActorInput("Ales Bialiatski", "victim"),)))  # fmt: skip
    events.create_event(catalogue, "olga", EventInput(
        title="B", actors=(ActorInput("ales  bialiatski", "victim"),)))  # fmt: skip
    events.update_event(catalogue, "olga", first.uuid, 1, EventPatch(
        actors=(ActorInput("Maria Kalesnikava", "victim"),)))  # fmt: skip
    assert [c.vocabulary for c in heard] == [True, False, True]
