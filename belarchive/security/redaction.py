"""What logs and crash reports may keep while a sealed catalogue is open: no plaintext.

A log file and a crash report live outside the catalogue folder, in the clear. An error's
message can quote what a person typed or recorded (a name searched for, a title refused),
so while any sealed catalogue is open in this process, log records and crash reports keep
only where and what kind of failure it was: the logger, the level, the exception's type
and the code frames (file, line, function), never messages or arguments. Keys and
passphrases are never logged at all (they have no ``repr``: see ``keys.Signer``).
"""

from __future__ import annotations

import logging
import threading
import traceback
from pathlib import Path
from types import TracebackType

_OPEN: dict[Path, int] = {}
_GUARD = threading.Lock()
WITHHELD = "(details withheld while a sealed catalogue is open)"


def sealed_opened(folder: Path) -> None:
    with _GUARD:
        _OPEN[folder] = _OPEN.get(folder, 0) + 1


def sealed_closed(folder: Path) -> None:
    with _GUARD:
        left = _OPEN.get(folder, 0) - 1
        if left > 0:
            _OPEN[folder] = left
        else:
            _OPEN.pop(folder, None)


def sealed_open() -> bool:
    return bool(_OPEN)


def frames_only(
    exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
) -> str:
    """A traceback without any message: the frames, then the exception types of the chain."""
    lines = ["Traceback (most recent call last):"]
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    seen = exc
    kinds = [exc_type.__name__ if exc_type else "Exception"]
    while seen is not None and (seen.__cause__ or seen.__context__) is not None:
        seen = seen.__cause__ or seen.__context__
        kinds.append(type(seen).__name__)
    lines.append(f"{' <- '.join(kinds)}: {WITHHELD}")
    return "\n".join(lines)


class RedactWhileSealed(logging.Filter):
    """A logging filter for handlers that write outside the catalogue (the log file)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not sealed_open():
            return True
        record.msg = f"{record.name}: {WITHHELD}"
        record.args = ()
        if record.exc_info:
            exc_type, exc, tb = record.exc_info
            record.exc_text = frames_only(exc_type, exc, tb)
            record.exc_info = None
        record.stack_info = None
        return True
