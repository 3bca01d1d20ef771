"""Reading spreadsheet cells: dates in common forms, figures, qualifiers, lists, headers.

Pure functions; each raises ValidationError with a short reason that the importer puts
next to the row number.
"""

from __future__ import annotations

import re
from datetime import date

from belarchive.domain.edtf_dates import parse_date
from belarchive.domain.text import fold
from belarchive.domain.values import QUALIFIER_SYMBOL, ActorRole, Qualifier
from belarchive.errors import ValidationError
from belarchive.i18n import _
from belarchive.services.inputs import ActorInput

FIGURE_KINDS = ("detained", "killed", "injured", "participants")

# Header names we recognise (compared folded: case, accents and punctuation ignored).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": (
        "title",
        "headline",
        "event",
        "name",
        "название",
        "заголовок",
        "событие",
        "τίτλος",
        "γεγονός",
        "τιτλος",
    ),
    "date": ("date", "edtf", "when", "day", "дата", "когда", "ημερομηνία", "πότε"),
    "description": (
        "description",
        "text",
        "summary",
        "details",
        "описание",
        "текст",
        "περιγραφή",
        "κείμενο",
    ),
    "language": ("language", "lang", "язык", "γλώσσα"),
    "tags": (
        "tags",
        "tag",
        "type",
        "category",
        "теги",
        "метки",
        "тип",
        "категория",
        "ετικέτες",
        "κατηγορία",
        "τύπος",
    ),
    "places": (
        "places",
        "place",
        "location",
        "city",
        "место",
        "места",
        "город",
        "τόπος",
        "τοποθεσία",
        "πόλη",
        "μέρος",
    ),
    "actors": ("actors", "people", "persons", "лица", "персоны", "πρόσωπα"),
    "uuid": ("uuid", "id"),
    "detained": (
        "detained",
        "arrests",
        "arrested",
        "detentions",
        "задержано",
        "задержания",
        "задержанные",
        "задержанных",
        "συλλήψεις",
        "κρατούμενοι",
        "προσαγωγές",
        "συλληφθέντες",
    ),
    "killed": ("killed", "deaths", "dead", "погибшие", "погибло", "убито", "νεκροί", "θάνατοι"),
    "injured": ("injured", "wounded", "ранено", "раненые", "пострадавшие", "τραυματίες"),
    "participants": (
        "participants",
        "attendance",
        "crowd",
        "участники",
        "участников",
        "συμμετέχοντες",
        "διαδηλωτές",
    ),
}
for _kind in FIGURE_KINDS:
    SYNONYMS[f"{_kind}_qualifier"] = (f"{_kind}_qualifier", f"{_kind} qualifier")
FIELDS = tuple(SYNONYMS)
# Columns of our own export that the importer reads on purpose as nothing: derived values
# (date bounds, source count) and the status, which a new event never starts with.
IGNORED = ("date_earliest", "date_latest", "status", "sources")

