"""Deciding, before writing, what a belarchive-json import creates, skips or must refuse.

A record whose uuid is already in the catalogue is skipped when it is identical and
refused when it differs: an import never overwrites. Vocabulary (tags, places) and user
accounts are matched by key or name and the catalogue's own entry wins, because they
describe the catalogue rather than the evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from belarchive.errors import ImportError_
from belarchive.exporting import json_records as rec
from belarchive.i18n import _
from belarchive.services import signed_audit

Record = dict[str, Any]
MAX_LISTED = 20


class JsonConflictError(ImportError_):
    """Records in the file differ from records with the same id in the catalogue."""

    def __init__(self, conflicts: list[str]) -> None:
        shown = "; ".join(conflicts[:MAX_LISTED])
        more = f" (and {len(conflicts) - MAX_LISTED} more)" if len(conflicts) > MAX_LISTED else ""
        super().__init__(
            f"{len(conflicts)} record(s) in the file differ from records with the "
            f"same id in this catalogue; nothing was imported: {shown}{more}.",
            detail="\n".join(conflicts),
        )
        self.conflicts = conflicts


@dataclass(slots=True)
class Plan:
    users: list[Record] = field(default_factory=list)
    tags: list[Record] = field(default_factory=list)
    places: list[Record] = field(default_factory=list)
    actors: list[Record] = field(default_factory=list)
    sources: list[Record] = field(default_factory=list)
    events: list[Record] = field(default_factory=list)
    history: list[Record] = field(default_factory=list)
    keys: list[Record] = field(default_factory=list)
    catalogue_id: str = ""
    skipped: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)


def _column(conn: Connection, sql: str) -> set[Any]:
    return {r[0] for r in conn.exec_driver_sql(sql).all()}


def make_plan(conn: Connection, doc: dict[str, Any], catalogue_id: str) -> Plan:
    plan = Plan()
    plan.users = _by_key(
        plan, "users", doc["users"], "name", _column(conn, 'SELECT name FROM "user"')
    )
    plan.tags = _parents_first(
        _by_key(plan, "tags", doc["tags"], "key", _column(conn, "SELECT key FROM tag"))
    )
    plan.places = _by_key(
        plan, "places", doc["places"], "key", _column(conn, "SELECT key FROM place")
    )
    plan.actors = _by_uuid(
        plan, "actors", doc["actors"], rec.load_actors(conn, _uuids(doc["actors"]))
    )
    plan.sources = _by_uuid(
        plan, "sources", doc["sources"], rec.load_sources(conn, _uuids(doc["sources"]))
    )
    plan.events = _by_uuid(
        plan, "events", doc["events"], rec.load_events(conn, _uuids(doc["events"]))
    )
    _check_part_uuids(conn, plan)
    plan.history = _history(conn, plan, doc["history"], catalogue_id)
    plan.keys, plan.catalogue_id = doc["public_keys"], catalogue_id
    _check_signatures(conn, plan)
    _check_references(conn, plan, doc)
    return plan


def _uuids(records: list[Record]) -> list[str]:
    return [r["uuid"] for r in records]


def _by_key(
    plan: Plan,
    section: str,
    records: list[Record],
    key: str,
    existing: set[Any],
) -> list[Record]:
    fresh = [r for r in records if r[key] not in existing]
    plan.skipped[section] = len(records) - len(fresh)
    return fresh


def _parents_first(tags: list[Record]) -> list[Record]:
    """New tags in an order that lets each one name its parent (a hand-edited file may not)."""
    new = {t["key"] for t in tags}
    done: set[str] = set()
    ordered: list[Record] = []
    pending = list(tags)
    while pending:
        ready = [t for t in pending if t["parent"] not in new or t["parent"] in done]
        if not ready:  # a cycle: leave the rest as they are; the parent check reports them
            return ordered + pending
        ordered += ready
        done.update(t["key"] for t in ready)
        pending = [t for t in pending if t["key"] not in done]
    return ordered


def _without_content(record: Record) -> Record:
    if "attachments" not in record:
        return record
    atts = [{k: v for k, v in a.items() if k != "content_base64"} for a in record["attachments"]]
    return {**record, "attachments": atts}


def _by_uuid(
    plan: Plan,
    section: str,
    records: list[Record],
    existing: list[Record],
) -> list[Record]:
    local = {r["uuid"]: r for r in existing}
    fresh: list[Record] = []
    skipped = 0
    for record in records:
        mine = local.get(record["uuid"])
        if mine is None:
            fresh.append(record)
        elif _without_content(record) == mine:
            skipped += 1
        else:
            fields = sorted(k for k in mine if mine[k] != record.get(k))
            label = record.get("title") or record.get("name") or ""
            plan.conflicts.append(
                f"{section[:-1]} {record['uuid']} ('{str(label)[:40]}') differs "
                f"in {', '.join(fields)}"
            )
    plan.skipped[section] = skipped
    return fresh


def _check_part_uuids(conn: Connection, plan: Plan) -> None:
    """Citations, figures, annotations and attachments of new records must be new too."""
    parts = {
        "citation": [c["uuid"] for e in plan.events for c in e["citations"]],
        "figure": [f["uuid"] for e in plan.events for f in e["figures"]],
        "annotation": [a["uuid"] for e in plan.events for a in e["annotations"]],
        "attachment": [a["uuid"] for s in plan.sources for a in s["attachments"]],
    }
    for table, uuids in parts.items():
        taken = conn.exec_driver_sql(
            f"SELECT uuid FROM {table} WHERE uuid IN (SELECT value FROM json_each(?))",
            (json.dumps(uuids),),
        ).all()
        plan.conflicts.extend(
            f"{table} {r[0]} already belongs to another record in this catalogue" for r in taken
        )
        if len(set(uuids)) != len(uuids):
            plan.conflicts.append(f"the file gives the same {table} id to two records")


def _history(
    conn: Connection,
    plan: Plan,
    entries: list[Record],
    catalogue_id: str,
) -> list[Record]:
    # Only the entries the file could collide with are loaded, not whole logs.
    own = json.dumps([e["seq"] for e in entries if e["catalogue"] == catalogue_id])
    origins = json.dumps(sorted({e["catalogue"] for e in entries}))
    native: dict[int, str] = dict(
        conn.exec_driver_sql(
            "SELECT seq, hash FROM auditentry WHERE seq IN (SELECT value FROM json_each(?))",
            (own,),
        ).all()
    )
    imported = {
        (c, s): h
        for c, s, h in conn.exec_driver_sql(
            "SELECT origin_catalogue, seq, hash FROM importedhistory WHERE origin_catalogue IN "
            "(SELECT value FROM json_each(?))",
            (origins,),
        ).all()
    }
    fresh: list[Record] = []
    seen: set[tuple[str, int]] = set()
    for e in entries:
        ident = (e["catalogue"], e["seq"])
        have = native.get(e["seq"]) if e["catalogue"] == catalogue_id else imported.get(ident)
        if ident in seen:
            plan.conflicts.append(
                f"history entry {e['seq']} of catalogue {e['catalogue']} appears twice in the file"
            )
        elif have is None and e["catalogue"] == catalogue_id:
            plan.conflicts.append(
                f"history entry {e['seq']} claims to come from this "
                "catalogue, whose log has no such entry"
            )
        elif have is None:
            fresh.append(e)
        elif have != e["hash"]:
            plan.conflicts.append(
                f"history entry {e['seq']} of catalogue {e['catalogue']} "
                "differs from the copy already here"
            )
        seen.add(ident)
    plan.skipped["history"] = len(entries) - len(fresh)
    return fresh


def _check_signatures(conn: Connection, plan: Plan) -> None:
    """Each signed entry must be signed with its author's key as the file (or an earlier
    import) registered it: a forged or re-signed entry is refused, not carried in."""
    book = signed_audit.KeyBook([*plan.keys, *signed_audit.imported_keys(conn)])
    for entry in plan.history:
        problem = signed_audit.imported_signature_problem(book, entry)
        if problem is not None:
            plan.conflicts.append(problem)


def _check_references(conn: Connection, plan: Plan, doc: dict[str, Any]) -> None:
    """Everything a new record points to is in the file or already in the catalogue."""
    known = {
        "tag": {t["key"] for t in doc["tags"]} | _column(conn, "SELECT key FROM tag"),
        "place": {p["key"] for p in doc["places"]} | _column(conn, "SELECT key FROM place"),
        "actor": set(_uuids(doc["actors"])) | _column(conn, "SELECT uuid FROM actor"),
        "source": set(_uuids(doc["sources"])) | _column(conn, "SELECT uuid FROM source"),
    }
    missing: list[str] = []
    for t in plan.tags:
        if t["parent"] is not None and t["parent"] not in known["tag"]:
            missing.append(f"tag {t['key']} has the unknown parent '{t['parent']}'")
    for e in plan.events:
        wanted = [("tag", k) for k in e["tags"]] + [("place", k) for k in e["places"]]
        wanted += [("actor", a["actor"]) for a in e["actors"]]
        wanted += [("source", c["source"]) for c in e["citations"]]
        missing.extend(
            f"event {e['uuid']} uses the {kind} '{ref}', which is neither in the file "
            "nor in this catalogue"
            for kind, ref in wanted
            if ref not in known[kind]
        )
    if missing:
        raise ImportError_(
            _(
                "The file refers to records it does not contain; nothing was imported: {missing}."
            ).format(missing="; ".join(missing[:MAX_LISTED])),
            detail="\n".join(missing),
        )
