"""From the editor's form to service inputs: only the fields that changed go into a patch,
so a tags-only edit stays a tags-only edit (it does not count as a substantive change)."""

from __future__ import annotations

from typing import Any

from belarchive.gui.editor.details_tab import DetailsValues
from belarchive.gui.editor.figures_tab import figure_inputs
from belarchive.services.inputs import ActorInput, EventInput, EventPatch, FigureInput
from belarchive.storage.detail import EventDetail


def _actors(values: DetailsValues, before: EventDetail | None) -> tuple[ActorInput, ...]:
    kinds = {a.name: a.kind for a in before.actors} if before else {}
    return tuple(ActorInput(name, role, kinds.get(name, "person")) for name, role in values.actors)


def build_input(values: DetailsValues, figures: tuple[FigureInput, ...]) -> EventInput:
    return EventInput(title=values.title, date=values.date or None,
                      description=values.description, language=values.language,
                      tags=values.tags, places=values.places, actors=_actors(values, None),
                      figures=figures)  # fmt: skip


def build_patch(d: EventDetail, values: DetailsValues,
                figures: tuple[FigureInput, ...]) -> EventPatch:  # fmt: skip
    changes: dict[str, Any] = {}
    if values.title != d.title:
        changes["title"] = values.title
    if values.description != d.description:
        changes["description"] = values.description
    if values.language != d.language:
        changes["language"] = values.language
    if values.date != (d.date_edtf or ""):
        if values.date:
            changes["date"] = values.date
        else:
            changes["clear_date"] = True
    if values.tags != tuple(sorted(d.tags)):
        changes["tags"] = values.tags
    if values.places != tuple(sorted(p.key for p in d.places)):
        changes["places"] = values.places
    if values.actors != tuple(sorted((a.name, a.role) for a in d.actors)):
        changes["actors"] = _actors(values, d)
    if figures != figure_inputs(d.figures):
        changes["figures"] = figures
    return EventPatch(**changes)
