"""Re-indexing an edited event reads it by its id, not by walking every current event: on
"deleted = false AND id IN (...)" SQLite chose the (deleted, title) index (8-17 ms an edit
at 100k events). Held here by the query plan, which a timing would not hold reliably."""

from __future__ import annotations

import json

from belarchive.search import documents
from belarchive.services import events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput
from belarchive.storage import dialect


def test_an_edited_event_is_read_by_its_id(catalogue: Catalogue) -> None:
    uuids = [events.create_event(catalogue, "olga", EventInput(title=f"E{i}")).uuid
             for i in range(3)]  # fmt: skip
    with catalogue.reader.connect() as conn:
        docs = documents.load_uuids(conn, uuids[1:])
        by_ids = "id IN (SELECT value FROM json_each(?))"
        sql = documents._EVENTS_SQL.format(event=dialect.not_indexed(conn, "event"), where=by_ids)
        plan = " ".join(str(r[3]) for r in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {sql}", (json.dumps([1, 2]),)))  # fmt: skip
    assert sorted(d.uuid for d in docs) == sorted(uuids[1:])
    assert "ix_event_title" not in plan and "PRIMARY KEY" in plan, plan
