"""Every piece of evidence bound to the audit chain: seals, and checking them.

The audit chain proves that the log was not rewritten; on its own it says nothing about the
tables. A figure's value changed with an SQL editor, a citation's quote, a verification
decision or an archived copy's recorded hash would pass ``audit verify``. So every write
transaction ends by *sealing* what it touched: for each event (and each source) a canonical
hash of every evidence row that belongs to it, recorded as an ``evidence.seal`` audit entry
inside the same transaction and chained with the rest. ``check`` recomputes the seals of
the whole catalogue and compares them with the latest recorded ones, naming the row that
differs and the audit entry that last legitimately wrote it.

What an event's seal covers: the event row; its figures, citations, annotations and
verification entries; which actors (by uuid, with their role), places and tags it names.
A source's seal covers the source row and its archived copies (SHA-256, size, name).
Not covered (said in docs/security.md): the actor, place and tag rows themselves, users,
and someone who can also re-chain the audit log (that needs signed entries, issue 10).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from belarchive.domain.digest import text_sha256
from belarchive.services.audit import canonical_json
from belarchive.storage.dialect import stored_row

ACTION = "evidence.seal"
ENTITY = "evidence"
# The schema version the catalogue's records were last all sealed under.
META_KEY = "evidence_sealed_schema"
_HEX = 24  # 96 bits a row

# Rows that belong to one event, and the column that names each row.
_EVENT_ROWS = {
    "figure": "uuid",
    "citation": "uuid",
    "annotation": "uuid",
    "verificationentry": "id",
}
# Links to shared records: named by the record's stable key, not by the row.
_EVENT_LINKS = {
    "actor": "SELECT ea.event_id, 'actor:' || a.uuid || ':' || ea.role FROM eventactor ea "
    "JOIN actor a ON a.id = ea.actor_id WHERE ea.event_id IN ({ids})",
    "place": "SELECT ep.event_id, 'place:' || p.key FROM eventplace ep "
    "JOIN place p ON p.id = ep.place_id WHERE ep.event_id IN ({ids})",
    "tag": "SELECT et.event_id, 'tag:' || t.key FROM eventtag et "
    "JOIN tag t ON t.id = et.tag_id WHERE et.event_id IN ({ids})",
}

# run(sql, params) -> (column names, rows): one adapter for SQLAlchemy and sqlite3.
Run = Callable[[str, Sequence[Any]], tuple[list[str], list[tuple[Any, ...]]]]


def sqlalchemy_runner(conn: Any) -> Run:
    def run(sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        result = conn.exec_driver_sql(sql, tuple(params))
        return list(result.keys()), [tuple(r) for r in result.fetchall()]

    return run


def sqlite_runner(conn: Any) -> Run:
    def run(sql: str, params: Sequence[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = conn.execute(sql, tuple(params))
        return [d[0] for d in cursor.description], cursor.fetchall()

    return run


def runner(conn: Any) -> Run:
    """The runner for either kind of connection (storage.sqlrun)."""
    return sqlalchemy_runner(conn) if hasattr(conn, "exec_driver_sql") else sqlite_runner(conn)


def row_hash(columns: Sequence[str], row: Sequence[Any]) -> str:
    # In SQLite's spelling: a catalogue copied to a team server keeps its seals.
    body = canonical_json(dict(zip(columns, stored_row(row), strict=True)))
    return text_sha256(body)[:_HEX]


# The project's one way to pass any number of keys to SQLite: a JSON array and json_each
# (no parameter limit, one statement).
_IN = "IN (SELECT value FROM json_each(?))"


def _parents(
    run: Run, table: str, uuids: Iterable[str]
) -> tuple[dict[int, str], dict[str, dict[str, str]]]:
    """Rows of ``table`` (event or source) by uuid: id -> uuid, and each one's first seal
    entry (its own row, without the database id, which says nothing)."""
    columns, rows = run(
        f"SELECT * FROM {table} WHERE uuid {_IN}", (json.dumps(sorted(set(uuids))),)
    )
    by_id: dict[int, str] = {}
    seals: dict[str, dict[str, str]] = {}
    for row in rows:
        record = dict(zip(columns, row, strict=True))
        uuid = str(record["uuid"])
        by_id[int(record.pop("id"))] = uuid
        seals[uuid] = {table: row_hash(list(record), list(record.values()))}
    return by_id, seals


def _children(
    run: Run,
    sql: str,
    by_id: dict[int, str],
    seals: dict[str, dict[str, str]],
    table: str,
    key: str,
    parent: str,
) -> None:
    columns, rows = run(sql, (json.dumps(list(by_id)),))
    name_at, parent_at = columns.index(key), columns.index(parent)
    for row in rows:
        seals[by_id[int(row[parent_at])]][f"{table}:{row[name_at]}"] = row_hash(columns, row)


def event_seals(run: Run, uuids: Iterable[str]) -> dict[str, dict[str, str]]:
    """uuid -> {row name: hash} for each event (deleted ones too: they are evidence)."""
    by_id, seals = _parents(run, "event", uuids)
    if not by_id:
        return seals
    for table, key in _EVENT_ROWS.items():
        sql = f"SELECT * FROM {table} WHERE event_id {_IN}"
        _children(run, sql, by_id, seals, table, key, "event_id")
    for sql in _EVENT_LINKS.values():
        _, rows = run(sql.format(ids="SELECT value FROM json_each(?)"), (json.dumps(list(by_id)),))
        for event_id, name in rows:
            seals[by_id[int(event_id)]][str(name)] = "linked"
    return seals


def source_seals(run: Run, uuids: Iterable[str]) -> dict[str, dict[str, str]]:
    """uuid -> {row name: hash} for each source and its archived copies."""
    by_id, seals = _parents(run, "source", uuids)
    if by_id:
        sql = f"SELECT * FROM attachment WHERE source_id {_IN}"
        _children(run, sql, by_id, seals, "attachment", "uuid", "source_id")
    return seals


def seal_entries(run: Run, events: Iterable[str], sources: Iterable[str]) -> list[tuple[str, Any]]:
    """(entity id, seal) audit payloads for what a transaction touched."""
    out: list[tuple[str, Any]] = []
    out += [(f"event:{u}", s) for u, s in sorted(event_seals(run, events).items())]
    out += [(f"source:{u}", s) for u, s in sorted(source_seals(run, sources).items())]
    return out


@dataclass(frozen=True, slots=True)
class SealProblem:
    entity: str  # "event:<uuid>" or "source:<uuid>"
    row: str  # "figure:<uuid>", "event", ... or "" for the whole record
    problem: str
    last_seq: int | None  # the audit entry that last sealed it

    def message(self) -> str:
        kind, _, uuid = self.entity.partition(":")
        last = f" (last written by audit entry {self.last_seq})" if self.last_seq else ""
        if self.row in ("", kind):
            return f"The {kind} {uuid} {self.problem}{last}."
        return f"The {_row_words(self.row)} of {kind} {uuid} {self.problem}{last}."


def _row_words(row: str) -> str:
    table, _, name = row.partition(":")
    if table == "actor":
        actor, _, role = name.partition(":")
        return f"link to actor {actor} as {role}"
    if table in ("place", "tag"):
        return f"link to {table} {name}"
    return f"{'verification entry' if table == 'verificationentry' else table} {name}"


def latest_seals(run: Run) -> dict[str, tuple[int, dict[str, str]]]:
    _, rows = run(
        "SELECT a.entity_id, a.seq, a.after_json FROM auditentry a JOIN ("
        "SELECT entity_id, max(seq) AS seq FROM auditentry WHERE action = ? GROUP BY entity_id"
        ") m ON m.seq = a.seq",
        (ACTION,),
    )
    return {str(e): (int(seq), json.loads(after)) for e, seq, after in rows}


def compare_all(run: Run) -> list[SealProblem]:
    """Every difference between the tables and their latest seals."""
    recorded = latest_seals(run)
    _, events = run("SELECT uuid FROM event", ())
    _, sources = run("SELECT uuid FROM source", ())
    current = {f"event:{u}": s for u, s in event_seals(run, (r[0] for r in events)).items()}
    current |= {f"source:{u}": s for u, s in source_seals(run, (r[0] for r in sources)).items()}
    problems: list[SealProblem] = []
    for entity, rows in sorted(current.items()):
        if entity not in recorded:
            problems.append(SealProblem(entity, "", "is not in the audit log: it was added "
                                        "outside belarchive", None))  # fmt: skip
            continue
        seq, sealed = recorded[entity]
        problems += _differences(entity, seq, sealed, rows)
    for entity in sorted(set(recorded) - set(current)):
        problems.append(SealProblem(entity, "", "was removed outside belarchive",
                                    recorded[entity][0]))  # fmt: skip
    return problems


def _differences(
    entity: str, seq: int, sealed: dict[str, str], rows: dict[str, str]
) -> list[SealProblem]:
    out = []
    for name in sorted(set(sealed) | set(rows)):
        if name not in rows:
            out.append(SealProblem(entity, name, "was removed outside belarchive", seq))
        elif name not in sealed:
            out.append(SealProblem(entity, name, "was added outside belarchive", seq))
        elif sealed[name] != rows[name]:
            out.append(SealProblem(entity, name, "was changed outside belarchive", seq))
    return out


def all_records(run: Run) -> tuple[list[str], list[str]]:
    _, events = run("SELECT uuid FROM event", ())
    _, sources = run("SELECT uuid FROM source", ())
    return [u for (u,) in events], [u for (u,) in sources]


def unsealed(run: Run) -> tuple[list[str], list[str]]:
    """Events and sources with no seal yet (a catalogue from before seals existed)."""
    recorded = set(latest_seals(run))
    _, events = run("SELECT uuid FROM event", ())
    _, sources = run("SELECT uuid FROM source", ())
    return (
        [u for (u,) in events if f"event:{u}" not in recorded],
        [u for (u,) in sources if f"source:{u}" not in recorded],
    )
