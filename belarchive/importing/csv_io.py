"""Import events from a CSV file with a column mapping: preview first, then all good rows.

``mapping`` maps our fields to the file's column headers, e.g. ``{"title": "Headline",
"date": "Date", "detained": "Arrests"}``; fields it leaves out are found by header name
(our own export's headers and common English, Russian and Greek ones, see csv_values);
a field mapped to ``""`` is not read at all, even if a column has its name.
Row numbers are spreadsheet row numbers: the header is row 1, the first record row 2.

Bad rows are listed with their number and reason and left out; the good rows are written
in one transaction through services.bulk, so either all of them land or (error, cancel)
none do. Encoding detection is the chronicle importer's ``decode_text``.
"""

from __future__ import annotations

import csv
import io
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from belarchive.errors import BelarchiveError, ImportError_
from belarchive.exporting.csv_io import unneutralise
from belarchive.i18n import _, ngettext
from belarchive.importing.chronicle.decoding import decode_text
from belarchive.importing.csv_values import (
    FIELDS,
    FIGURE_KINDS,
    IGNORED,
    field_for,
    header_key,
    parse_actors,
    parse_date_cell,
    parse_figure_cell,
    parse_qualifier,
    split_list,
)
from belarchive.services import validation
from belarchive.services.bulk import insert_events
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, FigureInput
from belarchive.services.vocabulary import find_place, find_tag
from belarchive.storage.filestore import hash_file

MAX_CSV_BYTES = 100 * 1024 * 1024
Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class CsvRow:
    number: int  # spreadsheet row number (the header is row 1)
    event: EventInput | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CsvPreview:
    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    mapping: dict[str, str]  # our field → the file's header it is read from
    unused: tuple[str, ...]  # headers nothing is read from
    rows: tuple[CsvRow, ...]

    @property
    def good(self) -> list[CsvRow]:
        return [r for r in self.rows if r.event is not None]

    @property
    def bad_rows(self) -> list[tuple[int, str]]:
        return [(r.number, r.error or "") for r in self.rows if r.event is None]


