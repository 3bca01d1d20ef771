"""The editor's History tab: the event's audit entries in words — each field by its name in
the interface language, old → new, statuses and roles as the window names them, dates as
people say them — and entries imported from another catalogue marked with their origin."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from belarchive.domain.edtf_dates import human_reading
from belarchive.domain.values import QUALIFIER_SYMBOL, Qualifier
from belarchive.gui.editor.details_tab import role_label
from belarchive.gui.editor.figures_tab import kind_label
from belarchive.gui.i18n import current_language, tr
from belarchive.gui.models.event_table import status_label
from belarchive.storage.detail import AuditInfo

# Bookkeeping every entry carries, or values derived from another field (the date's bounds).
IGNORED = {"uuid", "version", "date_earliest", "date_latest", "citation"}
MAX_TEXT = 120


def action_label(action: str) -> str:
    return {"event.create": tr("created"), "event.update": tr("edited"),
            "event.tag": tr("tagged"), "event.status": tr("status changed"),
            "event.delete": tr("deleted"), "event.restore": tr("restored"),
            "event.merge": tr("merged"), "annotation.add": tr("note added"),
            "citation.add": tr("source cited"), "event.figures": tr("figures changed"),
            "attachment.add": tr("copy archived")}.get(action, action)  # fmt: skip


def field_label(key: str) -> str:
    return {"title": tr("Title"), "description": tr("Description"), "language": tr("Language"),
            "date_edtf": tr("Date"), "status": tr("Status"), "tags": tr("Tags"),
            "places": tr("Places"), "actors": tr("People and organisations"),
            "figures": tr("Figures"), "deleted": tr("Withdrawn"), "reason": tr("Reason"),
            "note": tr("Note"), "merged_into": tr("Merged into"), "citation": tr("Citation"),
            "source": tr("Source"), "quote": tr("Quoted passage"),
            "locator": tr("Where in the source"), "credibility": tr("Credibility"),
            "text": tr("Text"), "passage": tr("Passage")}.get(key, key)  # fmt: skip


def _nothing(value: Any) -> bool:
    return value is None or value == "" or value == []


def clip(text: str, size: int = MAX_TEXT) -> str:
    """One line of at most ``size`` characters, an ellipsis where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _figure(f: dict[str, Any]) -> str:
    low, high = f.get("value_min"), f.get("value_max")
    value = f"{low}–{high}" if high else f"{low}"
    try:
        symbol = QUALIFIER_SYMBOL.get(Qualifier(f.get("qualifier", "")), "")
    except ValueError:
        symbol = ""
    running = tr(" (running total)") if f.get("scope") == "period" else ""
    return f"{kind_label(str(f.get('kind')))} {symbol}{value}{running}"


def _actor(value: Any) -> str:
    if isinstance(value, list) and len(value) == 2:
        return f"{value[0]} ({role_label(str(value[1]))})"
    return str(value)


class Words:
    """Turns a field's recorded value into what the window calls it."""

    def __init__(self, tag_labels: dict[str, str] | None = None) -> None:
        self.tag_labels = tag_labels or {}
        self.readers: dict[str, Callable[[Any], str]] = {
            "status": lambda v: status_label(str(v)),
            "date_edtf": lambda v: human_reading(str(v), current_language()),
            "deleted": lambda v: tr("yes") if v else tr("no"),
            "tags": lambda v: ", ".join(self.tag_labels.get(t, t) for t in v),
            "actors": lambda v: "; ".join(_actor(a) for a in v),
            "figures": lambda v: "; ".join(_figure(f) for f in v if isinstance(f, dict)),
            "source": lambda v: f"{str(v)[:8]}…",  # an id: its first characters suffice
        }

    def value(self, key: str, value: Any) -> str:
        if _nothing(value):
            return "∅"
        reader = self.readers.get(key)
        if reader is not None:
            return clip(reader(value))
        if isinstance(value, list):
            return clip(", ".join(" ".join(map(str, v)) if isinstance(v, list) else str(v)
                                   for v in value))  # fmt: skip
        return clip(str(value))

    def diff(self, before_json: str | None, after_json: str | None) -> list[str]:
        """One line per field that differs: 'Title: old → new'."""
        before = json.loads(before_json) if before_json else {}
        after = json.loads(after_json) if after_json else {}
        if not before and after and "title" in after:  # creation: list what it asserted
            return [f"{field_label(k)}: {self.value(k, v)}" for k, v in after.items()
                    if k not in IGNORED and not _nothing(v)]  # fmt: skip
        lines = []
        for key in sorted(set(before) | set(after), key=_field_order):
            if key in IGNORED or before.get(key) == after.get(key):
                continue
            new = self.value(key, after.get(key))
            if key not in before and _nothing(after.get(key)):
                continue  # an empty note that came with a status change says nothing
            if key in before:
                lines.append(f"{field_label(key)}: {self.value(key, before[key])} → {new}")
            else:
                lines.append(f"{field_label(key)}: {new}")
        return lines


_ORDER = ("title", "date_edtf", "status", "places", "tags", "actors", "figures", "language",
          "description", "deleted", "reason", "note")  # fmt: skip


def _field_order(key: str) -> tuple[int, str]:
    return (_ORDER.index(key) if key in _ORDER else len(_ORDER), key)


def when_in_words(ts: str) -> str:
    """'2026-12-07T03:37:12Z' as the interface language writes a date and time (UTC)."""
    moment = QDateTime.fromString(ts[:19], "yyyy-MM-ddTHH:mm:ss")
    if not moment.isValid():
        return ts.replace("T", " ")[:19]
    return QLocale().toString(moment, "d MMM yyyy, HH:mm")


class HistoryTab(QWidget):
    """One row per entry (when, who, what), its changes beneath it, one per line across the
    whole width: the editor is narrow, and a fourth column for the changes was off-screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("auditTree")
        self.tree.setHeaderLabels([tr("When (UTC)"), tr("User"), tr("Action")])
        self.tree.header().setStretchLastSection(True)
        self.tree.setWordWrap(True)
        self.words = Words()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)

    def set_tag_labels(self, labels: dict[str, str]) -> None:
        self.words = Words(labels)

    def load(self, entries: list[AuditInfo]) -> None:
        self.tree.clear()
        for entry in reversed(entries):  # newest first: what people look for
            lines = self.words.diff(entry.before_json, entry.after_json)
            user = entry.user
            if entry.origin is not None:
                origin = entry.origin[:8]
                user = tr("{user} (catalogue {origin})").format(user=user, origin=origin)
            item = QTreeWidgetItem(self.tree, [when_in_words(entry.ts), user,
                                               action_label(entry.action)])  # fmt: skip
            item.setToolTip(0, "\n".join(lines))
            item.setData(0, Qt.ItemDataRole.UserRole, entry.seq)
            if entry.origin is not None:
                item.setToolTip(1, tr("Written in another catalogue ({origin}) and imported "
                                      "with this event.").format(origin=entry.origin))  # fmt: skip
                for column in range(3):
                    item.setForeground(column, self.palette().placeholderText())
            for line in lines:
                change = QTreeWidgetItem(item, [line])
                change.setToolTip(0, line)
                change.setFirstColumnSpanned(True)
            item.setExpanded(True)
        for column in range(2):
            self.tree.resizeColumnToContents(column)
