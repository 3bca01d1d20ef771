"""The hash-chained audit log: every write appends; any edit, insertion or removal shows.

hash(n) = sha256(hash(n-1) + canonical(entry n)), where canonical() is sorted-key compact
JSON of the entry's own fields (sequence number included, so moving an entry breaks it).
The head (last sequence number and hash) is also kept in the meta table, so removing the
newest entries is detected too. Since schema v6 each entry also carries its author's Ed25519
signature of its hash (services.signed_audit): a hash chain alone can be recomputed by
anyone holding the file, a signature only by the author.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from belarchive.domain.digest import text_sha256
from belarchive.storage.sqlrun import run

if TYPE_CHECKING:
    from belarchive.security.keys import Signer

GENESIS_HASH = "0" * 64
HEAD_KEY = "audit_head"


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class PendingEntry:
    user: str
    action: str
    entity_type: str
    entity_id: str
    before: Any = None
    after: Any = None


@dataclass(frozen=True, slots=True)
class ChainedEntry:
    seq: int
    ts: str
    user: str
    action: str
    entity_type: str
    entity_id: str
    before_json: str | None
    after_json: str | None
    prev_hash: str
    hash: str
    signature: str | None = None

    def as_row(self) -> tuple[Any, ...]:
        return (
            self.seq,
            self.ts,
            self.user,
            self.action,
            self.entity_type,
            self.entity_id,
            self.before_json,
            self.after_json,
            self.prev_hash,
            self.hash,
            self.signature,
        )


def entry_hash(
    prev_hash: str,
    seq: int,
    ts: str,
    user: str,
    action: str,
    entity_type: str,
    entity_id: str,
    before_json: str | None,
    after_json: str | None,
) -> str:
    body = canonical_json(
        {
            "seq": seq,
            "ts": ts,
            "user": user,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": before_json,
            "after": after_json,
        }
    )
    return text_sha256(prev_hash + body)


def chain(
    entries: Iterable[PendingEntry],
    head_seq: int,
    head_hash: str,
    signer: Signer | None = None,
) -> list[ChainedEntry]:
    """Give pending entries sequence numbers, a timestamp, their chained hashes and (with a
    signer) their author's signatures. Unsigned entries are the program's own."""
    out: list[ChainedEntry] = []
    seq, prev = head_seq, head_hash
    ts = utc_now_iso()
    for e in entries:
        seq += 1
        before = None if e.before is None else canonical_json(e.before)
        after = None if e.after is None else canonical_json(e.after)
        digest = entry_hash(
            prev, seq, ts, e.user, e.action, e.entity_type, e.entity_id, before, after
        )
        signature = signer.sign_hex(digest) if signer is not None else None
        out.append(
            ChainedEntry(
                seq,
                ts,
                e.user,
                e.action,
                e.entity_type,
                e.entity_id,
                before,
                after,
                prev,
                digest,
                signature,
            )
        )
        prev = digest
    return out


@dataclass(frozen=True, slots=True)
class ChainReport:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    first_bad_seq: int | None = None
    signatures: SignatureSummary | None = None


@dataclass(frozen=True, slots=True)
class SignatureSummary:
    signed: int = 0
    # Written before this catalogue began signing (an upgraded older catalogue): reported,
    # never called forged.
    unsigned_before_signing: int = 0
    # The program's own data migrations (sealing, gazetteer upgrades, restores).
    by_program: int = 0
    signing_began_at: int | None = None


def _rows(conn: Any) -> Iterator[tuple[Any, ...]]:
    cur = run(
        conn,
        'SELECT seq, ts, "user", action, entity_type, entity_id, before_json, after_json, '
        "prev_hash, hash, signature FROM auditentry ORDER BY seq",
    )
    while batch := cur.fetchmany(5000):
        yield from batch


def verify_chain(conn: Any) -> ChainReport:
    """Walk the whole chain; report the first entry that was altered, inserted or removed,
    or whose signature, signer or signer's role does not hold (services.signed_audit)."""
    from belarchive.services.signed_audit import SignatureCheck

    total = run(conn, "SELECT count(*) FROM auditentry").fetchone()[0]
    signatures = SignatureCheck(int(total))
    report = _walk(conn, signatures)
    # A bad signature earlier than what the walk found (or than its end) comes first.
    bad = signatures.first_bad_signature(before=report.first_bad_seq)
    if bad is not None:
        seq, problem = bad
        return _bad(seq - 1, seq, "", problem)
    return report


def _walk(conn: Any, signatures: Any) -> ChainReport:
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0
    for row in _rows(conn):
        seq, ts, user, action, etype, eid, before, after, prev_hash, digest, _sig = row
        if seq != expected_seq:
            what = "removed" if seq > expected_seq else "inserted"
            return _bad(
                checked,
                expected_seq,
                prev,
                f"Audit entry {expected_seq} is missing: entries were {what} "
                f"(the next entry found is {seq}).",
            )
        if prev_hash != prev:
            return _bad(
                checked,
                seq,
                prev,
                f"Audit entry {seq} does not follow entry {seq - 1}: entries were "
                "inserted, removed or reordered.",
            )
        if entry_hash(prev, seq, ts, user, action, etype, eid, before, after) != digest:
            return _bad(
                checked,
                seq,
                prev,
                f"Audit entry {seq} was altered: its contents no longer match its hash.",
            )
        problem = signatures.check(row)
        if problem is not None:
            return _bad(checked, seq, prev, problem)
        prev = digest
        expected_seq += 1
        checked += 1
    head = run(conn, "SELECT value FROM meta WHERE key=?", (HEAD_KEY,)).fetchone()
    if head is not None:
        head_seq, _, head_hash = head[0].partition(":")
        if int(head_seq) != checked or head_hash != prev:
            return _bad(
                checked,
                checked + 1,
                prev,
                f"The audit log ends at entry {checked} but the catalogue recorded entry "
                f"{head_seq} as the last: the newest entries were removed.",
            )
    return ChainReport(True, checked, checked, prev, signatures=signatures.summary())


def _bad(checked: int, seq: int, prev: str, problem: str) -> ChainReport:
    return ChainReport(False, checked, checked, prev, problem, seq)


def read_head(conn: Any) -> tuple[int, str]:
    """Last (seq, hash); works with a sqlite3 connection or an SQLAlchemy connection."""
    row = run(conn, "SELECT seq, hash FROM auditentry ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS_HASH)


INSERT_SQL = (
    'INSERT INTO auditentry (seq, ts, "user", action, entity_type, entity_id, before_json, '
    "after_json, prev_hash, hash, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
META_SET_SQL = (
    "INSERT INTO meta (key, value) VALUES (?, ?) "
    "ON CONFLICT(key) DO UPDATE SET value=excluded.value"
)