@dataclass(frozen=True, slots=True)
class CsvPeek:
    """The header and first records as they are, for a column-mapping screen."""

    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    mapping: dict[str, str]  # our field → header, recognised by name (may lack a title)
    sample: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class CsvImportResult:
    created: list[str]  # uuids of the events created, in row order
    bad_rows: list[tuple[int, str]]  # (row number, reason), rows left out


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str, bytes]:
    """(text, encoding, raw bytes); refuses oversized, binary, empty and undecodable files."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise ImportError_(
                _(
                    "'{name}' is too large ({size} MB); CSV files up to {limit} MB can be "
                    "imported. Split it into smaller files."
                ).format(
                    name=path.name, size=round(size / 2**20), limit=round(MAX_CSV_BYTES / 2**20)
                )
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(
            _("Cannot read '{name}': {reason}.").format(name=path.name, reason=exc.strerror or exc)
        ) from exc
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportError_(
            _(
                "'{name}' is not a CSV text file (it looks like a binary file such as a "
                "spreadsheet workbook); save it as CSV first."
            ).format(name=path.name)
        )
    decoded = decode_text(data, encoding, max_bytes=MAX_CSV_BYTES)
    return decoded.text, decoded.encoding, data


def _delimiter(text: str) -> str:
    """Comma unless the header line has more semicolons or tabs (Excel in many locales)."""
    first = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))


def _records(text: str, delimiter: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        yield from reader
    except csv.Error as exc:
        problem = _("a quoted cell is never closed") if "end of data" in str(exc) else str(exc)
        raise ImportError_(
            _("The CSV file is malformed near line {n}: {problem}. Nothing was imported.").format(
                n=reader.line_num, problem=problem
            )
        ) from None


def _columns(headers: list[str], mapping: dict[str, str] | None) -> dict[str, int]:
    counts = Counter(h for h in headers if h)
    twice = sorted(h for h, n in counts.items() if n > 1)
    if twice:
        raise ImportError_(
            ngettext("The file has the column {names} more than once; rename it so each "
                     "column is distinct.",
                     "The file has the columns {names} more than once; rename them so each "
                     "column is distinct.", len(twice))
            .format(names=", ".join(repr(h) for h in twice))
        )  # fmt: skip
    by_key = {header_key(h): i for i, h in enumerate(headers) if h}
    chosen: dict[str, int] = {}
    left_out: set[str] = set()
    for field, header in (mapping or {}).items():
        if field not in FIELDS:
            raise ImportError_(
                _("'{field}' is not a field the importer knows; use one of: {fields}.").format(
                    field=field, fields=", ".join(FIELDS)
                )
            )
        if not header:
            left_out.add(field)
            continue
        index = headers.index(header) if header in headers else by_key.get(header_key(header))
        if index is None:
            raise ImportError_(
                _(
                    "The mapping names the column '{header}', which the file does not have; its "
                    "columns are: {columns}."
                ).format(header=header, columns=", ".join(headers))
            )
        chosen[field] = index
    for i, h in enumerate(headers):
        guessed = field_for(h)
        if (
            guessed
            and guessed not in chosen
            and guessed not in left_out
            and i not in chosen.values()
        ):
            chosen[guessed] = i
    if "title" not in chosen:
        raise ImportError_(
            _('No column for the event title was found (columns: {columns}); give a mapping '
              'such as {example}.').format(columns=", ".join(headers),
                                           example='{"title": "Headline"}')
        )  # fmt: skip
    return chosen


def peek_csv(path: Path, encoding: str | None = None, rows: int = 5) -> CsvPeek:
    """Headers, the fields recognised by name and the first ``rows`` records (no parsing)."""
    text, used_encoding, _chars = read_text(path, encoding)
    delimiter = _delimiter(text)
    records = _records(text, delimiter)
    headers = tuple(h.strip() for h in next(records, []))
    sample: list[tuple[str, ...]] = []
    for cells in records:
        if len(sample) >= rows:
            break
        if any(c.strip() for c in cells):
            sample.append(tuple(cells))
    mapping: dict[str, str] = {}
    for h in headers:
        field = field_for(h) if h else None
        if field and field not in mapping:
            mapping[field] = h
    return CsvPeek(used_encoding, delimiter, headers, mapping, tuple(sample))


def preview_csv(
    path: Path, mapping: dict[str, str] | None = None, encoding: str | None = None
) -> CsvPreview:
    """Every row parsed to an EventInput, or the reason it cannot be (no catalogue needed)."""
    text, used_encoding, _chars = read_text(path, encoding)
    delimiter = _delimiter(text)
    records = _records(text, delimiter)
    headers = [h.strip() for h in next(records, [])]
    if not any(headers):
        raise ImportError_(_("The CSV file has no header row (the first line names the columns)."))
    columns = _columns(headers, mapping)
    rows = [
        _row(number, cells, columns, len(headers))
        for number, cells in enumerate(records, start=2)
        if any(c.strip() for c in cells)
    ]
    if not rows:
        raise ImportError_(_("The CSV file has a header but no rows; nothing to import."))
    used = set(columns.values())
    ignored = {header_key(h) for h in IGNORED}
    unused = tuple(
        h for i, h in enumerate(headers) if h and i not in used and header_key(h) not in ignored
    )
    return CsvPreview(
        used_encoding,
        delimiter,
        tuple(headers),
        {f: headers[i] for f, i in columns.items()},
        unused,
        tuple(rows),
    )


def _row(number: int, cells: list[str], columns: dict[str, int], width: int) -> CsvRow:
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return CsvRow(
            number,
            None,
            f"the row has {len(cells)} cells but the header names "
            f"{width} columns (a comma inside an unquoted cell?)",
        )
    values = {
        f: unneutralise(cells[i].strip()) if i < len(cells) else "" for f, i in columns.items()
    }
    try:
        return CsvRow(number, _event(values))
    except BelarchiveError as exc:
        return CsvRow(number, None, exc.message)


def _event(v: dict[str, str]) -> EventInput:
    figures: list[FigureInput] = []
    for kind in FIGURE_KINDS:
        parsed = parse_figure_cell(v.get(kind, ""))
        if parsed is not None:
            low, high, symbol = parsed
            qualifier = parse_qualifier(v.get(f"{kind}_qualifier", "")) or symbol or "exact"
            figures.append(FigureInput(kind, low, high, qualifier))
    return EventInput(
        title=validation.title(v.get("title", "")),
        date=parse_date_cell(v.get("date", "")),
        description=validation.text(v.get("description", ""), _("description")),
        language=validation.language(v.get("language") or None),
        tags=split_list(v.get("tags", "")),
        places=split_list(v.get("places", "")),
        actors=parse_actors(v.get("actors", "")),
        figures=tuple(figures),
        uuid=_uuid(v.get("uuid", "")),
    )


def _uuid(cell: str) -> str | None:
    """A given id keeps an event's identity across catalogues; it must be a real UUID."""
    if not cell:
        return None
    try:
        return str(uuidlib.UUID(cell))
    except ValueError:
        raise ImportError_(
            _(
                "'{cell}' is not an event id (a UUID such as 0b9f6c1e-5a8e-4c1b-9a51-2f1e0c9d7a10)."
            ).format(cell=cell)
        ) from None


