"""What a set of exported events refers to (sources, vocabulary, actors, users) and the
audit history that travels with them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Connection, text

from belarchive.exporting.json_records import IMPORT_ACTION, IN_LIST, Record, json_list, rows
from belarchive.storage import dialect

# Audit entries about these entity types travel with the records (vocabulary, user and
# catalogue entries describe the exporting catalogue, not the records).
HISTORY_ENTITY_TYPES = ("event", "source")


def referenced(conn: Connection, event_uuids: Sequence[str]) -> dict[str, list[str]]:
    """Source uuids, tag keys, place keys and actor uuids that these events use (sorted)."""
    ids = json_list(event_uuids)
    sel = "(SELECT id FROM event WHERE uuid IN (SELECT value FROM json_each(?)))"
    queries = {
        "sources": "SELECT DISTINCT s.uuid FROM citation c JOIN source s ON s.id = c.source_id "
        f"WHERE c.event_id IN {sel}",
        "tags": f"SELECT DISTINCT t.key FROM eventtag et JOIN tag t ON t.id = et.tag_id "
        f"WHERE et.event_id IN {sel}",
        "places": "SELECT DISTINCT p.key FROM eventplace ep JOIN place p ON p.id = ep.place_id "
        f"WHERE ep.event_id IN {sel}",
        "actors": "SELECT DISTINCT a.uuid FROM eventactor ea JOIN actor a ON a.id = ea.actor_id "
        f"WHERE ea.event_id IN {sel}",
    }
    return {k: sorted(r[0] for r in rows(conn, sql, ids)) for k, sql in queries.items()}


# -- history ----------------------------------------------------------------------------------
_HISTORY_COLUMNS = (
    "catalogue",
    "seq",
    "ts",
    "user",
    "action",
    "entity_type",
    "entity_id",
    "before_json",
    "after_json",
    "prev_hash",
    "hash",
    "signature",
)


def iter_history(
    conn: Connection, catalogue_id: str, entity_ids: Sequence[str]
) -> Iterator[Record]:
    """This catalogue's own entries and the history imported with the records, oldest first.

    Ordered by (time, catalogue, sequence number): the same order whichever catalogue the
    entries are read from, which is what makes export → import → export reproduce a file.
    """
    types = json_list(HISTORY_ENTITY_TYPES)
    where = f"entity_type {IN_LIST} AND entity_id IN (SELECT value FROM json_each(?))"
    sql = (
        f'SELECT ? AS catalogue, seq, ts, "user", action, entity_type, entity_id, before_json, '
        f"after_json, prev_hash, hash, signature FROM auditentry WHERE {where} AND action != ? "
        f'UNION ALL SELECT origin_catalogue, seq, ts, "user", action, entity_type, entity_id, '
        f"before_json, after_json, prev_hash, hash, signature FROM importedhistory "
        f"WHERE {where} "
        "ORDER BY ts, catalogue, seq"
    )
    ids = json_list(entity_ids)
    result = conn.exec_driver_sql(sql, (catalogue_id, types, ids, IMPORT_ACTION, types, ids))
    while batch := result.fetchmany(2000):
        for row in batch:
            yield dict(zip(_HISTORY_COLUMNS, row, strict=True))


def referenced_users(
    conn: Connection,
    event_uuids: Sequence[str],
    source_uuids: Sequence[str],
) -> set[str]:
    """Every user name the exported records and their history mention."""
    ev_in, src_in = dialect.keys_in(conn, "ev"), dialect.keys_in(conn, "src")
    in_ev = f"IN (SELECT id FROM event WHERE uuid {ev_in})"
    in_src = f"IN (SELECT id FROM source WHERE uuid {src_in})"
    history = f"entity_type IN ('event', 'source') AND (entity_id {ev_in} OR entity_id {src_in})"
    sql = " UNION ".join(
        [
            f"SELECT created_by FROM event WHERE id {in_ev}",
            f"SELECT updated_by FROM event WHERE id {in_ev}",
            f"SELECT substance_by FROM event WHERE id {in_ev}",
            f"SELECT created_by FROM citation WHERE event_id {in_ev}",
            f"SELECT author FROM annotation WHERE event_id {in_ev}",
            f"SELECT reviewer FROM verificationentry WHERE event_id {in_ev}",
            f"SELECT created_by FROM source WHERE id {in_src}",
            f"SELECT created_by FROM attachment WHERE source_id {in_src}",
            f'SELECT "user" FROM auditentry WHERE {history} AND action != :imp',
            f'SELECT "user" FROM importedhistory WHERE {history}',
        ]
    )
    params = {
        "ev": dialect.keys(conn, event_uuids),
        "src": dialect.keys(conn, source_uuids),
        "imp": IMPORT_ACTION,
    }
    return {r[0] for r in conn.execute(text(sql), params).all()}
