"""The hash-chained audit log: tampering in the raw database is named precisely."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import cli_target, tamper

from belarchive.cli import main as cli_main
from belarchive.services import audit, events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput

# Each test that takes ``catalogue`` runs on a folder and on a team catalogue (conftest).
BACKENDS = ("folder", "team")


def _with_events(cat: Catalogue, n: int = 5) -> None:
    for i in range(n):
        events.create_event(cat, "olga", EventInput(title=f"Event {i}", date="2020-11-08"))


def _verify(cat: Catalogue) -> audit.ChainReport:
    with cat.check_connection() as conn:
        return audit.verify_chain(conn)


def _raw(cat: Catalogue, sql: str, *params: object) -> None:
    tamper(cat, (sql, params))


def _last(cat: Catalogue) -> int:
    return _verify(cat).head_seq


def test_intact_chain_verifies(catalogue: Catalogue) -> None:
    _with_events(catalogue)
    report = _verify(catalogue)
    assert report.ok and report.checked == report.head_seq > 5


def test_edited_entry_is_named(catalogue: Catalogue) -> None:
    _with_events(catalogue)
    target = _last(catalogue) - 2
    _raw(catalogue, "UPDATE auditentry SET \"user\"='mallory' WHERE seq=?", target)
    report = _verify(catalogue)
    assert not report.ok and report.first_bad_seq == target
    assert f"Audit entry {target} was altered" in str(report.problem)


def test_deleted_entry_is_named(catalogue: Catalogue) -> None:
    _with_events(catalogue)
    target = _last(catalogue) - 3
    _raw(catalogue, "DELETE FROM auditentry WHERE seq=?", target)
    report = _verify(catalogue)
    assert report.first_bad_seq == target and "missing" in str(report.problem)


def test_removed_newest_entries_are_detected(catalogue: Catalogue) -> None:
    _with_events(catalogue)
    last = _last(catalogue)
    _raw(catalogue, "DELETE FROM auditentry WHERE seq>=?", last - 1)
    report = _verify(catalogue)
    assert not report.ok and "newest entries were removed" in str(report.problem)


def test_reordered_entries_are_detected(catalogue: Catalogue) -> None:
    _with_events(catalogue)
    a = _last(catalogue) - 4
    tamper(
        catalogue,
        ("UPDATE auditentry SET seq=-1 WHERE seq=?", (a,)),
        ("UPDATE auditentry SET seq=? WHERE seq=?", (a, a + 1)),
        ("UPDATE auditentry SET seq=? WHERE seq=-1", (a + 1,)),
    )
    report = _verify(catalogue)
    assert not report.ok and report.first_bad_seq == a


def test_inserted_entry_is_detected(catalogue: Catalogue) -> None:
    _with_events(catalogue)
    last = _last(catalogue)
    _raw(catalogue, "UPDATE auditentry SET seq=seq+1 WHERE seq>? ", last - 1)  # make room
    report = _verify(catalogue)
    assert not report.ok and report.first_bad_seq == last


def test_cli_audit_verify_names_the_entry(
    catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    _with_events(catalogue, 2)
    assert cli_main(["audit", "verify", "--catalogue", cli_target(catalogue)]) == 0
    target = _last(catalogue) - 1
    _raw(catalogue, "UPDATE auditentry SET after_json='{}' WHERE seq=?", target)
    assert cli_main(["audit", "verify", "--catalogue", cli_target(catalogue)]) == 1
    assert f"Audit entry {target} was altered" in capsys.readouterr().out


entries = st.lists(
    st.builds(
        audit.PendingEntry,
        user=st.text(min_size=1, max_size=8),
        action=st.sampled_from(["event.create", "event.update", "citation.add"]),
        entity_type=st.just("event"),
        entity_id=st.uuids().map(str),
        before=st.none() | st.dictionaries(st.text(max_size=5), st.integers()),
        after=st.dictionaries(st.text(max_size=5), st.text(max_size=10)),
    ),
    min_size=1,
    max_size=20,
)


def _memory_db(chained: list[audit.ChainedEntry]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE auditentry (seq INTEGER PRIMARY KEY, ts, user, action, "
        "entity_type, entity_id, before_json, after_json, prev_hash, hash, signature)"
    )
    conn.execute("CREATE TABLE meta (key PRIMARY KEY, value)")
    conn.executemany(audit.INSERT_SQL, [c.as_row() for c in chained])
    return conn


@settings(max_examples=60, deadline=None)
@given(entries, st.data())
def test_any_single_alteration_is_detected(
    items: list[audit.PendingEntry], data: st.DataObject
) -> None:
    chained = audit.chain(items, 0, audit.GENESIS_HASH)
    assert audit.verify_chain(_memory_db(chained)).ok
    victim = data.draw(st.integers(0, len(chained) - 1))
    column = data.draw(st.sampled_from(["user", "action", "entity_id", "after_json", "ts"]))
    conn = _memory_db(chained)
    conn.execute(
        f"UPDATE auditentry SET {column} = {column} || 'x' WHERE seq=?", (chained[victim].seq,)
    )
    report = audit.verify_chain(conn)
    assert not report.ok and report.first_bad_seq == chained[victim].seq


@settings(max_examples=40, deadline=None)
@given(entries, st.integers(0, 19))
def test_chaining_in_batches_equals_chaining_at_once(
    items: list[audit.PendingEntry], cut: int
) -> None:
    cut = min(cut, len(items))
    first = audit.chain(items[:cut], 0, audit.GENESIS_HASH)
    head = (first[-1].seq, first[-1].hash) if first else (0, audit.GENESIS_HASH)
    second = audit.chain(items[cut:], *head)
    assert audit.verify_chain(_memory_db(first + second)).ok


def test_audit_log_has_no_update_or_delete_path() -> None:
    """Services only ever INSERT audit rows: no code path edits history."""
    root = Path(__file__).parent.parent / "belarchive"
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        assert "update auditentry" not in text and "delete from auditentry" not in text, path
