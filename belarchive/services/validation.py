"""Turning user input into checked values, with messages that name what is wrong."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

from belarchive.domain.values import (
    CREDIBILITY_RANGE,
    ActorRole,
    FigureKind,
    FigureScope,
    Qualifier,
    Reliability,
    SourceKind,
)
from belarchive.errors import ValidationError
from belarchive.i18n import _, number

if TYPE_CHECKING:
    from belarchive.domain.edtf_dates import DateBounds

MAX_TITLE = 500
MAX_TEXT = 1_000_000
_USER_NAME = re.compile(r"^[\w.\- ]{1,64}$", re.UNICODE)


def user_name(name: str) -> str:
    """A user name with its spaces tidied, or ValidationError."""
    cleaned = " ".join(name.split())
    if not _USER_NAME.match(cleaned):
        raise ValidationError(
            _(
                "'{name}' is not a usable user name (letters, digits, . - _ and spaces, up "
                "to 64 characters)."
            ).format(name=name)
        )
    return cleaned


def title(value: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise ValidationError(_("The title is empty; every record needs a short title."))
    if len(cleaned) > MAX_TITLE:
        raise ValidationError(
            _(
                "The title is {n} characters long; the limit is {limit}. Put the rest in the "
                "description."
            ).format(n=len(cleaned), limit=MAX_TITLE)
        )
    return cleaned


def text(value: str, what: str) -> str:
    if len(value) > MAX_TEXT:
        raise ValidationError(
            _("The {what} is longer than {limit} characters.").format(
                what=what, limit=number(MAX_TEXT)
            )
        )
    return value.replace("\x00", "")


def edtf(value: str | None) -> DateBounds | None:
    # The EDTF parser loads in ~40 ms: only commands that read dates pay for it.
    from belarchive.domain.edtf_dates import parse_date

    return None if value is None or not value.strip() else parse_date(value)


E = TypeVar("E", FigureKind, Qualifier, ActorRole, SourceKind, Reliability, FigureScope)


def enum_value(enum: type[E], value: object, what: str) -> E:
    try:
        return enum(str(value).strip())
    except ValueError:
        options = ", ".join(m.value for m in enum)
        raise ValidationError(
            _("'{value}' is not a {what}; choose one of: {options}.").format(
                value=value, what=what, options=options
            )
        ) from None


# Far above any count of people, far below what the database can store (2^63).
MAX_FIGURE = 1_000_000_000


def _whole_number(value: object) -> int:
    """A count as an int; digits of other scripts ("١٢٣") are read as ASCII digits."""
    if isinstance(value, str):
        from belarchive.domain.edtf_dates import ascii_digits

        value = ascii_digits(value.strip())
    return int(cast(Any, value))


def figure_values(value_min: object, value_max: object) -> tuple[int, int | None]:
    try:
        low = _whole_number(value_min)
        high = None if value_max in (None, "") else _whole_number(value_max)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(
            _("A figure must be a whole number, not '{value}'.").format(value=value_min)
        ) from None
    if low > MAX_FIGURE or (high is not None and high > MAX_FIGURE):
        raise ValidationError(
            _(
                "A figure of {n} is larger than any count of people (at most {limit}); "
                "check the number."
            ).format(n=number(max(low, high or 0)), limit=number(MAX_FIGURE))
        )
    if low < 0 or (high is not None and high < 0):
        raise ValidationError(_("A figure cannot be negative."))
    if high is not None and high < low:
        raise ValidationError(
            _("The figure range {low}–{high} has its minimum above its maximum.").format(
                low=low, high=high
            )
        )
    if high == low:
        high = None
    return low, high


_PERIOD_SIDE = re.compile(r"^(?:\.\.|\d{4}(?:-\d{2}(?:-\d{2})?)?)$")


def figure_scope(scope: object, period: object) -> tuple[str, str | None]:
    """A checked (scope, period EDTF). A period figure may leave its period unknown."""
    checked = enum_value(FigureScope, scope or FigureScope.INCIDENT, _("figure scope"))
    if checked is FigureScope.INCIDENT:
        if period not in (None, ""):
            raise ValidationError(
                _("A figure of the incident itself has no period; use scope 'period'.")
            )
        return checked.value, None
    if period in (None, ""):
        return checked.value, None
    text = str(period).strip()
    sides = text.split("/") if "/" in text else [text]
    if len(sides) > 2 or sides == ["..", ".."] or not all(map(_period_side, sides)):
        raise ValidationError(
            _(
                "'{text}' is not a period: write it as EDTF, e.g. 2020-08-09/2020-11-03 or "
                "../2020-11-03."
            ).format(text=text)
        )
    return checked.value, text


def _period_side(side: str) -> bool:
    """One end of a period: "..", or a real year, month or day ("2020-13-40" is not)."""
    if side == "..":
        return True
    if not _PERIOD_SIDE.match(side):
        return False
    from belarchive.domain.edtf_dates import parse_date

    try:
        parse_date(side)
    except ValidationError:
        return False
    return True


def credibility(value: object) -> int:
    try:
        grade = int(cast(Any, value))
    except (TypeError, ValueError):
        grade = -1
    if grade not in CREDIBILITY_RANGE:
        raise ValidationError(
            _("Credibility must be 1 (confirmed) to 6 (cannot be judged), not '{value}'.").format(
                value=value
            )
        )
    return grade


def iso_day(value: str | None, what: str) -> date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(
            _("The {what} '{value}' is not a date like 2020-11-15.").format(what=what, value=value)
        ) from None


def url(value: str) -> str:
    cleaned = (value or "").strip()
    if cleaned and not cleaned.lower().startswith(("http://", "https://", "file:", "urn:")):
        raise ValidationError(
            _("'{url}' does not look like a web address (http:// or https://).").format(url=cleaned)
        )
    return cleaned


def language(value: str | None) -> str:
    cleaned = (value or "und").strip().lower()
    if not cleaned.isalpha() or not 2 <= len(cleaned) <= 3:
        raise ValidationError(
            _("'{value}' is not a language code such as el, ru, be or en.").format(value=value)
        )
    return cleaned
