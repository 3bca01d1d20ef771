"""Direct SQL edits of evidence are caught by `check`, naming the row and the audit entry.

Each tampering is what someone holding the database file (and an SQL editor) would do to a
catalogue built through the services: change a figure, a title, a quote, a decision, an
archived copy's recorded hash; add or remove a row. None of them touches the audit log, so
`audit verify` alone still says "intact"; `check` must not.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import PASSPHRASE
from test_dossier_fixtures import Sample, build_sample

from belarchive.cli import main as cli_main
from belarchive.config import sample_chronicle_path
from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import import_json
from belarchive.services import events, importing, maintenance
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventPatch, FigureInput
from belarchive.storage import migrations
from belarchive.storage.engine import raw_connect


@pytest.fixture()
def sample(tmp_path: Path) -> Iterator[Sample]:
    s = build_sample(tmp_path / "cat")
    yield s
    s.cat.close()


def _tamper(cat: Catalogue, sql: str, *params: object) -> None:
    conn = sqlite3.connect(cat.db_path)
    try:
        assert conn.execute(sql, params).rowcount >= 1, sql
        conn.commit()
    finally:
        conn.close()


def _messages(cat: Catalogue) -> list[str]:
    report = maintenance.check(cat)
    assert report.audit is not None and report.audit.ok  # the chain itself is untouched
    assert not report.ok
    return [p.message() for p in report.evidence_problems]


def _one(cat: Catalogue, sql: str) -> object:
    conn = raw_connect(cat.db_path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_a_catalogue_built_through_the_services_checks_clean(sample: Sample) -> None:
    report = maintenance.check(sample.cat)
    assert report.ok, [p.message() for p in report.evidence_problems]
    assert report.evidence_checked == 6  # four events, two sources


TAMPERINGS = [
    ("figure value", "UPDATE figure SET value_min = 3400 WHERE value_min = 340",
     "figure", "was changed outside belarchive"),
    ("event title", "UPDATE event SET title = 'Nothing happened' WHERE title LIKE 'Задержания%'",
     "event", "was changed outside belarchive"),
    ("citation quote", "UPDATE citation SET quote = 'задержаны 3 человека' "
     "WHERE quote LIKE 'задержаны 300%'", "citation", "was changed outside belarchive"),
    ("verification decision", "UPDATE verificationentry SET reviewer = 'anna' "
     "WHERE reviewer = 'rita'", "verification entry", "was changed outside belarchive"),
    ("status without a decision", "UPDATE event SET status = 'verified' "
     "WHERE status = 'unverified'", "event", "was changed outside belarchive"),
    ("attachment hash", "UPDATE attachment SET sha256 = 'ab' || substr(sha256, 3) "
     "WHERE original_name LIKE 'viasna%'", "attachment", "was changed outside belarchive"),
    ("annotation removed", "DELETE FROM annotation", "annotation",
     "was removed outside belarchive"),
    ("victim unlinked", "DELETE FROM eventactor WHERE role = 'victim'", "link to actor",
     "was removed outside belarchive"),
    ("figure added", "INSERT INTO figure (uuid, event_id, kind, value_min, qualifier, note, scope) "
     "SELECT 'forged-figure', id, 'killed', 5, 'exactly', '', 'incident' FROM event LIMIT 1",
     "figure", "was added outside belarchive"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "sql", "row", "problem"), TAMPERINGS, ids=[t[0] for t in TAMPERINGS]
)
def test_every_tampering_is_named(
    sample: Sample, what: str, sql: str, row: str, problem: str
) -> None:
    last_seq = _one(sample.cat, "SELECT max(seq) FROM auditentry")
    _tamper(sample.cat, sql)
    messages = _messages(sample.cat)
    assert any(m.startswith(f"The {row}") and problem in m for m in messages), messages
    # ... and says which audit entry last wrote it legitimately.
    assert all(
        "last written by audit entry" in m for m in messages if "added" not in m or row == "figure"
    )
    assert all(
        int(m.rsplit(" ", 1)[1].rstrip(").")) <= int(last_seq) for m in messages if "entry" in m
    )


def test_an_event_inserted_by_sql_is_not_in_the_audit(sample: Sample) -> None:
    _tamper(
        sample.cat,
        "INSERT INTO event (uuid, title, description, language, status, version, created_by, "
        "created_at, updated_by, updated_at, substance_by, deleted) VALUES ('forged-event', "
        "'Forged', '', 'en', 'verified', 1, 'rita', '2020-11-08', 'rita', '2020-11-08', "
        "'rita', 0)",
    )
    assert "The event forged-event is not in the audit log: it was added outside belarchive." in (
        _messages(sample.cat)
    )


def test_the_cli_check_names_it_and_exits_non_zero(
    sample: Sample, capsys: pytest.CaptureFixture[str]
) -> None:
    _tamper(sample.cat, TAMPERINGS[0][1])
    code = cli_main(["check", "-C", str(sample.cat.path)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "Audit log: ok" in printed  # the old blind spot: the chain alone looks intact
    assert "Evidence rows: 1 differ from what the audit log recorded" in printed
    assert "figure" in printed and "was changed outside belarchive" in printed


def test_a_days_work_through_the_services_keeps_every_seal(sample: Sample, tmp_path: Path) -> None:
    cat = sample.cat
    version = events.event_detail(cat, sample.grodno)["version"]
    events.update_event(cat, "anna", sample.grodno, version, EventPatch(
        figures=(FigureInput("detained", 391, qualifier="approximately"),)))  # fmt: skip
    events.annotate(cat, "anna", sample.protest, "Check the pensioners' count.")
    events.merge_events(cat, "anna", sample.detention, sample.protest)
    version = events.event_detail(cat, sample.death)["version"]
    events.delete_event(cat, "anna", sample.death, version, reason="duplicate")
    events.restore_event(cat, "anna", sample.death)
    preview = importing.preview_chronicle(cat, sample_chronicle_path())
    importing.commit_chronicle(cat, "anna", preview, on_duplicate="link")
    report = maintenance.check(cat)
    assert report.ok, [p.message() for p in report.evidence_problems][:5]
    # The same evidence carried to a second catalogue arrives sealed there too.
    exported = tmp_path / "all.json"
    export_json(cat, exported)
    other = Catalogue.create(tmp_path / "Other.belarchive", admin="anna", passphrase=PASSPHRASE)
    try:
        import_json(other, "anna", exported)
        second = maintenance.check(other)
        # (A JSON file carries no archived copies: those are reported missing, rightly.)
        assert second.evidence_problems == [] and second.audit and second.audit.ok
        assert second.evidence_checked > 20
    finally:
        other.close()


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5])
def test_an_older_catalogue_is_sealed_once_when_opened(tmp_path: Path, version: int) -> None:
    import shutil

    fixture = Path(__file__).resolve().parents[2] / "db" / "fixtures" / f"schema-v{version}"
    target = tmp_path / "old.belarchive"
    shutil.copytree(fixture, target)
    with Catalogue.open(target) as cat:
        assert maintenance.check(cat).ok
        sealed_by = _one(cat, "SELECT user FROM auditentry WHERE action = 'evidence.seal_existing'")
        assert sealed_by == "belarchive-system"
        _tamper(cat, "UPDATE event SET title = title || '!' WHERE id = (SELECT min(id) FROM event)")
        assert not maintenance.check(cat).ok


def test_after_a_schema_upgrade_every_record_is_sealed_again(sample: Sample) -> None:
    # New columns change every row's hash: a catalogue last sealed under an older schema is
    # re-sealed on open, with the upgrade as the audited reason, and checks clean.
    from belarchive.services import seals

    cat = sample.cat
    _tamper(cat, "UPDATE meta SET value = '4' WHERE key = ?", seals.META_KEY)
    cat.close()
    with Catalogue.open(cat.path) as reopened:
        reason = _one(reopened, "SELECT after_json FROM auditentry "
                                "WHERE action = 'evidence.reseal_after_upgrade'")  # fmt: skip
        assert '"events":4' in str(reason)
        assert f'"schema":"{migrations.LATEST_VERSION}"' in str(reason)
        assert maintenance.check(reopened).ok
