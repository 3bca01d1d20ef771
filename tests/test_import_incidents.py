"""Chronicles become incidents a lawyer can count: sources per item, one incident across
sources, running totals that never enter a total, re-encoded copies that add nothing."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from support import PASSPHRASE

from belarchive.errors import ImportError_
from belarchive.exporting.json_io import export_json
from belarchive.exporting.pdf.data import load_details
from belarchive.exporting.pdf.totals import incident_figure, summarise
from belarchive.importing.json_io import import_json
from belarchive.services import maintenance, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.importing import commit_chronicle, preview_chronicle
from belarchive.storage import queries
from belarchive.storage.detail import load_event_detail

CHRONICLES = Path(__file__).parent / "fixtures" / "chronicles"
DIGEST = CHRONICLES / "ru-digest-2020-11.md"
DAILY = CHRONICLES / "en-daily-2020-11.md"


def _counts(cat: Catalogue) -> tuple[int, ...]:
    with cat.reader.connect() as c:
        return tuple(
            int(c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() or 0)
            for t in ("event", "citation", "figure", "source", "auditentry")
        )


def _import(cat: Catalogue, path: Path, **kw: object) -> object:
    return commit_chronicle(cat, "olga", preview_chronicle(cat, path), **kw)  # type: ignore[arg-type]


def _all_details(cat: Catalogue) -> list:
    with cat.session() as s, cat.reader.connect() as c:
        uuids = [r[0] for r in c.exec_driver_sql("SELECT uuid FROM event WHERE deleted = 0")]
        return list(load_details(s, uuids))


def test_each_item_cites_its_own_source_once_per_address(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    text = (
        "## 8 ноября 2020\n\n"
        "- В Минске задержаны 300 человек ([Вясна](https://spring96.org/ru/news/1)).\n"
        "- В Гродно задержаны 20 человек ([Вясна](https://spring96.org/ru/news/1)).\n"
        "- В Бресте задержаны 5 человек. https://zerkalo.io/news/7\n"
    )
    path = tmp_path / "digest.md"
    path.write_text(text, encoding="utf-8")
    result = _import(catalogue, path)
    with catalogue.reader.connect() as c:
        urls = [
            r[0] for r in c.exec_driver_sql("SELECT url FROM source WHERE url != '' ORDER BY url")
        ]
    assert urls == ["https://spring96.org/ru/news/1", "https://zerkalo.io/news/7"]
    with catalogue.session() as s:
        minsk = load_event_detail(s, result.event_uuids[0])  # type: ignore[attr-defined]
    by_publisher = {c.source.publisher or c.source.kind: c for c in minsk.citations}
    assert {"Вясна", "chronicle"} <= set(by_publisher)
    assert by_publisher["chronicle"].locator == "line 3"
    (figure,) = minsk.figures
    cited = {c.uuid: c for c in minsk.citations}[figure.citation_uuid]
    assert cited.source.url == "https://spring96.org/ru/news/1"  # the figure keeps its source
    assert "300" in cited.quote


def test_a_resaved_or_reencoded_copy_adds_nothing_and_names_the_import(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _import(catalogue, DIGEST)
    before = _counts(catalogue)
    text = DIGEST.read_text(encoding="utf-8")
    for name, data in (
        ("resaved.md", (text.replace("\n", "\r\n") + "\n\n").encode("utf-8")),
        ("cp1251.txt", text.encode("cp1251")),
    ):
        copy = tmp_path / name
        copy.write_bytes(data)
        preview = preview_chronicle(catalogue, copy)
        assert preview.already_imported and DIGEST.name in preview.previous_import
        result = commit_chronicle(catalogue, "olga", preview)
        assert result.skipped_duplicate and DIGEST.name in result.warnings[0]
    assert _counts(catalogue) == before


def test_matches_need_a_decision_and_nothing_is_written_without_one(catalogue: Catalogue) -> None:
    _import(catalogue, DIGEST)
    before = _counts(catalogue)
    preview = preview_chronicle(catalogue, DAILY)
    assert preview.matches  # the march of 8 November is in both chronicles
    with pytest.raises(ImportError_, match="--on-duplicate"):
        commit_chronicle(catalogue, "olga", preview)
    assert _counts(catalogue) == before
    skipped = commit_chronicle(catalogue, "olga", preview, on_duplicate="skip")
    assert skipped.skipped == len(preview.matches) and not skipped.linked


def test_one_incident_two_sources_both_figures_side_by_side(catalogue: Catalogue) -> None:
    _import(catalogue, DIGEST)
    preview = preview_chronicle(catalogue, DAILY)
    march = next(p for p in preview.events if p.title.startswith("Sunday's March Against Terror"))
    (match,) = preview.matches[march.index][:1]
    result = commit_chronicle(catalogue, "olga", preview, on_duplicate="link")
    assert match.key in result.linked
    with catalogue.session() as s:
        d = load_event_detail(s, match.key)
    publishers = {c.source.publisher for c in d.citations}
    assert {"Вясна", "Viasna"} <= publishers
    detained = d.figures_of("detained")
    sources_of = {c.uuid: c.source.url for c in d.citations}
    assert {sources_of[f.citation_uuid] for f in detained if f.value_min == 1000} == {
        "https://spring96.org/ru/news/100150",
        "https://spring96.org/en/news/100150",
    }
    # Both reports stay; the incident still counts once, by the printed rule.
    counted = incident_figure(d, "detained")
    assert counted is not None and counted.value == 1000
    assert maintenance.check(catalogue).ok


def test_linking_to_a_verified_incident_sends_it_back_to_review(catalogue: Catalogue) -> None:
    first = _import(catalogue, DIGEST)
    with catalogue.session() as s:
        march = next(
            u
            for u in first.event_uuids  # type: ignore[attr-defined]
            if load_event_detail(s, u).title == "Марш против террора"
        )
    verification.set_status(catalogue, "olga", march, "in_review")
    verification.set_status(catalogue, "viktor", march, "verified")
    commit_chronicle(catalogue, "anna", preview_chronicle(catalogue, DAILY), on_duplicate="link")
    with catalogue.session() as s:
        d = load_event_detail(s, march)
    assert d.status == "in_review" and d.substance_by == "anna"


def test_running_totals_never_enter_totals_listings_or_the_timeline(catalogue: Catalogue) -> None:
    _import(catalogue, DIGEST)
    details = _all_details(catalogue)
    summary = summarise(details)
    # The totals are the sum, one figure per incident, of figures of incidents themselves.
    expected = 0
    for d in details:
        counted = [f for f in d.figures_of("detained") if f.counted and f.qualifier != "up_to"]
        expected += max((f.value_min for f in counted), default=0)
    assert summary.totals["detained"].people == expected
    running = [f.value_min for _, f in summary.running_totals]
    assert 25000 in running and 25800 in running
    assert expected < 25000  # the running totals of this chronicle are not in the total
    with catalogue.reader.connect() as conn:
        buckets = queries.timeline(conn, queries.EventFilter(), "day")
    assert sum(b.detained for b in buckets) == expected
    by_day: dict[str, int] = defaultdict(int)
    with catalogue.reader.connect() as conn:
        for row in queries.list_events(conn, queries.EventFilter(), limit=1000):
            by_day[str(row.date_edtf)] += row.detained or 0
    assert sum(by_day.values()) == expected


def test_figure_scopes_survive_a_json_round_trip(catalogue: Catalogue, tmp_path: Path) -> None:
    _import(catalogue, DIGEST)
    export_json(catalogue, tmp_path / "out.json")
    other = Catalogue.create(tmp_path / "Other.belarchive", admin="bob", passphrase=PASSPHRASE)
    import_json(other, "bob", tmp_path / "out.json")
    export_json(other, tmp_path / "again.json")

    def figures(path: Path) -> list[tuple]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return sorted(
            (f["uuid"], f["value_min"], f["scope"], f["period"], f["part_of"])
            for e in doc["events"]
            for f in e["figures"]
        )

    first, again = figures(tmp_path / "out.json"), figures(tmp_path / "again.json")
    assert first == again and {f[2] for f in first} == {"incident", "period"}
    assert any(f[4] for f in first)  # "из них 20 журналистов" is part of the 1,000
    other.close()


def test_a_file_pasted_twice_imports_each_incident_once(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    text = DIGEST.read_text(encoding="utf-8")
    twice = tmp_path / "twice.md"
    twice.write_text(text + "\n" + text, encoding="utf-8")
    preview = preview_chronicle(catalogue, twice)
    assert any("repeats itself" in w for w in preview.report.warnings)
    repeats = [p for p in preview.events if p.duplicate_of is not None]
    assert repeats
    result = commit_chronicle(catalogue, "olga", preview, on_duplicate="link")
    originals = len(preview.events) - len(repeats)
    assert len(result.event_uuids) == originals  # type: ignore[attr-defined]
    assert maintenance.check(catalogue).ok


def test_a_source_named_without_address_is_cited_again_not_created_again(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    for n, day in enumerate(("8", "9")):
        path = tmp_path / f"d{n}.md"
        path.write_text(
            f"## {day} ноября 2020\n\n- В Минске задержаны {n + 3} человека.\n  Источник: Весна\n",
            encoding="utf-8",
        )
        _import(catalogue, path, on_duplicate="new")  # a day apart: proposed as a match
    with catalogue.reader.connect() as c:
        named = c.exec_driver_sql(
            "SELECT count(*), count(DISTINCT ci.event_id) FROM source s "
            "JOIN citation ci ON ci.source_id = s.id WHERE s.publisher = 'Весна' AND s.url = ''"
        ).one()
        sources = c.exec_driver_sql("SELECT count(*) FROM source WHERE publisher = 'Весна'")
        assert sources.scalar() == 1 and named[1] == 2


def test_a_json_figure_cannot_be_part_of_a_figure_of_another_event(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _import(catalogue, DIGEST)
    export_json(catalogue, tmp_path / "out.json")
    doc = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    with_part = next(e for e in doc["events"] if any(f["part_of"] for f in e["figures"]))
    other = next(e for e in doc["events"] if e is not with_part and e["figures"])
    part = next(f for f in with_part["figures"] if f["part_of"])
    part["part_of"] = other["figures"][0]["uuid"]
    (tmp_path / "forged.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    fresh = Catalogue.create(tmp_path / "Fresh.belarchive", admin="bob", passphrase=PASSPHRASE)
    with pytest.raises(ImportError_, match="is not another figure of this event"):
        import_json(fresh, "bob", tmp_path / "forged.json")
    with fresh.reader.connect() as c:
        assert c.exec_driver_sql("SELECT count(*) FROM event").scalar() == 0
    fresh.close()


def test_the_latest_running_total_is_found_for_the_timeline_and_never_summed(
    catalogue: Catalogue,
) -> None:
    _import(catalogue, DIGEST)
    with catalogue.reader.connect() as conn:
        latest = queries.latest_running_total(conn, queries.EventFilter())
        november = queries.EventFilter(date_from=date(2020, 11, 1), date_to=date(2020, 11, 2))
        early = queries.latest_running_total(conn, november)
    # Country-wide first: Gomel's own total (23 Nov) and weekly counts are not "the" total.
    assert latest is not None and (latest.value, latest.reported) == (25800, date(2020, 11, 3))
    assert early is not None and (early.value, early.qualifier) == (25000, "more_than")


def test_a_months_own_count_is_not_taken_for_a_running_total(catalogue: Catalogue) -> None:
    # en-daily ends with "Over the month, at least 4,000 people were detained": that is
    # November's count, a period figure, but not a total "since the start".
    _import(catalogue, DAILY)
    with catalogue.reader.connect() as conn:
        periods = conn.execute(
            text("SELECT value_min, period_edtf FROM figure WHERE scope = 'period'")
        ).all()
        latest = queries.latest_running_total(conn, queries.EventFilter())
    assert (4000, "2020-11-01/2020-11-30") in [tuple(p) for p in periods]
    assert latest is None or latest.value != 4000
