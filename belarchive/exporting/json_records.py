"""Catalogue records as the plain dicts of the belarchive-json format (read side).

The exporter writes these dicts and the importer compares incoming records with them
("identical: skip, different: refuse"), so both sides share this one definition of a
record. Everything is read with column tuples over one SQLAlchemy connection: the ORM
costs ~45 µs per object, which adds up over 100,000 events and their parts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from belarchive.storage.dialect import stored_row

Record = dict[str, Any]

# The act of importing is a fact about the importing catalogue, not about the records:
# it stays in that catalogue's own log and is not exported again.
IMPORT_ACTION = "import.json"
CHUNK = 500


def iso_ts(value: Any) -> str | None:
    """Stored datetimes (several spellings) as one form: 2020-11-15T10:00:00.000000Z (UTC)."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def db_ts(value: str) -> str:
    """An exported timestamp as SQLAlchemy stores it (naive UTC), so the ORM reads it back."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def json_list(values: Iterable[Any]) -> str:
    return json.dumps(list(values))


def rows(conn: Connection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows in SQLite's spelling on either database: an export must not depend on it."""
    return [stored_row(r) for r in conn.exec_driver_sql(sql, tuple(params)).all()]


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# -- events -----------------------------------------------------------------------------------
_EVENT_SQL = (
    "SELECT id, uuid, title, description, language, date_edtf, date_earliest, date_latest, "
    "status, version, created_by, created_at, updated_by, updated_at, substance_by, deleted, "
    "merged_into FROM event WHERE uuid IN (SELECT value FROM json_each(?))"
)
IN_LIST = "IN (SELECT value FROM json_each(?))"


def load_events(conn: Connection, uuids: Sequence[str]) -> list[Record]:
    """Full records of these events, in the order given (unknown uuids are left out)."""
    by_uuid: dict[str, Record] = {}
    for part in chunks(uuids):
        by_uuid.update(_load_event_chunk(conn, part))
    return [by_uuid[u] for u in uuids if u in by_uuid]


def _load_event_chunk(conn: Connection, uuids: Sequence[str]) -> dict[str, Record]:
    events: dict[int, Record] = {}
    for r in rows(conn, _EVENT_SQL, json_list(uuids)):
        events[r[0]] = {
            "uuid": r[1],
            "title": r[2],
            "description": r[3],
            "language": r[4],
            "date_edtf": r[5],
            "date_earliest": r[6],
            "date_latest": r[7],
            "status": r[8],
            "version": r[9],
            "created_by": r[10],
            "created_at": iso_ts(r[11]),
            "updated_by": r[12],
            "updated_at": iso_ts(r[13]),
            "substance_by": r[14],
            "deleted": bool(r[15]),
            "merged_into": r[16],
            "tags": [],
            "places": [],
            "actors": [],
            "citations": [],
            "figures": [],
            "annotations": [],
            "verification": [],
        }
    ids = json_list(events)
    _attach_links(conn, events, ids)
    _attach_citations(conn, events, ids)
    _attach_notes(conn, events, ids)
    return {e["uuid"]: e for e in events.values()}


def _attach_links(conn: Connection, events: dict[int, Record], ids: str) -> None:
    for eid, key in rows(
        conn,
        "SELECT et.event_id, t.key FROM eventtag et JOIN tag t ON "
        f"t.id = et.tag_id WHERE et.event_id {IN_LIST} ORDER BY t.key",
        ids,
    ):
        events[eid]["tags"].append(key)
    for eid, key in rows(
        conn,
        "SELECT ep.event_id, p.key FROM eventplace ep JOIN place p ON "
        f"p.id = ep.place_id WHERE ep.event_id {IN_LIST} ORDER BY p.key",
        ids,
    ):
        events[eid]["places"].append(key)
    for eid, uuid, role in rows(
        conn,
        "SELECT ea.event_id, a.uuid, ea.role FROM eventactor ea "
        "JOIN actor a ON a.id = ea.actor_id WHERE ea.event_id "
        f"{IN_LIST} ORDER BY a.uuid, ea.role",
        ids,
    ):
        events[eid]["actors"].append({"actor": uuid, "role": role})


def _attach_citations(conn: Connection, events: dict[int, Record], ids: str) -> None:
    cit_uuid: dict[int, str] = {}
    for cid, eid, uuid, src, loc, quote, cred, by, at in rows(
        conn,
        "SELECT c.id, c.event_id, c.uuid, s.uuid, c.locator, c.quote, c.credibility, "
        "c.created_by, c.created_at FROM citation c JOIN source s ON s.id = c.source_id "
        f"WHERE c.event_id {IN_LIST} ORDER BY c.id",
        ids,
    ):
        cit_uuid[cid] = uuid
        events[eid]["citations"].append(
            {
                "uuid": uuid,
                "source": src,
                "locator": loc,
                "quote": quote,
                "credibility": cred,
                "created_by": by,
                "created_at": iso_ts(at),
            }
        )
    for eid, uuid, kind, low, high, qual, cid, note, scope, period, part_of in rows(
        conn,
        "SELECT event_id, uuid, kind, value_min, value_max, qualifier, citation_id, note, "
        f"scope, period_edtf, part_of FROM figure WHERE event_id {IN_LIST} ORDER BY id",
        ids,
    ):
        events[eid]["figures"].append(
            {
                "uuid": uuid,
                "kind": kind,
                "value_min": low,
                "value_max": high,
                "qualifier": qual,
                "citation": cit_uuid.get(cid),
                "note": note,
                "scope": scope,
                "period": period,
                "part_of": part_of,
            }
        )


