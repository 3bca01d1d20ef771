"""The selection in words, for the cover, the PDF subject and the appendix."""

from __future__ import annotations

from sqlmodel import Session

from belarchive.exporting.pdf.data import place_label
from belarchive.exporting.pdf.i18n import Labels
from belarchive.exporting.pdf.options import CheckedOptions, repression_marked
from belarchive.storage.detail import list_places


def selection_words(
    session: Session, checked: CheckedOptions, L: Labels, tag_labels: dict[str, str]
) -> str:
    """'Repression incidents (Detention, Death, …) · from 1 November 2020 · …'."""
    o = checked.options
    parts: list[str] = []
    if o.template == "incident_log":
        marked = repression_marked(session)
        parts.append(L["f_repression"].format(", ".join(tag_labels.get(k, k) for k in marked)))
    if o.query.strip():
        parts.append(L["f_query"].format(o.query.strip()))
    if checked.tag_keys:
        parts.append(L["f_tags"].format(", ".join(tag_labels.get(k, k) for k in checked.tag_keys)))
    if checked.place_keys:
        names = {p.key: place_label(p, L.lang) for p in list_places(session)}
        parts.append(L["f_places"].format(", ".join(names.get(k, k) for k in checked.place_keys)))
    if checked.date_from:
        parts.append(L["f_from"].format(L.day(checked.date_from)))
    if checked.date_to:
        parts.append(L["f_to"].format(L.day(checked.date_to)))
    if o.verified_only:
        parts.append(L["f_verified_only"])
    elif o.statuses:
        parts.append(L["f_statuses"].format(", ".join(L.status(s) for s in checked.statuses)))
    else:
        parts.append(L["f_rejected_left_out"])
    if not parts or parts == [L["f_rejected_left_out"]]:
        parts.insert(0, L["all_events"])
    text = " · ".join(parts)
    return text[0].upper() + text[1:]
