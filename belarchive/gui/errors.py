"""How errors reach people: a dialog with the one-line message and copyable details, a
rotating log file under ``config.log_dir()``, and a crash handler that saves a report."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from belarchive.config import log_dir
from belarchive.errors import BelarchiveError
from belarchive.gui.i18n import tr
from belarchive.security.redaction import RedactWhileSealed, frames_only, sealed_open

log = logging.getLogger("belarchive.gui")
LOG_NAME = "belarchive.log"
_crash_boxes: list[QMessageBox] = []  # parentless boxes must be kept alive


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to a rotating file (1 MiB x 3). Returns its path, or None if the folder is unusable."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=1 << 20, backupCount=3,
                                      encoding="utf-8")  # fmt: skip
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactWhileSealed())  # no plaintext of a sealed catalogue in the file
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return folder / LOG_NAME


def describe(exc: BaseException) -> tuple[str, str]:
    """(one-line message, technical details) for any exception."""
    if isinstance(exc, BelarchiveError):
        # A refusal the user can act on (a rule, bad input, a stale save): its message and
        # whatever detail it carries, never a Python traceback.
        return exc.message, exc.detail or ""
    message = tr("Something went wrong: {error}").format(error=type(exc).__name__)
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return message, "\n\n".join(p for p in (str(exc), trace) if p.strip())


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> QMessageBox:
    """A window-modal error box that does not block the caller (tests can inspect it)."""
    message, detail = describe(exc)
    if not isinstance(exc, BelarchiveError):
        log.error("unexpected error: %s", detail)
    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("belarchive"), message,
                      QMessageBox.StandardButton.Ok, parent)  # fmt: skip
    if detail:
        box.setDetailedText(detail)  # read-only text the user can select and copy
    box.setObjectName("errorBox")
    box.open()
    return box


def write_crash_report(exc_type: type[BaseException], exc: BaseException,
                       tb: TracebackType | None) -> Path | None:  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = log_dir() / f"crash-{stamp}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = (frames_only(exc_type, exc, tb) if sealed_open()
                else "".join(traceback.format_exception(exc_type, exc, tb)))  # fmt: skip
        path.write_text(f"belarchive crash report {stamp}\n\n{text}", encoding="utf-8")
    except OSError:
        return None
    return path


def _excepthook(exc_type: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:  # fmt: skip
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
    report = write_crash_report(exc_type, exc, tb)
    app = QApplication.instance()
    if app is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    where = str(report) if report else tr("(the report could not be saved)")
    box = QMessageBox(QMessageBox.Icon.Critical, tr("belarchive"),
                      tr("An unexpected error occurred. Your saved work is safe.\n"
                         "A report was saved to:\n{path}").format(path=where),
                      QMessageBox.StandardButton.Ok)  # fmt: skip
    box.setDetailedText("".join(traceback.format_exception(exc_type, exc, tb)))
    box.setObjectName("crashBox")
    _crash_boxes.append(box)
    box.open()
    app.setProperty("belarchive_last_crash", where)


def install_crash_handler() -> None:
    sys.excepthook = _excepthook
