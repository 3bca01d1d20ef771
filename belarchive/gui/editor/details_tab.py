"""The editor's Details tab: title, EDTF date with live validation, language, places, actors,
description and tags (chips completed from the gazetteer and the vocabulary)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from belarchive.domain.edtf_dates import human_reading, parse_date
from belarchive.domain.text import fold
from belarchive.domain.values import LANGUAGES, ActorRole
from belarchive.errors import ValidationError
from belarchive.gui.editor.chips import ChipsEdit
from belarchive.gui.i18n import current_language, tr
from belarchive.search.transliteration import name_keys
from belarchive.storage.detail import EventDetail, PlaceInfo

LANGUAGE_NAMES = {"el": "Ελληνικά (el)", "ru": "Русский (ru)", "be": "Беларуская (be)",
                  "en": "English (en)", "uk": "Українська (uk)", "pl": "Polski (pl)",
                  "und": "—"}  # fmt: skip
ACTOR_SEP = "\t"


@dataclass(frozen=True)
class DetailsValues:
    title: str
    date: str
    language: str
    places: tuple[str, ...]
    actors: tuple[tuple[str, str], ...]
    description: str
    tags: tuple[str, ...]


def role_label(role: str) -> str:
    return {"victim": tr("victim"), "perpetrator": tr("perpetrator"), "speaker": tr("speaker"),
            "organiser": tr("organiser"), "witness": tr("witness"),
            "mentioned": tr("mentioned")}.get(role, role)  # fmt: skip


class Vocabulary:
    """Look-ups for completion: every place name variant in every script, tag labels."""

    def __init__(self) -> None:
        self.place_by_name: dict[str, str] = {}
        self.place_display: dict[str, str] = {}
        self.tag_by_label: dict[str, str] = {}
        self.tag_label: dict[str, str] = {}
        self.actor_by_name: dict[str, str] = {}  # folded name or variant -> the actor's name
        self.actor_by_key: dict[tuple[str, ...], str] = {}  # script-neutral key -> name

    def load_actors(self, actors: list[tuple[str, list[str]]]) -> list[str]:
        """Index the catalogue's actors (name, spelling variants); returns every spelling,
        for completion. A name typed in another script or as a known variant is then the
        same actor, not a new one: "Sviatlana Tsikhanouskaya" is "Светлана Тихановская"."""
        self.actor_by_name.clear()
        self.actor_by_key.clear()
        spellings = []
        for name, variants in actors:
            for spelling in (name, *variants):
                spellings.append(spelling)
                self.actor_by_name.setdefault(fold(spelling), name)
                key = tuple(name_keys(spelling))
                if len(key) >= 2:  # one word alone ("Ivan") is too easily someone else
                    self.actor_by_key.setdefault(key, name)
        return spellings

    def actor(self, typed: str) -> str:
        """The known actor ``typed`` names, else ``typed`` itself (a new actor)."""
        known = self.actor_by_name.get(fold(typed))
        if known is None:
            key = tuple(name_keys(typed))
            known = self.actor_by_key.get(key) if len(key) >= 2 else None
        return known or typed

    def load(self, places: list[PlaceInfo], tags: list[tuple[str, str | None, dict[str, str],
                                                                bool]]) -> None:  # fmt: skip
        lang = current_language()
        for p in places:
            self.place_display[p.key] = p.display_name
            for name in [p.key, p.display_name, *(n for ns in p.names.values() for n in ns)]:
                self.place_by_name[fold(name)] = p.key
        for key, _parent, labels, _rep in tags:
            self.tag_label[key] = labels.get(lang) or labels.get("en") or key
            for name in (key, *labels.values()):
                self.tag_by_label[fold(name)] = key

    def place_names(self, places: list[PlaceInfo]) -> list[str]:
        return [n for p in places for ns in p.names.values() for n in ns] + \
            [p.display_name for p in places]  # fmt: skip


class DetailsTab(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vocab = Vocabulary()
        self.title = QLineEdit(self)
        self.title.setObjectName("titleEdit")
        self.date = QLineEdit(self)
        self.date.setObjectName("dateEdit")
        self.date.setPlaceholderText("2020-11-15, 2020-10~, 2020-11-13/2020-11-15")
        self.date.setToolTip(tr("EDTF date: 2020-11-15 (a day), 2020-10 (a month), 2020-09~ "
                                "(approximate), 2020-11-13/2020-11-15 (a range)"))  # fmt: skip
        self.date_reading = QLabel(self)
        self.date_reading.setObjectName("dateReading")
        self.language = QComboBox(self)
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.places = ChipsEdit(self._resolve_place, lambda k: self.vocab.place_display.get(k, k),
                                tr("Add a place…"), self)  # fmt: skip
        self.places.setObjectName("placesChips")
        # Made in the order they are shown: Qt's Tab order is the order of making.
        hint = tr("Add a person or organisation…")
        self.actors = ChipsEdit(self._resolve_actor, self._actor_display, hint, self)
        self.actor_role = QComboBox(self)
        for role in ActorRole:
            self.actor_role.addItem(role_label(role.value), role.value)
        self.tags = ChipsEdit(self._resolve_tag, lambda k: self.vocab.tag_label.get(k, k),
                              tr("Add a tag…"), self)  # fmt: skip
        self.tags.setObjectName("tagsChips")
        for chips, name in ((self.places, tr("Places")), (self.actors, tr("People and "
                            "organisations")), (self.tags, tr("Tags"))):  # fmt: skip
            chips.setAccessibleName(name)
            chips.entry.setAccessibleName(name)
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("descriptionEdit")
        self.description.setTabChangesFocus(True)  # Tab leaves the field: keyboard users
        self._layout_form()
        for signal in (self.title.textChanged, self.date.textChanged, self.places.changed,
                       self.actors.changed, self.description.textChanged, self.tags.changed,
                       self.language.currentIndexChanged):  # fmt: skip
            signal.connect(self.edited)
        self.date.textChanged.connect(self._check_date)
        self._check_date(self.date.text())

    def _layout_form(self) -> None:
        form = QFormLayout()
        date_box = QVBoxLayout()
        date_box.setSpacing(1)
        date_box.addWidget(self.date)
        date_box.addWidget(self.date_reading)
        actor_row = QHBoxLayout()
        actor_row.addWidget(self.actors, 1)
        actor_row.addWidget(self.actor_role)
        rows: list[tuple[str, Any]] = [
            (tr("&Title"), self.title), (tr("&Date"), date_box), (tr("&Language"), self.language),
            (tr("&Places"), self.places), (tr("&Actors"), actor_row), (tr("Ta&gs"), self.tags),
            (tr("Descripti&on"), self.description),
        ]  # fmt: skip
        for label, field in rows:
            form.addRow(label, field)
        for row, widget in ((0, self.title), (1, self.date), (2, self.language),
                            (3, self.places.entry), (4, self.actors.entry),
                            (5, self.tags.entry), (6, self.description)):  # fmt: skip
            buddy = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            shown = buddy.widget() if buddy else None
            if isinstance(shown, QLabel):
                shown.setBuddy(widget)  # mnemonics (Alt+T...) jump to the field
        self.setLayout(form)

    # -- vocabulary -------------------------------------------------------------------------
    def set_vocabulary(self, places: list[PlaceInfo], tags: list[Any],
                       actors: list[tuple[str, list[str]]]) -> None:  # fmt: skip
        """``actors``: (name, spelling variants) of each actor in the catalogue."""
        self.vocab.load(places, tags)
        self.places.set_completions(self.vocab.place_names(places))
        self.tags.set_completions(list(self.vocab.tag_label.values()))
        self.actors.set_completions(self.vocab.load_actors(actors))

    def _resolve_place(self, text: str) -> str | None:
        return self.vocab.place_by_name.get(fold(text))

    def _resolve_tag(self, text: str) -> str | None:
        return self.vocab.tag_by_label.get(fold(text))

    def _resolve_actor(self, text: str) -> str | None:
        name = self.vocab.actor(" ".join(text.split()))
        return f"{name}{ACTOR_SEP}{self.actor_role.currentData()}" if name else None

    @staticmethod
    def _actor_display(value: str) -> str:
        name, _, role = value.partition(ACTOR_SEP)
        return f"{name} ({role_label(role)})"

    # -- values -----------------------------------------------------------------------------
    def load(self, d: EventDetail | None) -> None:
        self.title.setText(d.title if d else "")
        self.title.setCursorPosition(0)  # show the start of a long title, not its end
        self.date.setText((d.date_edtf or "") if d else "")
        lang = d.language if d else current_default_language()
        self.language.setCurrentIndex(max(0, self.language.findData(lang)))
        self.places.set_values([p.key for p in d.places] if d else [])
        self.actors.set_values([f"{a.name}{ACTOR_SEP}{a.role}" for a in d.actors] if d else [])
        self.description.setPlainText(d.description if d else "")
        self.tags.set_values(list(d.tags) if d else [])

    def values(self) -> DetailsValues:
        actors = tuple(sorted(tuple(v.split(ACTOR_SEP, 1)) for v in self.actors.values()))
        return DetailsValues(
            title=self.title.text().strip(), date=self.date.text().strip(),
            language=str(self.language.currentData()), places=tuple(sorted(self.places.values())),
            actors=actors,  # type: ignore[arg-type]
            description=self.description.toPlainText(), tags=tuple(sorted(self.tags.values())),
        )  # fmt: skip

    def date_problem(self) -> str:
        text = self.date.text().strip()
        if not text:
            return ""
        try:
            parse_date(text)
        except ValidationError as exc:
            return exc.message
        return ""

    def _check_date(self, text: str) -> None:
        problem = self.date_problem()
        self.date.setStyleSheet("QLineEdit { border: 1px solid #b00020; }" if problem else "")
        if problem:
            self.date_reading.setStyleSheet("color: #b00020;")
            self.date_reading.setText(problem)
        elif text.strip():
            self.date_reading.setStyleSheet("color: #3c4043;")
            self.date_reading.setText(human_reading(text.strip(), current_language()))
        else:
            self.date_reading.setStyleSheet("color: #5f6368;")
            self.date_reading.setText(tr("No date: an undated background record."))
        self.date_reading.setWordWrap(True)


def current_default_language() -> str:
    return "el" if current_language() == "el" else "und"
