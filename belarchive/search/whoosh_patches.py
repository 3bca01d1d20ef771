"""One targeted fix to Whoosh, applied on import of the search package.

While writing a segment, Whoosh asks for the length of a field once per posting; for a
field without lengths (every non-scorable field: folded, xkey, tag, place...) it does not
remember that the column is absent and calls ``os.stat`` again each time: 300,000 stat
calls per 3,000 events, a third of a commit. Remembering the absence changes nothing else.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3

_PATCHED = "_belarchive_patched"


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


def apply() -> None:
    cls = whoosh3.W3PerDocReader
    if not getattr(cls, _PATCHED, False):
        cls._cached_reader = _cached_reader
        setattr(cls, _PATCHED, True)
