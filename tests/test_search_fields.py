"""The index's own field types (belarchive/search/fields.py) give Whoosh's postings: for
each field of real events, and as whole index files against the same schema built of
Whoosh's own field types."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest
from whoosh import fields, index

from belarchive.search import documents
from belarchive.search.analysis import BelarchiveAnalyzer
from belarchive.search.fields import CountedKeyword, PreAnalysedText
from belarchive.search.schema import build_schema

CHRONICLES = Path(__file__).parent / "fixtures" / "chronicles"
TEXTS = {"el": "el-chronicle-2020-08.txt", "ru": "ru-digest-2020-11.md", "be": "be-2020.md",
         "en": "en-2020.md"}  # fmt: skip


def _events() -> list[documents.EventDoc]:
    rng = random.Random(7)
    events = []
    for language, name in TEXTS.items():
        lines = [ln for ln in (CHRONICLES / name).read_text(encoding="utf-8").splitlines() if ln]
        for n in range(0, len(lines) - 3, 3):
            events.append(documents.EventDoc(
                id=len(events) + 1, uuid=f"{language}-{n}", title=lines[n][:80],
                description=" ".join(lines[n : n + 3]), language=language,
                date_edtf="2020-11-08", earliest=date(2020, 11, 8), latest=date(2020, 11, 9),
                status=rng.choice(["draft", "verified"]), tags=rng.sample(["arrest", "protest"], 1),
                places=[("minsk", {"en": ["Minsk"], "ru": ["Минск"], "el": ["Μινσκ"]})],
                actors=[("Светлана Тихановская", ["Sviatlana Tsikhanouskaya"])],
                citations=[("Вясна", lines[n + 1][:120])],
                annotations=[("Проверено", lines[n + 2][:60])],
            ))  # fmt: skip
    return events


def _whoosh_schema() -> fields.Schema:
    """build_schema's fields as Whoosh's own types."""
    ours = build_schema()
    plain = {}
    for name, field in ours.items():
        if isinstance(field, PreAnalysedText):
            plain[name] = fields.TEXT(analyzer=field.analyzer, phrase=True)
        elif isinstance(field, CountedKeyword):
            analyzer = field.analyzer if isinstance(field.analyzer, BelarchiveAnalyzer) else None
            plain[name] = fields.KEYWORD(analyzer=analyzer, scorable=field.scorable)
        else:
            plain[name] = field
    return fields.Schema(**plain)


def test_each_field_indexes_as_whoosh_does() -> None:
    events = _events()
    schema, plain = build_schema(), _whoosh_schema()
    fast = [name for name, f in schema.items() if isinstance(f, PreAnalysedText | CountedKeyword)]
    assert len(events) > 40 and len(fast) == 9
    compared = 0
    for event in events:
        for name, value in documents.build_fields(event).items():
            if name in fast and value:
                ours = sorted(schema[name].index(value))
                assert ours == sorted(plain[name].index(value)), (event.uuid, name)
                compared += len(ours)
    assert compared > 5_000


@pytest.mark.parametrize("value", [["a", "b"], "plain words, not pre-analysed"])
def test_values_not_made_by_build_fields_go_through_whoosh(value: object) -> None:
    body = build_schema()["body"]
    assert sorted(body.index(value)) == sorted(fields.FieldType.index(body, value))


def _postings_files(schema: fields.Schema, folder: Path) -> list[bytes]:
    folder.mkdir()
    ix = index.create_in(str(folder), schema)
    writer = ix.writer(compound=False)
    for event in _events():
        writer.add_document(**documents.build_fields(event))
    writer.commit()
    ix.close()
    return sorted(p.read_bytes() for p in folder.iterdir() if p.suffix in (".pst", ".trm"))


def test_the_index_files_are_those_of_whoosh_fields(tmp_path: Path) -> None:
    ours = _postings_files(build_schema(), tmp_path / "ours")
    theirs = _postings_files(_whoosh_schema(), tmp_path / "theirs")
    assert len(ours) == 2 and ours == theirs