_QUALIFIER_WORDS: dict[str, Qualifier] = {
    **{fold(q.value.replace("_", " ")): q for q in Qualifier},
    **{fold(q.value): q for q in Qualifier},
    **{s: q for q, s in QUALIFIER_SYMBOL.items() if s},
    "about": Qualifier.APPROXIMATELY,
    "около": Qualifier.APPROXIMATELY,
    "περίπου": Qualifier.APPROXIMATELY,
    "не менее": Qualifier.AT_LEAST,
    "τουλάχιστον": Qualifier.AT_LEAST,
    "более": Qualifier.MORE_THAN,
    "πάνω από": Qualifier.MORE_THAN,
    "до": Qualifier.UP_TO,
    ">=": Qualifier.AT_LEAST,
    "<=": Qualifier.UP_TO,
    "≈": Qualifier.APPROXIMATELY,
}
_FIGURE = re.compile(
    r"^(>=|<=|[~≈≥>≤])?\s*(\d[\d\s.,\u00a0\u202f]*?)\s*(?:[-–—]\s*(\d[\d\s.,\u00a0\u202f]*))?$"
)
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_YMD = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[./](\d{4})$")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def header_key(header: str) -> str:
    """'Arrests (total)' and 'arrests' compare equal; so do 'Συλλήψεις' and 'συλληψεις'."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(header).replace("_", " ")).split())


_LOOKUP = {header_key(s): field for field, names in SYNONYMS.items() for s in names}


def field_for(header: str) -> str | None:
    return _LOOKUP.get(header_key(header))


def parse_date_cell(cell: str) -> str | None:
    """EDTF as is; 15.11.2020, 15/11/2020, 15-11-2020 (day first), 2020/11/15, 11.2020."""
    text = _TIME_SUFFIX.sub("", cell.strip())  # "2020-11-15 00:00:00" from a spreadsheet
    if not text:
        return None
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3))):
        m = pattern.match(text)
        if m:
            y, mo, d = (int(m.group(i)) for i in order)
            try:
                return date(y, mo, d).isoformat()
            except ValueError:
                raise ValidationError(_("'{cell}' is not a real date.").format(cell=cell)) from None
    m = _MY.match(text)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{int(m.group(2)):04d}-{int(m.group(1)):02d}"
    try:
        return parse_date(text).edtf
    except ValidationError:
        raise ValidationError(
            _(
                "'{cell}' is not a date (use 2020-11-15, 15.11.2020, 15/11/2020 or an EDTF date "
                "such as 2020-10~)."
            ).format(cell=cell)
        ) from None


def _number(text: str, cell: str) -> int:
    digits = re.sub(r"[\s.,\u00a0\u202f]", "", text)
    # "1.5" or "2,5" is not a head count; "1 000", "1,000" and "1.000" are.
    groups = re.split(r"[\s.,\u00a0\u202f]+", text.strip())
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        raise ValidationError(_("'{cell}' is not a whole number.").format(cell=cell))
    return int(digits)


def parse_figure_cell(cell: str) -> tuple[int, int | None, Qualifier | None] | None:
    """'340' → (340, None, None); '≥340' → (340, None, at_least); '200–300' → (200, 300, None)."""
    text = cell.strip()
    if not text:
        return None
    m = _FIGURE.match(text)
    if not m:
        raise ValidationError(
            _("'{cell}' is not a figure (a number such as 340, ≥340, ~200 or 200–300).").format(
                cell=cell
            )
        )
    low = _number(m.group(2), cell)
    high = _number(m.group(3), cell) if m.group(3) else None
    if high is not None and high < low:
        raise ValidationError(
            _("The figure range '{cell}' has its minimum above its maximum.").format(cell=cell)
        )
    return low, high, _QUALIFIER_WORDS.get(m.group(1)) if m.group(1) else None


def parse_qualifier(cell: str) -> Qualifier | None:
    text = cell.strip()
    if not text:
        return None
    found = _QUALIFIER_WORDS.get(text) or _QUALIFIER_WORDS.get(fold(text))
    if found is None:
        options = ", ".join(q.value for q in Qualifier)
        raise ValidationError(
            _("'{cell}' is not a qualifier; use one of: {options}.").format(
                cell=cell, options=options
            )
        )
    return found


def split_list(cell: str) -> tuple[str, ...]:
    """'detention; protest' or 'detention, protest' → ('detention', 'protest')."""
    return tuple(p.strip() for p in re.split(r"[;,]", cell) if p.strip())


_ACTOR = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_ROLES = frozenset(r.value for r in ActorRole)


def parse_actors(cell: str) -> tuple[ActorInput, ...]:
    """'Λουκασένκο (perpetrator); Вясна (speaker)'; a name without a role is 'mentioned'."""
    out: list[ActorInput] = []
    for part in (p.strip() for p in cell.split(";")):
        if not part:
            continue
        m = _ACTOR.match(part)
        if m and m.group(2).strip().lower() in _ROLES:
            out.append(ActorInput(m.group(1), m.group(2).strip().lower()))
        else:
            out.append(ActorInput(part))
    return tuple(out)
