"""Merging the selected events: which one is kept, and whose title, date, description and
language survive. What moves and what stays is said before anything is done."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.edtf_dates import human_reading
from belarchive.gui.editor.history_tab import clip
from belarchive.gui.i18n import current_language, tr
from belarchive.storage.detail import EventDetail

MAX_EVENTS = 20


def field_value(d: EventDetail, field: str) -> str:
    if field == "date":
        return human_reading(d.date_edtf, current_language()) if d.date_edtf else "—"
    if field == "language":
        from belarchive.gui.editor.details_tab import LANGUAGE_NAMES

        return LANGUAGE_NAMES.get(d.language, d.language)
    return clip(str(getattr(d, field) or "—"), 70)


def default_keep(details: list[EventDetail]) -> EventDetail:
    """The best-documented record (most citations), then the oldest."""
    return max(details, key=lambda d: (len(d.citations), -d.created_at.timestamp()))


class MergeDialog(QDialog):
    def __init__(self, details: list[EventDetail], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mergeDialog")
        self.setWindowTitle(tr("Merge the selected events"))
        self.details = details
        what = QLabel(tr("These {n} records become one event. Everything they assert moves to "
                         "the one kept: citations with their sources, figures each with its "
                         "source, tags, places and people. The others are withdrawn and marked "
                         "as merged into it; their histories stay. A merge is not undone by "
                         "Undo.").format(n=len(details)), self)  # fmt: skip
        what.setWordWrap(True)
        self.keep = QComboBox(self)
        self.keep.setObjectName("mergeKeep")
        for d in details:
            label = tr("{title} (sources: {n})").format(title=clip(d.title, 60),
                                                      n=len(d.citations))  # fmt: skip
            self.keep.addItem(label, d.uuid)
        self.keep.setCurrentIndex(details.index(default_keep(details)))
        self.fields: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow(tr("&Keep:"), self.keep)
        names = {"title": tr("&Title:"), "date": tr("&Date:"),
                 "description": tr("D&escription:"), "language": tr("&Language:")}  # fmt: skip
        for field, name in names.items():
            box = QComboBox(self)
            box.setObjectName(f"merge_{field}")
            form.addRow(name, box)
            self.fields[field] = box
        self.keep.currentIndexChanged.connect(lambda _i: self._fill())
        self._fill()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Merge"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.setMinimumWidth(max(520, what.fontMetrics().averageCharWidth() * 70))
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _fill(self) -> None:
        """Each field offers every distinct value; the kept event's is chosen first."""
        keep = self.kept()
        ordered = [keep] + [d.uuid for d in self.details if d.uuid != keep]
        by_uuid = {d.uuid: d for d in self.details}
        for field, box in self.fields.items():
            box.clear()
            seen: set[str] = set()
            for uuid in ordered:
                value = field_value(by_uuid[uuid], field)
                if value not in seen:
                    seen.add(value)
                    box.addItem(value, uuid)
            box.setEnabled(box.count() > 1)

    def kept(self) -> str:
        return str(self.keep.currentData())

    def others(self) -> list[str]:
        return [d.uuid for d in self.details if d.uuid != self.kept()]

    def take(self) -> dict[str, str]:
        """Field -> the event whose value survives (only where it is not the kept one's)."""
        keep = self.kept()
        chosen = {field: str(box.currentData()) for field, box in self.fields.items()}
        return {field: uuid for field, uuid in chosen.items() if uuid != keep}