def import_csv(
    cat: Catalogue,
    user: str,
    path: Path,
    mapping: dict[str, str] | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    *,
    strict: bool = False,
    rows: Collection[int] | None = None,
) -> CsvImportResult:
    """Import the good rows in one transaction; bad rows come back with their reasons.

    ``strict``: if any row is bad, import nothing and raise ImportError_ listing them.
    ``rows``: only these row numbers (as in the preview; e.g. the ones a person accepted).
    """
    preview = preview_csv(path, mapping, encoding)
    if rows is not None:
        wanted = set(rows)
        preview = replace(preview, rows=tuple(r for r in preview.rows if r.number in wanted))
    good, bad = _resolve(cat, preview)
    if strict and bad:
        listed = "; ".join(f"row {n}: {why.rstrip('.')}" for n, why in bad[:20])
        raise ImportError_(
            ngettext(
                "{n} row cannot be imported, so nothing was (strict mode): {rows}.",
                "{n} rows cannot be imported, so nothing was (strict mode): {rows}.",
                len(bad),
            ).format(n=len(bad), rows=listed),
            detail="\n".join(f"row {n}: {why}" for n, why in bad),
        )
    if not good:
        return CsvImportResult([], bad)
    sha256 = hash_file(Path(path))  # streamed: the file may be large
    with cat.write(user) as uow:
        created = insert_events(
            uow, [r.event for r in good if r.event], progress=progress, cancel=cancel
        )
        uow.record(
            "import.csv",
            "import",
            sha256,
            after={
                "file": Path(path).name,
                "encoding": preview.encoding,
                "mapping": preview.mapping,
                "created": len(created),
                "bad_rows": len(bad),
                **({"rows_chosen": len(preview.rows)} if rows is not None else {}),
            },
        )
    return CsvImportResult(created, bad)


def check_rows(cat: Catalogue, preview: CsvPreview) -> CsvPreview:
    """The preview with rows naming unknown tags or places (or an existing id) made bad,
    with the reason, as import_csv would find them now."""
    good, bad = _resolve(cat, preview)
    why = dict(bad)
    ok = {r.number for r in good}
    rows = tuple(r if r.number in ok else CsvRow(r.number, None, why.get(r.number, r.error))
                 for r in preview.rows)  # fmt: skip
    return replace(preview, rows=rows)


def _resolve(cat: Catalogue, preview: CsvPreview) -> tuple[list[CsvRow], list[tuple[int, str]]]:
    """Tags and places by key, label or any name → keys; rows naming unknown ones are bad."""
    bad = preview.bad_rows
    good: list[CsvRow] = []
    seen_uuids: set[str] = set()
    with cat.session() as session:
        tags: dict[str, str | BelarchiveError] = {}
        places: dict[str, str | BelarchiveError] = {}
        existing = {r[0] for r in session.connection().exec_driver_sql("SELECT uuid FROM event")}
        for row in preview.good:
            event = row.event
            assert event is not None
            try:
                if event.uuid and (event.uuid in existing or event.uuid in seen_uuids):
                    raise ImportError_(
                        _("an event with id {id} already exists").format(id=event.uuid)
                    )
                keyed = replace(
                    event,
                    tags=tuple(
                        _key(tags, t, lambda n: find_tag(session, n).key) for t in event.tags
                    ),
                    places=tuple(
                        _key(places, p, lambda n: find_place(session, n).key) for p in event.places
                    ),
                )
            except BelarchiveError as exc:
                bad.append((row.number, exc.message))
                continue
            seen_uuids.add(event.uuid or "")
            good.append(replace(row, event=keyed))
    return good, sorted(bad)


def _key(cache: dict[str, str | BelarchiveError], name: str, find: Callable[[str], str]) -> str:
    if name not in cache:
        try:
            cache[name] = find(name)
        except BelarchiveError as exc:
            cache[name] = exc
    found = cache[name]
    if isinstance(found, BelarchiveError):
        raise found
    return found
