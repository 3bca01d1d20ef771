"""Writing planned belarchive-json records with their original ids, times and authors.

The services' ``add_event``/``new_source`` create *new* records (this user, now, version 1,
unverified); an import restores records as they were, so it inserts column tuples with
executemany (as services/bulk.py does, ~10x faster than the ORM) inside the caller's unit
of work. Tags and places go through services.vocabulary; every record created here gets
one ``import.json`` audit entry in this catalogue's own chain.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Connection

from belarchive.errors import Cancelled, ImportError_
from belarchive.exporting.json_records import IMPORT_ACTION, db_ts
from belarchive.i18n import _
from belarchive.importing.json_plan import Plan
from belarchive.services import vocabulary
from belarchive.services.uow import UnitOfWork
from belarchive.storage import filestore

Record = dict[str, Any]
Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


class _Ids:
    """Next free integer ids per table, so parent rows can be referenced before insertion."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.next: dict[str, int] = {}

    def take(self, table: str) -> int:
        if table not in self.next:
            top = self.conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar()
            self.next[table] = int(top or 0) + 1
        self.next[table] += 1
        return self.next[table] - 1


def _ids_of(conn: Connection, sql: str) -> dict[str, int]:
    return {str(k): int(cast(Any, i)) for k, i in conn.exec_driver_sql(sql).all()}


def _many(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        conn.exec_driver_sql(sql, rows)  # type: ignore[arg-type]


def write_vocabulary(uow: UnitOfWork, plan: Plan) -> None:
    """Users, tags and places that the catalogue lacks (tags parents first, as exported)."""
    conn = uow.session.connection()
    now = db_ts(uow.now.isoformat())
    # Imported accounts arrive inactive: they name who did what in the other catalogue, and
    # a file must not be able to hand out working accounts (an admin re-activates them).
    _many(
        conn,
        'INSERT INTO "user" (name, role, active, created_at) VALUES (?, ?, false, ?)',
        [(u["name"], u["role"], now) for u in plan.users],
    )
    for u in plan.users:
        uow.record(IMPORT_ACTION, "user", u["name"], after=u)
    for t in plan.tags:
        tag = vocabulary.add_tag(uow, t["key"], t["labels"], t["parent"])
        tag.repression, tag.seeded = t["repression"], t["seeded"]
        uow.session.add(tag)
    for p in plan.places:
        place = vocabulary.add_place(
            uow, p["key"], p["names"], kind=p["kind"], lat=p["lat"], lon=p["lon"]
        )
        place.parent_key, place.display_name = p["parent_key"], p["display_name"]
        uow.session.add(place)
    uow.session.flush()
    if plan.users:
        uow.change.users = True


def write_actors_and_sources(uow: UnitOfWork, plan: Plan) -> None:
    conn = uow.session.connection()
    ids = _Ids(conn)
    _many(
        conn,
        "INSERT INTO actor (id, uuid, name, kind, variants_json, protected) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                ids.take("actor"),
                a["uuid"],
                a["name"],
                a["kind"],
                json.dumps(a["variants"], ensure_ascii=False),
                a["protected"],
            )
            for a in plan.actors
        ],
    )
    for a in plan.actors:
        uow.record(IMPORT_ACTION, "actor", a["uuid"], after=a)
    if plan.actors:
        uow.change.vocabulary = True  # completion in open editors learns the new names
    sources, attachments = [], []
    for s in plan.sources:
        sid = ids.take("source")
        sources.append(
            (
                sid,
                s["uuid"],
                s["kind"],
                s["title"],
                s["author"],
                s["publisher"],
                s["url"],
                s["published"],
                s["accessed"],
                s["language"],
                s["reliability"],
                s["created_by"],
                db_ts(s["created_at"]),
            )
        )
        attachments += [
            (
                a["uuid"],
                sid,
                a["sha256"],
                a["size"],
                a["media_type"],
                a["original_name"],
                db_ts(a["captured_at"]),
                a["created_by"],
            )
            for a in s["attachments"]
        ]
        after = {
            **s,
            "attachments": [
                {k: v for k, v in a.items() if k != "content_base64"} for a in s["attachments"]
            ],
        }
        uow.record(IMPORT_ACTION, "source", s["uuid"], after=after)
    _many(
        conn,
        "INSERT INTO source (id, uuid, kind, title, author, publisher, url, published, "
        "accessed, language, reliability, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sources,
    )
    _many(
        conn,
        "INSERT INTO attachment (uuid, source_id, sha256, size, media_type, "
        "original_name, captured_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        attachments,
    )
    uow.change.sources.update(s["uuid"] for s in plan.sources)


