"""Export events as CSV: one row per event, for spreadsheets and quick analysis.

RFC 4180 (comma, CRLF, double quotes doubled), UTF-8, optionally with a byte-order mark so
Excel reads UTF-8 instead of the local code page. Cells that a spreadsheet would run as a
formula (starting with = + - @, tab or carriage return) get a leading apostrophe: chronicle
text comes from the outside world and may be hostile ("CSV injection").

Figures: for each kind the highest reported lower bound of the incident's own figures —
running totals and parts are left out, as in every total — and its qualifier (the listing's
rule); a range is written "200–300" with an en dash, which no spreadsheet turns into a date.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, cast

from sqlalchemy import Connection

from belarchive.errors import Cancelled
from belarchive.i18n import _
from belarchive.outputs import output_path, write_atomically
from belarchive.services.catalogue import Catalogue
from belarchive.storage import dialect
from belarchive.storage.queries import COUNTED, EventFilter, filtered_uuids

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]

FIGURE_KINDS = ("detained", "killed", "injured", "participants")
COLUMNS = (
    "date",
    "date_earliest",
    "date_latest",
    "title",
    "status",
    *(c for kind in FIGURE_KINDS for c in (kind, f"{kind}_qualifier")),
    "tags",
    "places",
    "actors",
    "sources",
    "language",
    "description",
    "uuid",
)
LIST_SEPARATOR = "; "
RANGE_DASH = "–"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 1000


def neutralise(cell: str) -> str:
    """'=HYPERLINK(...)' → "'=HYPERLINK(...)": shown as text, never run as a formula.

    Text that already starts with apostrophes before a formula character gets one more, so
    that unneutralise() can always tell our apostrophe from the author's.
    """
    return "'" + cell if cell.lstrip("'").startswith(_FORMULA_START) else cell


def unneutralise(cell: str) -> str:
    """The exact inverse of neutralise(), for reading our own exports back."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START):
        return cell[1:]
    return cell


def figure_cell(value_min: int, value_max: int | None) -> str:
    return str(value_min) if value_max is None else f"{value_min}{RANGE_DASH}{value_max}"


def export_csv(
    cat: Catalogue,
    path: Path,
    *,
    uuids: Sequence[str] | None = None,
    bom: bool = False,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
) -> int:
    """Write ``uuids`` (default: every event not deleted) by date; returns the rows written."""
    path = output_path(path, what=_("the export"))
    with cat.reader.connect() as conn, conn.begin():
        f = EventFilter() if uuids is None else EventFilter(uuids=list(uuids), include_deleted=True)
        ordered = filtered_uuids(conn, f, sort="date")

        def write(fh: IO[str]) -> int:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow(COLUMNS)
            for row in _rows(conn, ordered, progress, cancel):
                writer.writerow([neutralise(str(row.get(c, ""))) for c in COLUMNS])
            return len(ordered)

        return write_atomically(path, write, encoding="utf-8-sig" if bom else "utf-8", newline="")


def _rows(
    conn: Connection, uuids: list[str], progress: Progress | None, cancel: CancelFlag | None
) -> Iterator[dict[str, Any]]:
    for start in range(0, len(uuids), CHUNK):
        if cancel and cancel():
            raise Cancelled(_("Export cancelled; no file was written."))
        yield from _chunk(conn, uuids[start : start + CHUNK])
        if progress:
            progress(min(len(uuids), start + CHUNK), len(uuids))


_SQL = """
SELECT e.id, e.uuid, e.date_edtf, e.date_earliest, e.date_latest, e.title, e.status,
    e.language, e.description,
    (SELECT {tags} FROM (SELECT t.key FROM eventtag et JOIN tag t
        ON t.id = et.tag_id WHERE et.event_id = e.id ORDER BY t.key) AS k),
    (SELECT {places} FROM (SELECT p.display_name FROM eventplace ep
        JOIN place p ON p.id = ep.place_id WHERE ep.event_id = e.id ORDER BY p.display_name) AS n),
    (SELECT count(DISTINCT c.source_id) FROM citation c WHERE c.event_id = e.id)
FROM event e WHERE e.uuid IN (SELECT value FROM json_each(?))
"""


def _sql(conn: Connection) -> str:
    return _SQL.format(
        tags=dialect.joined(conn, "key", "; ", ordered=True),
        places=dialect.joined(conn, "display_name", "; ", ordered=True),
    )


def _chunk(conn: Connection, uuids: Sequence[str]) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for found in conn.exec_driver_sql(_sql(conn), (json.dumps(list(uuids)),)).all():
        r = dialect.stored_row(found)
        rows[r[0]] = {
            "uuid": r[1],
            "date": r[2] or "",
            "date_earliest": r[3] or "",
            "date_latest": r[4] or "",
            "title": r[5],
            "status": r[6],
            "language": r[7],
            "description": r[8],
            "tags": r[9] or "",
            "places": r[10] or "",
            "sources": r[11],
            "actors": "",
        }
    ids = json.dumps(list(rows))
    actors: dict[int, list[str]] = {}
    for eid, name, role in conn.exec_driver_sql(
        "SELECT ea.event_id, a.name, ea.role FROM eventactor ea JOIN actor a ON a.id = "
        "ea.actor_id WHERE ea.event_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY a.name, ea.role",
        (ids,),
    ).all():
        actors.setdefault(int(cast(Any, eid)), []).append(f"{name} ({role})")
    best: dict[tuple[int, str], tuple[int, int | None, str]] = {}
    for eid, kind, low, high, qual in conn.exec_driver_sql(
        "SELECT event_id, kind, value_min, value_max, qualifier FROM figure f WHERE event_id IN "
        f"(SELECT value FROM json_each(?)) AND {COUNTED} ORDER BY id",
        (ids,),
    ).all():
        key, low_n = (int(cast(Any, eid)), str(kind)), int(cast(Any, low))
        if kind in FIGURE_KINDS and (key not in best or low_n > best[key][0]):
            best[key] = (low_n, None if high is None else int(cast(Any, high)), str(qual))
    for (eid, kind), (low, high, qual) in best.items():
        rows[eid][kind] = figure_cell(low, high)
        rows[eid][f"{kind}_qualifier"] = qual
    for eid, names in actors.items():
        rows[eid]["actors"] = LIST_SEPARATOR.join(names)
    order = {u: i for i, u in enumerate(uuids)}
    return sorted(rows.values(), key=lambda r: order[r["uuid"]])
