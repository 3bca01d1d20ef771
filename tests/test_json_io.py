"""belarchive-json: export → import into an empty catalogue → export gives the same file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from support import PASSPHRASE

from belarchive.errors import ImportError_
from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import JsonConflictError, import_json
from belarchive.services import events, sources, users, verification
from belarchive.services.audit import verify_chain
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import ActorInput, EventInput, EventPatch, FigureInput, SourceInput
from belarchive.services.uow import UnitOfWork
from belarchive.services.vocabulary import add_place, add_tag


def _vocabulary(uow: UnitOfWork) -> None:
    add_tag(uow, "okrestina_case", {"en": "Okrestina case", "ru": "Дело Окрестина"}, "detention")
    add_place(
        uow,
        "novaya_borovaya",
        {"ru": ["Новая Боровая"], "el": ["Νόβαγια Μπαρόβαγια"]},
        kind="district",
        lat=53.95,
        lon=27.65,
    )


@pytest.fixture(scope="module")
def source_cat(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """A small catalogue with every kind of record and history the format carries."""
    cat = Catalogue.create(
        tmp_path_factory.mktemp("a") / "A.belarchive", admin="anna", passphrase=PASSPHRASE
    )
    users.add_user(cat, "anna", "boris", "reviewer", PASSPHRASE)
    cat.sign_in("boris", PASSPHRASE)
    with cat.write("anna") as uow:
        _vocabulary(uow)
    src = sources.add_source(
        cat,
        "anna",
        SourceInput(
            title="Вясна: задержания 15 ноября",
            kind="ngo_report",
            url="https://spring96.org/x",
            published="2020-11-16",
            accessed="2020-11-17",
            language="ru",
            reliability="b",
        ),
    ).uuid
    copy = tmp_path_factory.mktemp("files") / "report.html"
    copy.write_text("<p>Задержано не менее 1000 человек</p>", encoding="utf-8")
    sources.attach_file(cat, "anna", src, copy)
    main = events.create_event(
        cat,
        "anna",
        EventInput(
            title="Πορεία στο Μινσκ: «Δεν ξεχνάμε»",
            date="2020-11-15",
            language="el",
            description='Συλλήψεις σε όλη την πόλη;\n"quoted", =SUM(A1)',
            tags=("detention", "okrestina_case"),
            places=("Μινσκ", "novaya_borovaya"),
            actors=(
                ActorInput("Λουκασένκο", "perpetrator"),
                ActorInput("Вясна", "speaker", "organisation"),
            ),
            figures=(FigureInput("detained", 1000, qualifier="at_least"),),
        ),
    ).uuid
    cit = sources.cite(
        cat, "anna", main, src, locator="§2", quote="не менее 1000", credibility=2
    ).uuid
    detail = events.event_detail(cat, main)
    events.update_event(
        cat,
        "anna",
        main,
        detail["version"],
        EventPatch(
            figures=(
                FigureInput("detained", 1000, qualifier="at_least", citation=cit),
                FigureInput("detained", 581, citation=cit, note="ministry"),
                FigureInput("participants", 10000, 20000, "approximately"),
            )
        ),
    )
    events.annotate(cat, "boris", main, "Cross-check with Viasna list", passage="не менее")
    verification.set_status(cat, "anna", main, "in_review")
    verification.set_status(cat, "boris", main, "verified", note="two sources agree")
    dup = events.create_event(
        cat, "anna", EventInput(title="Duplicate of the march", date="2020-11")
    ).uuid
    events.merge_events(cat, "anna", main, dup)
    gone = events.create_event(cat, "anna", EventInput(title="Withdrawn", date="2020-10~")).uuid
    events.delete_event(cat, "anna", gone, 1, "wrong date")
    events.create_event(cat, "anna", EventInput(title="Undated background", date=None))
    return cat


def _export(cat: Catalogue, path: Path, **kw: Any) -> bytes:
    export_json(cat, path, **kw)
    return path.read_bytes()


def _without_header(data: bytes) -> bytes:
    return b"\n".join(line for line in data.split(b"\n") if not line.startswith(b'"header":'))


def _chain_ok(cat: Catalogue) -> bool:
    conn = sqlite3.connect(cat.db_path)
    try:
        return verify_chain(conn).ok
    finally:
        conn.close()


def _state(cat: Catalogue) -> tuple[Any, ...]:
    conn = sqlite3.connect(cat.db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in (
                "event",
                "source",
                "citation",
                "figure",
                "auditentry",
                "importedhistory",
                "user",
                "actor",
            )
        )
    finally:
        conn.close()


@pytest.fixture(scope="module")
def exported(source_cat: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("x") / "all.json"
    _export(source_cat, path, with_files=True)
    return path


def test_round_trip_gives_the_same_file(exported: Path, tmp_path: Path) -> None:
    target = Catalogue.create(tmp_path / "B.belarchive", admin="importer", passphrase=PASSPHRASE)
    result = import_json(target, "importer", exported)
    assert result.created["events"] == 4 and result.files_restored == 1
    again = _export(target, tmp_path / "again.json", with_files=True)
    assert _without_header(again) == _without_header(exported.read_bytes())
    assert _chain_ok(target)
    # And on to a third archive: the history keeps naming the catalogue that wrote it.
    third = Catalogue.create(tmp_path / "C.belarchive", admin="third", passphrase=PASSPHRASE)
    import_json(third, "third", tmp_path / "again.json")
    once_more = _export(third, tmp_path / "third.json", with_files=True)
    assert _without_header(once_more) == _without_header(exported.read_bytes())
    origins = {h["catalogue"] for h in json.loads(once_more)["history"]}
    assert origins == {json.loads(exported.read_bytes())["header"]["catalogue_id"]}


def test_the_file_carries_everything(exported: Path) -> None:
    doc = json.loads(exported.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("belarchive-json", 2)
    main = next(e for e in doc["events"] if e["figures"])
    assert main["title"] == "Πορεία στο Μινσκ: «Δεν ξεχνάμε»"
    assert [f["citation"] for f in main["figures"]][:2] == [main["citations"][0]["uuid"]] * 2
    # The merge edited the verified event, which sent it back to review (with history).
    assert [v["to_status"] for v in main["verification"]] == ["in_review", "verified", "in_review"]
    assert main["annotations"][0]["author"] == "boris"
    assert {e["merged_into"] for e in doc["events"]} == {None, main["uuid"]}
    assert sum(e["deleted"] for e in doc["events"]) == 2
    assert doc["sources"][0]["attachments"][0]["content_base64"]
    assert {u["name"] for u in doc["users"]} == {"anna", "boris"}
    assert "okrestina_case" in {t["key"] for t in doc["tags"]}
    actions = {h["action"] for h in doc["history"]}
    assert {"event.create", "event.status", "event.merge", "citation.add"} <= actions


def test_import_keeps_history_apart_and_audits_each_record(exported: Path, tmp_path: Path) -> None:
    target = Catalogue.create(tmp_path / "B.belarchive", admin="importer", passphrase=PASSPHRASE)
    import_json(target, "importer", exported)
    conn = sqlite3.connect(target.db_path)
    imported = conn.execute("SELECT count(*) FROM importedhistory").fetchone()[0]
    own = dict(
        conn.execute(
            "SELECT entity_type, count(*) FROM auditentry WHERE "
            "action='import.json' GROUP BY entity_type"
        ).fetchall()
    )
    active = dict(conn.execute("SELECT name, active FROM user").fetchall())
    conn.close()
    assert imported == len(json.loads(exported.read_text(encoding="utf-8"))["history"])
    assert own == {"event": 4, "source": 1, "actor": 2, "user": 2, "import": 1}
    assert active == {"importer": 1, "anna": 0, "boris": 0}  # imported accounts are inactive


def test_selection_export_and_identical_reimport_is_skipped(
    source_cat: Catalogue, tmp_path: Path
) -> None:
    with source_cat.session() as s:
        from belarchive.storage.queries import EventFilter, filtered_uuids

        chosen = filtered_uuids(s.connection(), EventFilter(statuses=("in_review",)))
    path = tmp_path / "one.json"
    export_json(source_cat, path, uuids=chosen)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert len(doc["events"]) == 1 and len(doc["sources"]) == 1
    before = _state(source_cat)
    result = import_json(source_cat, "anna", path)  # into the catalogue it came from
    assert result.created["events"] == 0 and result.skipped["events"] == 1
    assert _state(source_cat)[:4] == before[:4] and _chain_ok(source_cat)


def test_conflicting_reimport_is_refused_and_changes_nothing(
    exported: Path, tmp_path: Path
) -> None:
    target = Catalogue.create(tmp_path / "B.belarchive", admin="importer", passphrase=PASSPHRASE)
    import_json(target, "importer", exported)
    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["events"][0]["title"] = "Changed elsewhere"
    doc["sources"][0]["reliability"] = "E"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = _state(target)
    with pytest.raises(JsonConflictError) as info:
        import_json(target, "importer", changed)
    assert len(info.value.conflicts) == 2 and "title" in info.value.message
    assert _state(target) == before and _chain_ok(target)


@pytest.fixture(scope="module")
def untouched(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    """One empty catalogue for every refusal test: each checks it stays unchanged."""
    return Catalogue.create(
        tmp_path_factory.mktemp("u") / "U.belarchive", admin="importer", passphrase=PASSPHRASE
    )


def _broken(exported: Path, tmp_path: Path, change: Any) -> Path:
    doc = json.loads(exported.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _set(path: str, value: Any) -> Any:
    def change(doc: Any) -> None:
        *parents, last = path.split(".")
        node = doc
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        if value is KeyError:
            del node[last]
        else:
            node[int(last) if last.isdigit() else last] = value

    return change


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_set("format", "other"), "not a belarchive-json"),
        (_set("version", 3), "newer belarchive"),
        (_set("events.0.title", KeyError), "'title' is missing"),
        (_set("events.0.version", "3"), "expected a whole number"),
        (_set("events.0.date_edtf", "2020-02-31"), "not a real date"),
        (_set("events.0.figures.0.value_max", 5), "minimum above its maximum"),
        (_set("events.0.status", "approved"), "not one of"),
        (_set("events.0.created_at", "yesterday"), "not a date and time"),
        (_set("events.0.tags", ["no_such_tag"]), "neither in the file"),
        (_set("history.0.user", "mallory"), "altered"),
        (_set("sources.0.attachments.0.content_base64", "aGVsbG8="), "does not match"),
        (_set("users", {}), "expected a list"),
        # Version 2: signatures travel with the history and are checked on arrival.
        (_set("history.0.signature", "00" * 64), "forged or signed by someone else"),
        (_set("header.public_keys", []), "whose key the file does not carry"),
        (_set("header.public_keys.0.public_key", "not hex"), "not an Ed25519 public key"),
    ],
)
def test_bad_documents_are_refused_with_the_catalogue_unchanged(
    exported: Path, untouched: Catalogue, tmp_path: Path, change: Any, words: str
) -> None:
    target = untouched
    before = _state(target)

    # The main event is the one with figures: put it first for the figure/date cases.
    def first_with_figures(doc: Any) -> None:
        doc["events"].sort(key=lambda e: not e["figures"])
        change(doc)

    with pytest.raises(ImportError_) as info:
        import_json(target, "importer", _broken(exported, tmp_path, first_with_figures))
    assert words in info.value.message
    assert _state(target) == before and _chain_ok(target)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "is empty"),
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00binary\x00", "not UTF-8"),
        (b"[1, 2]", "expected an object"),
    ],
)
def test_files_that_are_not_belarchive_json(
    untouched: Catalogue, tmp_path: Path, content: bytes, words: str
) -> None:
    target = untouched
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(ImportError_, match=words):
        import_json(target, "importer", path)


def test_oversized_file_is_refused_before_reading(untouched: Catalogue, tmp_path: Path) -> None:
    target = untouched
    path = tmp_path / "huge.json"
    with path.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    with pytest.raises(ImportError_, match="too large"):
        import_json(target, "importer", path)


def test_command_line_export_and_import(
    source_cat: Catalogue, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from belarchive.cli import main

    out = tmp_path / "sel.json"
    argv = [
        "export",
        "json",
        "-C",
        str(source_cat.path),
        "-o",
        str(out),
        "--from",
        "2020-11",
        "--to",
        "2020-11",
        "--tag",
        "Σύλληψη",
        "--with-files",
    ]
    assert main(argv) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["events"]) == 1
    target = Catalogue.create(tmp_path / "B.belarchive", admin="importer", passphrase=PASSPHRASE)
    assert main(["import", "json", "-C", str(target.path), "-u", "importer", str(out)]) == 0
    assert "1 events" in capsys.readouterr().out
    assert main(["import", "json", "-C", str(target.path), "-u", "importer", str(out)]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert main(["export", "json", "-C", str(target.path), "-o", str(out), "--status", "x"]) == 1
