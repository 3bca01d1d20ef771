"""CSV out (spreadsheet-safe) and in (mapping, bad rows by number, one transaction)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import PASSPHRASE

from belarchive.errors import Cancelled, ImportError_, ValidationError
from belarchive.exporting.csv_io import COLUMNS, export_csv, neutralise, unneutralise
from belarchive.importing.csv_io import import_csv, preview_csv
from belarchive.importing.csv_values import parse_date_cell, parse_figure_cell
from belarchive.services import events, sources
from belarchive.services.audit import verify_chain
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, FigureInput, SourceInput

HOSTILE = '=HYPERLINK("http://evil","x")'


@pytest.fixture()
def cat(tmp_path: Path) -> Catalogue:
    return Catalogue.create(tmp_path / "c.belarchive", admin="anna", passphrase=PASSPHRASE)


def _count(cat: Catalogue) -> tuple[int, int]:
    conn = sqlite3.connect(cat.db_path)
    try:
        n = conn.execute("SELECT count(*) FROM event").fetchone()[0]
        return n, int(verify_chain(conn).ok)
    finally:
        conn.close()


def _read(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def _fill(cat: Catalogue) -> str:
    src = sources.add_source(cat, "anna", SourceInput(title="Вясна", url="https://x.org")).uuid
    uuid = events.create_event(
        cat,
        "anna",
        EventInput(
            title='Πορεία, «Μινσκ»; "quoted"',
            date="2020-11-15",
            language="el",
            description=f"{HOSTILE}\nline two, with comma",
            tags=("detention", "protest"),
            places=("Минск",),
            actors=(ActorInput("Λουκασένκο", "perpetrator"),),
            figures=(
                FigureInput("detained", 1000, qualifier="at_least"),
                FigureInput("detained", 581),
                FigureInput("participants", 10000, 20000, "approximately"),
            ),
        ),
    ).uuid
    sources.cite(cat, "anna", uuid, src)
    events.create_event(cat, "anna", EventInput(title="-5 degrees; @night", date="2020-10~"))
    return uuid


def test_export_opens_with_the_csv_module_and_neutralises_formulas(
    cat: Catalogue, tmp_path: Path
) -> None:
    uuid = _fill(cat)
    path = tmp_path / "out.csv"
    assert export_csv(cat, path) == 2
    raw = path.read_bytes()
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")
    rows = _read(path)
    assert tuple(rows[0]) == COLUMNS
    main = next(r for r in rows if r["uuid"] == uuid)
    assert main["detained"] == "1000" and main["detained_qualifier"] == "at_least"
    assert main["participants"] == "10000–20000"
    assert main["tags"] == "detention; protest" and main["places"] == "Minsk"
    assert main["actors"] == "Λουκασένκο (perpetrator)" and main["sources"] == "1"
    assert main["description"].startswith("'" + HOSTILE + "\n")
    other = next(r for r in rows if r["uuid"] != uuid)
    assert other["title"] == "'-5 degrees; @night" and other["date_earliest"] == "2020-10-01"


def test_bom_option_for_excel(cat: Catalogue, tmp_path: Path) -> None:
    _fill(cat)
    path = tmp_path / "excel.csv"
    export_csv(cat, path, bom=True)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _read(path, "utf-8-sig")[0]["title"]


def test_export_then_import_round_trips_values(cat: Catalogue, tmp_path: Path) -> None:
    uuid = _fill(cat)
    path = tmp_path / "out.csv"
    export_csv(cat, path)
    target = Catalogue.create(tmp_path / "t.belarchive", admin="anna", passphrase=PASSPHRASE)
    result = import_csv(target, "anna", path)
    assert result.bad_rows == [] and len(result.created) == 2
    again = tmp_path / "again.csv"
    export_csv(target, again)
    strip = {"sources"}  # citations do not travel in CSV
    first = [{k: v for k, v in r.items() if k not in strip} for r in _read(path)]
    second = [{k: v for k, v in r.items() if k not in strip} for r in _read(again)]
    assert first == second and any(r["uuid"] == uuid for r in second)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_mapping_bad_rows_by_number_and_good_rows_in(cat: Catalogue, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "in.csv",
        (
            "Headline,When,Arrests,Where,Kind\n"
            "March in Minsk,15.11.2020,≥340,Минск,detention\n"
            ",16.11.2020,5,,\n"  # row 3: no title
            "Rally,31.02.2020,1,,\n"  # row 4: no such day
            "Picket,2020-11-17,lots,,\n"  # row 5: not a figure
            "Chain,17/11/2020,200–300,Atlantis,\n"  # row 6: unknown place
            "Strike,2020-11,,,Σύλληψη\n"  # row 7: a tag by its Greek label
        ),
    )
    mapping = {
        "title": "Headline",
        "date": "When",
        "detained": "Arrests",
        "places": "Where",
        "tags": "Kind",
    }
    preview = preview_csv(path, mapping)
    assert [r.number for r in preview.good] == [2, 6, 7]  # places are checked on import
    result = import_csv(cat, "anna", path, mapping)
    assert [n for n, _ in result.bad_rows] == [3, 4, 5, 6]
    reasons = dict(result.bad_rows)
    assert "title" in reasons[3] and "real date" in reasons[4]
    assert "figure" in reasons[5] and "Atlantis" in reasons[6]
    assert len(result.created) == 2
    first = events.event_detail(cat, result.created[0])
    assert first["figures"][0]["qualifier"] == "at_least" and first["places"] == ["minsk"]
    assert events.event_detail(cat, result.created[1])["tags"] == ["detention"]
    assert _count(cat) == (2, 1)


def test_default_mapping_knows_russian_and_greek_headers(tmp_path: Path) -> None:
    ru = _write(tmp_path / "ru.csv", "Название;Дата;Задержано\nМарш;15.11.2020;1 000\n", "cp1251")
    row = preview_csv(ru).good[0].event
    assert row is not None and row.figures[0].value_min == 1000 and row.date == "2020-11-15"
    el = _write(tmp_path / "el.csv", "Τίτλος\tΗμερομηνία\tΣυλλήψεις\nΠορεία\t2020-11-15\t~50\n")
    row = preview_csv(el).good[0].event
    assert row is not None and row.figures[0].qualifier == "approximately"


@pytest.fixture(scope="module")
def untouched(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """One empty catalogue for every refusal test: each checks it stays empty."""
    return Catalogue.create(
        tmp_path_factory.mktemp("u") / "u.belarchive", admin="anna", passphrase=PASSPHRASE
    )


@pytest.mark.parametrize(
    ("content", "mapping", "words"),
    [
        (b"", None, "empty"),
        (b"Foo,Bar\n1,2\n", None, "No column for the event title"),
        (b"Title,Date,Date\nx,2020,2020\n", None, "more than once"),
        (b'Title,Date\n"open quote,2020\n', None, "never closed"),
        (b"Title\n", None, "no rows"),
        (b"PK\x03\x04\x00\x00binary\x00\x00", None, "not a CSV text file"),
        (b"Title\nx\n", {"title": "Headline"}, "does not have"),
        (b"Title\nx\n", {"heading": "Title"}, "not a field"),
    ],
)
def test_unusable_files_are_refused_with_a_message(
    untouched: Catalogue, tmp_path: Path, content: bytes, mapping: dict[str, str] | None, words: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ImportError_, match=words):
        import_csv(untouched, "anna", path, mapping)
    assert _count(untouched) == (0, 1)


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.csv", "Title\nx\n")
    with pytest.raises(ImportError_, match="encoding"):
        preview_csv(path, encoding="klingon-8")


def test_cancel_leaves_nothing_half_written(untouched: Catalogue, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "many.csv",
        "title,date\n" + "".join(f"Event {i},2020-11-{1 + i % 28:02d}\n" for i in range(1200)),
    )
    with pytest.raises(Cancelled):
        import_csv(untouched, "anna", path, cancel=lambda: True)
    assert _count(untouched) == (0, 1)


def test_cell_readers() -> None:
    assert parse_date_cell("15/11/2020") == parse_date_cell("2020-11-15 00:00:00") == "2020-11-15"
    assert parse_date_cell("11.2020") == "2020-11" and parse_date_cell("2020-09~") == "2020-09~"
    assert parse_figure_cell("1,200") == (1200, None, None)
    assert parse_figure_cell("> 5") == (5, None, "more_than")
    with pytest.raises(ValidationError, match="minimum above"):
        parse_figure_cell("300-200")


_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_TEXT, min_size=1, max_size=4), min_size=1, max_size=5))
def test_quoting_round_trips_any_text(rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[neutralise(c) for c in row] for row in rows])
    read = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""), strict=True))
    assert [[unneutralise(c) for c in row] for row in read] == rows
    assert not any(c.startswith(("=", "+", "-", "@")) for row in read for c in row)


def test_a_given_id_must_be_a_uuid_and_new(cat: Catalogue, tmp_path: Path) -> None:
    existing = events.create_event(cat, "anna", EventInput(title="Here already")).uuid
    path = _write(tmp_path / "ids.csv", f"title,uuid\nA,not-a-uuid\nB,{existing}\nC,\n")
    result = import_csv(cat, "anna", path)
    assert [n for n, _ in result.bad_rows] == [2, 3] and len(result.created) == 1
    assert "not an event id" in result.bad_rows[0][1] and "exists" in result.bad_rows[1][1]


def test_command_line_import_with_a_mapping(
    cat: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from belarchive.cli import main

    path = _write(tmp_path / "in.csv", "Headline,Arrests\nMarch,12\n,3\n")
    base = [
        "import",
        "csv",
        "-C",
        str(cat.path),
        "-u",
        "anna",
        str(path),
        "--map",
        "title=Headline",
        "--map",
        "detained=Arrests",
    ]
    assert main([*base, "--strict"]) == 1 and _count(cat) == (0, 1)
    assert main([*base, "--dry-run"]) == 0 and _count(cat) == (0, 1)
    assert main(base) == 3 and _count(cat) == (1, 1)  # 3: some rows were left out
    assert "row 3:" in capsys.readouterr().err
    out = tmp_path / "out.csv"
    assert main(["export", "csv", "-C", str(cat.path), "-o", str(out), "--bom"]) == 0
    assert _read(out, "utf-8-sig")[0]["detained"] == "12"
