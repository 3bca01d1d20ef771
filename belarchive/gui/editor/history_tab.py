"""The editor's History tab: the event's audit entries with a readable before/after diff."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from belarchive.gui.i18n import tr
from belarchive.storage.detail import AuditInfo

IGNORED = {"uuid", "version"}
MAX_TEXT = 120


def action_label(action: str) -> str:
    return {"event.create": tr("created"), "event.update": tr("edited"),
            "event.tag": tr("tagged"), "event.status": tr("status changed"),
            "event.delete": tr("deleted"), "event.restore": tr("restored"),
            "event.merge": tr("merged"), "annotation.add": tr("note added"),
            "citation.add": tr("source cited"), "event.figures": tr("figures changed"),
            "attachment.add": tr("copy archived")}.get(action, action)  # fmt: skip


def _short(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "∅"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # figures
            return "; ".join(_figure(v) for v in value)
        return ", ".join(" ".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
    text = str(value).replace("\n", " ")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _figure(f: dict[str, Any]) -> str:
    value = f"{f.get('value_min')}" + (f"–{f['value_max']}" if f.get("value_max") else "")
    return f"{f.get('kind')} {value} ({f.get('qualifier')})"


def diff_lines(before_json: str | None, after_json: str | None) -> list[str]:
    """One line per field that differs: 'title: old → new'."""
    before = json.loads(before_json) if before_json else {}
    after = json.loads(after_json) if after_json else {}
    if not before and after and "title" in after:  # creation: list what it asserted
        return [f"{k}: {_short(v)}" for k, v in after.items()
                if k not in IGNORED and v not in (None, "", [])]  # fmt: skip
    lines = []
    for key in sorted(set(before) | set(after)):
        if key in IGNORED or before.get(key) == after.get(key):
            continue
        if key in before:
            lines.append(f"{key}: {_short(before.get(key))} → {_short(after.get(key))}")
        else:
            lines.append(f"{key}: {_short(after.get(key))}")
    return lines


class HistoryTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("auditTree")
        self.tree.setHeaderLabels([tr("When (UTC)"), tr("User"), tr("Action"), tr("Changes")])
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)

    def load(self, entries: list[AuditInfo]) -> None:
        self.tree.clear()
        for entry in reversed(entries):  # newest first: what people look for
            lines = diff_lines(entry.before_json, entry.after_json)
            when = entry.ts.replace("T", " ")[:19]
            summary = lines[0] if len(lines) == 1 else tr("{n} changes").format(n=len(lines))
            item = QTreeWidgetItem(self.tree, [when, entry.user, action_label(entry.action),
                                               summary if lines else ""])  # fmt: skip
            item.setToolTip(3, "\n".join(lines))
            if len(lines) > 1:
                for line in lines:
                    QTreeWidgetItem(item, ["", "", "", line])
        for column in range(3):
            self.tree.resizeColumnToContents(column)