def _attach_notes(conn: Connection, events: dict[int, Record], ids: str) -> None:
    for eid, uuid, author, at, body, passage in rows(
        conn,
        "SELECT event_id, uuid, author, created_at, text, passage FROM annotation "
        f"WHERE event_id {IN_LIST} ORDER BY id",
        ids,
    ):
        events[eid]["annotations"].append(
            {
                "uuid": uuid,
                "author": author,
                "created_at": iso_ts(at),
                "text": body,
                "passage": passage,
            }
        )
    for eid, frm, to, reviewer, at, note in rows(
        conn,
        "SELECT event_id, from_status, to_status, reviewer, at, note FROM "
        f"verificationentry WHERE event_id {IN_LIST} ORDER BY id",
        ids,
    ):
        events[eid]["verification"].append(
            {
                "from_status": frm,
                "to_status": to,
                "reviewer": reviewer,
                "at": iso_ts(at),
                "note": note,
            }
        )


# -- what the events refer to ------------------------------------------------------------------
def load_sources(conn: Connection, uuids: Sequence[str]) -> list[Record]:
    out: list[Record] = []
    for part in chunks(sorted(uuids)):
        ids = json_list(part)
        sources: dict[int, Record] = {}
        for r in rows(
            conn,
            "SELECT id, uuid, kind, title, author, publisher, url, published, "
            "accessed, language, reliability, created_by, created_at FROM source "
            f"WHERE uuid {IN_LIST} ORDER BY uuid",
            ids,
        ):
            sources[r[0]] = {
                "uuid": r[1],
                "kind": r[2],
                "title": r[3],
                "author": r[4],
                "publisher": r[5],
                "url": r[6],
                "published": r[7],
                "accessed": r[8],
                "language": r[9],
                "reliability": r[10],
                "created_by": r[11],
                "created_at": iso_ts(r[12]),
                "attachments": [],
            }
        for sid, uuid, sha, size, media, name, at, by in rows(
            conn,
            "SELECT source_id, uuid, sha256, size, media_type, original_name, "
            f"captured_at, created_by FROM attachment WHERE source_id {IN_LIST} ORDER BY id",
            json_list(sources),
        ):
            sources[sid]["attachments"].append(
                {
                    "uuid": uuid,
                    "sha256": sha,
                    "size": size,
                    "media_type": media,
                    "original_name": name,
                    "captured_at": iso_ts(at),
                    "created_by": by,
                }
            )
        out.extend(sources.values())
    return out


def load_actors(conn: Connection, uuids: Sequence[str]) -> list[Record]:
    return [
        {"uuid": u, "name": n, "kind": k, "variants": json.loads(v), "protected": bool(p)}
        for u, n, k, v, p in rows(
            conn,
            "SELECT uuid, name, kind, variants_json, protected "
            f"FROM actor WHERE uuid {IN_LIST} ORDER BY uuid",
            json_list(uuids),
        )
    ]


def load_tags(conn: Connection, keys: Sequence[str]) -> list[Record]:
    """These tags and their ancestors, parents before children (so an import can add them)."""
    sql = "SELECT id, key, parent_id, labels_json, repression, seeded FROM tag"
    by_id = {r[0]: r for r in rows(conn, sql)}
    by_key = {r[1]: r for r in by_id.values()}
    wanted: dict[str, tuple[Any, ...]] = {}
    for key in keys:
        row = by_key.get(key)
        while row is not None and row[1] not in wanted:
            wanted[row[1]] = row
            row = by_id.get(row[2])
    ordered = sorted(wanted.values(), key=lambda r: (_depth(by_id, r), r[1]))
    return [
        {
            "key": r[1],
            "parent": by_id[r[2]][1] if r[2] in by_id else None,
            "labels": json.loads(r[3]),
            "repression": bool(r[4]),
            "seeded": bool(r[5]),
        }
        for r in ordered
    ]


def _depth(by_id: dict[int, tuple[Any, ...]], row: tuple[Any, ...]) -> int:
    depth = 0
    while row[2] in by_id and depth < 64:
        row, depth = by_id[row[2]], depth + 1
    return depth


def load_places(conn: Connection, keys: Sequence[str]) -> list[Record]:
    return [
        {
            "key": k,
            "kind": kind,
            "parent_key": parent,
            "lat": lat,
            "lon": lon,
            "names": json.loads(names),
            "display_name": display,
        }
        for k, kind, parent, lat, lon, names, display in rows(
            conn,
            "SELECT key, kind, parent_key, lat, lon, names_json, display_name FROM "
            f"place WHERE key {IN_LIST} ORDER BY key",
            json_list(keys),
        )
    ]


def load_users(conn: Connection, names: Iterable[str]) -> list[Record]:
    return [
        {"name": n, "role": r}
        for n, r in rows(
            conn,
            f'SELECT name, role FROM "user" WHERE name {IN_LIST} ORDER BY name',
            json_list(sorted(set(names))),
        )
    ]
