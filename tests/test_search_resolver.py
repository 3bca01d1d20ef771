"""The vocabulary behind tag, place and concept words: parsed once per content, not once
per catalogue version (most versions are event edits), and a vocabulary change is seen."""

from __future__ import annotations

from belarchive.search.resolver import DbResolver
from belarchive.services import vocabulary_edits
from belarchive.services.catalogue import Catalogue


def test_an_event_edit_keeps_the_parsed_vocabulary_and_a_new_tag_or_place_is_seen(
    catalogue: Catalogue,
) -> None:
    engine = catalogue.reader
    before = DbResolver(engine, 1)._tables()
    assert DbResolver(engine, 2)._tables() is before  # a newer version, the same rows
    tag = vocabulary_edits.new_tag(catalogue, "olga", "Голодовка", "ru")
    resolver = DbResolver(engine, 3)
    assert resolver._tables() is not before
    assert resolver.tag_keys("Голодовка") == [tag.uuid]
    assert resolver.concept_tag_keys("голодовки") == [tag.uuid]  # another form of its label
    place = vocabulary_edits.new_place(catalogue, "olga", "Малиновка", "ru")
    assert DbResolver(engine, 3).place_keys("Малиновка", True) == []  # version 3 is kept
    assert DbResolver(engine, 4).place_keys("Малиновка", True) == [place.uuid]
    assert DbResolver(engine, 4).place_keys("Malinovka", True) == [place.uuid]  # any script