class _EventRows:
    def __init__(self) -> None:
        self.event: list[tuple[Any, ...]] = []
        self.tag: list[tuple[Any, ...]] = []
        self.place: list[tuple[Any, ...]] = []
        self.actor: list[tuple[Any, ...]] = []
        self.citation: list[tuple[Any, ...]] = []
        self.figure: list[tuple[Any, ...]] = []
        self.annotation: list[tuple[Any, ...]] = []
        self.status: list[tuple[Any, ...]] = []


def write_events(
    uow: UnitOfWork, plan: Plan, progress: Progress | None, cancel: CancelFlag | None
) -> None:
    conn = uow.session.connection()
    ids = _Ids(conn)
    look = {
        "tag": _ids_of(conn, "SELECT key, id FROM tag"),
        "place": _ids_of(conn, "SELECT key, id FROM place"),
        "actor": _ids_of(conn, "SELECT uuid, id FROM actor"),
        "source": _ids_of(conn, "SELECT uuid, id FROM source"),
    }
    rows = _EventRows()
    total = len(plan.events)
    for n, e in enumerate(plan.events):
        if cancel and n % 500 == 0 and cancel():
            raise Cancelled(_("Import cancelled; nothing was written."))
        _event_rows(rows, ids, look, e)
        uow.record(IMPORT_ACTION, "event", e["uuid"], after=e)
        if progress and n % 1000 == 0:
            progress(n, total)
    _flush_events(conn, rows)
    uow.change.created.update(e["uuid"] for e in plan.events)
    if progress:
        progress(total, total)


def _event_rows(rows: _EventRows, ids: _Ids, look: dict[str, dict[str, int]], e: Record) -> None:
    eid = ids.take("event")
    rows.event.append(
        (
            eid,
            e["uuid"],
            e["title"],
            e["description"],
            e["language"],
            e["date_edtf"],
            e["date_earliest"],
            e["date_latest"],
            e["status"],
            e["version"],
            e["created_by"],
            db_ts(e["created_at"]),
            e["updated_by"],
            db_ts(e["updated_at"]),
            e["substance_by"],
            e["deleted"],
            e["merged_into"],
        )
    )
    rows.tag += [(eid, look["tag"][k]) for k in e["tags"]]
    rows.place += [(eid, look["place"][k]) for k in e["places"]]
    rows.actor += [(eid, look["actor"][a["actor"]], a["role"]) for a in e["actors"]]
    cit_ids: dict[str, int] = {}
    for c in e["citations"]:
        cit_ids[c["uuid"]] = cid = ids.take("citation")
        rows.citation.append(
            (
                cid,
                c["uuid"],
                eid,
                look["source"][c["source"]],
                c["locator"],
                c["quote"],
                c["credibility"],
                c["created_by"],
                db_ts(c["created_at"]),
            )
        )
    rows.figure += [
        (
            f["uuid"],
            eid,
            f["kind"],
            f["value_min"],
            f["value_max"],
            f["qualifier"],
            cit_ids.get(f["citation"] or ""),
            f["note"],
            f["scope"],
            f["period"],
            f["part_of"],
        )
        for f in e["figures"]
    ]
    rows.annotation += [
        (a["uuid"], eid, a["author"], db_ts(a["created_at"]), a["text"], a["passage"])
        for a in e["annotations"]
    ]
    rows.status += [
        (eid, v["from_status"], v["to_status"], v["reviewer"], db_ts(v["at"]), v["note"])
        for v in e["verification"]
    ]


