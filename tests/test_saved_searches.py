"""Saved searches: stored in the catalogue, shared, audited, never deleted; bad input refused."""

from __future__ import annotations

from datetime import date

import pytest
from support import sql_rows

from belarchive.errors import NotFoundError, PermissionDenied, ValidationError
from belarchive.services import saved_searches
from belarchive.services.catalogue import Catalogue
from belarchive.storage.queries import EventFilter

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


def _audit(cat: Catalogue, entity: str | None = None) -> list[str]:
    rows = sql_rows(cat, "SELECT action, entity_id FROM auditentry ORDER BY seq")
    return [action for action, eid in rows if entity is None or eid == entity]


FILTERS = EventFilter(tags=("Задержание",), places=("Минск",), statuses=("in review",),
                      periods=((date(2020, 11, 1), date(2020, 11, 30)),))  # fmt: skip


def test_a_saved_search_keeps_its_query_filters_and_options(catalogue: Catalogue) -> None:
    out = saved_searches.save_search(catalogue, "olga", "  Minsk   detentions ", "συλληψη",
                                     FILTERS, {"word_families": False, "bogus": True})  # fmt: skip
    assert out.change.searches
    [saved] = saved_searches.list_searches(catalogue)
    assert saved.uuid == out.uuid and saved.name == "Minsk detentions"
    assert saved.filters.tags == ("detention",) and saved.filters.places == ("minsk",)
    assert saved.filters.statuses == ("in_review",)
    assert saved.filters.periods == ((date(2020, 11, 1), date(2020, 11, 30)),)
    assert saved.options == {"word_families": False} and saved.created_by == "olga"


def test_rename_and_remove_are_audited_and_nothing_is_deleted(catalogue: Catalogue) -> None:
    uuid = saved_searches.save_search(catalogue, "olga", "Minsk", "place:minsk").uuid
    saved_searches.rename_search(catalogue, "olga", uuid, "Minsk, all")
    saved_searches.remove_search(catalogue, "anna", uuid)  # an admin may
    assert saved_searches.list_searches(catalogue) == []
    assert sql_rows(catalogue, "SELECT name, deleted FROM savedsearch") in (
        [("Minsk, all", 1)], [("Minsk, all", True)])  # fmt: skip
    assert _audit(catalogue, uuid) == ["search.save", "search.rename", "search.remove"]
    # The name is free again once removed.
    saved_searches.save_search(catalogue, "vera", "Minsk, all", "place:minsk")


def test_only_the_author_or_an_admin_changes_one(catalogue: Catalogue) -> None:
    uuid = saved_searches.save_search(catalogue, "olga", "Mine", "tag:detention").uuid
    with pytest.raises(PermissionDenied, match="olga"):
        saved_searches.remove_search(catalogue, "viktor", uuid)
    with pytest.raises(NotFoundError):
        saved_searches.rename_search(catalogue, "olga", "no-such-uuid", "x")


BAD = [
    ("", "συλληψη", EventFilter(), "name"),
    ("x" * 81, "συλληψη", EventFilter(), "80"),
    ("Broken", '"unclosed', EventFilter(), "quotation"),
    ("Unknown tag", "a", EventFilter(tags=("no_such_tag",)), "no_such_tag"),
    ("Deep", "(" * 40 + "a" + ")" * 40, EventFilter(), "deep"),
]


@pytest.mark.parametrize(("name", "query", "filters", "said"), BAD)
def test_bad_input_is_refused_and_nothing_is_written(
    catalogue: Catalogue, name: str, query: str, filters: EventFilter, said: str
) -> None:
    before = len(_audit(catalogue))
    with pytest.raises(ValidationError) as caught:
        saved_searches.save_search(catalogue, "olga", name, query, filters)
    assert said in caught.value.message
    assert saved_searches.list_searches(catalogue) == []
    assert len(_audit(catalogue)) == before


def test_two_searches_cannot_share_a_name(catalogue: Catalogue) -> None:
    saved_searches.save_search(catalogue, "olga", "Minsk", "place:minsk")
    with pytest.raises(ValidationError, match="already"):
        saved_searches.save_search(catalogue, "vera", "Minsk", "place:grodno")