def _flush_events(conn: Connection, rows: _EventRows) -> None:
    _many(
        conn,
        "INSERT INTO event (id, uuid, title, description, language, date_edtf, "
        "date_earliest, date_latest, status, version, created_by, created_at, updated_by, "
        "updated_at, substance_by, deleted, merged_into) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows.event,
    )
    _many(conn, "INSERT INTO eventtag (event_id, tag_id) VALUES (?, ?)", rows.tag)
    _many(conn, "INSERT INTO eventplace (event_id, place_id) VALUES (?, ?)", rows.place)
    _many(conn, "INSERT INTO eventactor (event_id, actor_id, role) VALUES (?, ?, ?)", rows.actor)
    _many(
        conn,
        "INSERT INTO citation (id, uuid, event_id, source_id, locator, quote, "
        "credibility, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.citation,
    )
    _many(
        conn,
        "INSERT INTO figure (uuid, event_id, kind, value_min, value_max, qualifier, "
        "citation_id, note, scope, period_edtf, part_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.figure,
    )
    _many(
        conn,
        "INSERT INTO annotation (uuid, event_id, author, created_at, text, passage) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows.annotation,
    )
    _many(
        conn,
        "INSERT INTO verificationentry (event_id, from_status, to_status, reviewer, at, "
        "note) VALUES (?, ?, ?, ?, ?, ?)",
        rows.status,
    )


def write_history(uow: UnitOfWork, plan: Plan) -> None:
    conn = uow.session.connection()
    now = db_ts(uow.now.isoformat())
    _many(
        conn,
        'INSERT INTO importedhistory (origin_catalogue, seq, ts, "user", action, '
        "entity_type, entity_id, before_json, after_json, prev_hash, hash, imported_at, "
        "imported_by, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                h["catalogue"],
                h["seq"],
                h["ts"],
                h["user"],
                h["action"],
                h["entity_type"],
                h["entity_id"],
                h["before_json"],
                h["after_json"],
                h["prev_hash"],
                h["hash"],
                now,
                uow.user_name,
                h.get("signature"),
            )
            for h in plan.history
        ],
    )
    # The keys of other catalogues (never our own, which our log already registers). One
    # row per key: where a file lists a key twice, its earliest registration is kept, the
    # one the signatures were checked against on import (KeyBook), so `check` agrees.
    keys = sorted((k for k in plan.keys if k["catalogue"] != plan.catalogue_id),
                  key=lambda k: int(k["from_seq"]))  # fmt: skip
    _many(
        conn,
        'INSERT INTO importedkey (origin_catalogue, "user", public_key, from_seq) '
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [(k["catalogue"], k["user"], k["public_key"], k["from_seq"]) for k in keys],
    )


def restore_files(files: filestore.FileStore, sources: list[Record]) -> int:
    """Put embedded archived copies into the store (checked against their SHA-256 first).

    Runs inside the transaction but before the commit: a blob without a row after a failure
    is harmless (content-addressed, unreferenced); a row without its blob would not be.
    """
    restored = 0
    for s in sources:
        for a in s["attachments"]:
            if "content_base64" not in a or files.exists(a["sha256"]):
                continue
            files.store_bytes(_decoded(a), "incoming")
            restored += 1
    return restored


def _decoded(att: Record) -> bytes:
    try:
        data = base64.b64decode(att["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise ImportError_(
            _(
                "The embedded copy of '{original_name}' is not valid base64; nothing was imported."
            ).format(original_name=att["original_name"])
        ) from None
    if hashlib.sha256(data).hexdigest() != att["sha256"] or len(data) != att["size"]:
        raise ImportError_(
            _(
                "The embedded copy of '{original_name}' does not match its SHA-256 or size: the "
                "file was altered. Nothing was imported."
            ).format(original_name=att["original_name"])
        )
    return data
