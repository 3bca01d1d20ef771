"""Checking a belarchive-json document before anything is written.

Each record is checked field by field and returned in exactly the shape the exporter
writes (see exporting/json_records.py), so an incoming record can be compared with the
catalogue's own copy. A problem raises ImportError_ naming where it is
(``events[12].figures[0].value_min``) and what is wrong.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from belarchive.domain.values import (
    ActorRole,
    FigureKind,
    Qualifier,
    Reliability,
    Role,
    SourceKind,
    Status,
)
from belarchive.errors import BelarchiveError, ImportError_
from belarchive.exporting.json_io import FORMAT, VERSION
from belarchive.exporting.json_records import iso_ts
from belarchive.i18n import _
from belarchive.services import audit, validation

# Version 1 had no signatures and no public keys; its history is imported as unsigned.
READABLE_VERSIONS = frozenset({1, VERSION})
_HEX_KEY = re.compile(r"[0-9a-f]{64}")

Record = dict[str, Any]
SECTIONS = ("users", "tags", "places", "actors", "sources", "events", "history")
_SHA = re.compile(r"^[0-9a-f]{64}$")


class Bad(Exception):
    """A problem in one field; turned into ImportError_ with the field's path."""


def fail(where: str, problem: str) -> ImportError_:
    where = where or _("the file")
    return ImportError_(
        _(
            "The file is not a usable belarchive-json file: {where}: {problem} Nothing was "
            "imported."
        ).format(where=where, problem=problem)
    )


class Obj:
    """Typed access to one JSON object with the path used in messages."""

    def __init__(self, value: Any, where: builtins.str) -> None:
        if not isinstance(value, dict):
            raise fail(where, _("expected an object, found {found}.").format(found=_kind(value)))
        self.value, self.where = value, where

    def at(self, key: builtins.str) -> builtins.str:
        """The path of a field of this object, as messages show it (``events[12].title``)."""
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: builtins.str) -> Any:
        if key not in self.value:
            raise fail(self.where, _("the field '{key}' is missing.").format(key=key))
        return self.value[key]

    def _typed(
        self,
        key: builtins.str,
        types: tuple[type, ...],
        what: builtins.str,
        *,
        null: builtins.bool = False,
    ) -> Any:
        value = self._get(key)
        if value is None and null:
            return None
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            raise fail(
                self.at(key),
                _("expected {what}, found {found}.").format(what=what, found=_kind(value)),
            )
        return value

    def str(
        self, key: builtins.str, *, null: builtins.bool = False, empty: builtins.bool = True
    ) -> Any:
        value = self._typed(key, (str,), _("text"), null=null)
        if value is not None and not empty and not value.strip():
            raise fail(self.at(key), _("is empty."))
        return value

    def int(
        self, key: builtins.str, *, null: builtins.bool = False, minimum: builtins.int | None = None
    ) -> Any:
        value = self._typed(key, (int,), _("a whole number"), null=null)
        if value is not None and not -(2**63) <= value < 2**63:
            raise fail(
                self.at(key),
                _("the number {value} is too large to be stored.").format(value=value),
            )
        if value is not None and minimum is not None and value < minimum:
            raise fail(
                self.at(key),
                _("must be at least {minimum}, not {value}.").format(minimum=minimum, value=value),
            )
        return value

    def float(self, key: builtins.str) -> builtins.float | None:
        value = self._typed(key, (int, float), _("a number"), null=True)
        return None if value is None else float(value)

    def bool(self, key: builtins.str) -> builtins.bool:
        return bool(self._typed(key, (bool,), _("true or false")))

    def list(self, key: builtins.str) -> builtins.list[Any]:
        return list(self._typed(key, (list,), _("a list")))

    def dict(self, key: builtins.str) -> builtins.dict[builtins.str, Any]:
        return dict(self._typed(key, (dict,), _("an object")))

    def ts(self, key: builtins.str) -> builtins.str:
        raw = self.str(key)
        try:
            return str(iso_ts(datetime.fromisoformat(raw)))
        except ValueError:
            raise fail(
                self.at(key),
                _("'{raw}' is not a date and time like 2020-11-15T10:00:00Z.").format(raw=raw),
            ) from None

    def enum(self, key: builtins.str, enum: type[StrEnum]) -> builtins.str:
        raw: builtins.str = self.str(key)
        if raw not in {m.value for m in enum}:
            options = ", ".join(m.value for m in enum)
            raise fail(
                self.at(key),
                _("'{raw}' is not one of: {options}.").format(raw=raw, options=options),
            )
        return raw

    def checked(self, key: builtins.str, check: Callable[[Any], Any]) -> Any:
        """Apply one of the services' validators, keeping its message."""
        try:
            return check(self._get(key))
        except BelarchiveError as exc:
            raise fail(self.at(key), exc.message) from None
        except (TypeError, AttributeError):
            raise fail(
                self.at(key), _("unexpected {found}.").format(found=_kind(self._get(key)))
            ) from None

    def items(self, key: builtins.str) -> builtins.list[Obj]:
        return [Obj(v, self.at(f"{key}[{i}]")) for i, v in enumerate(self.list(key))]

    def strings(self, key: builtins.str) -> builtins.list[builtins.str]:
        values = self.list(key)
        for i, v in enumerate(values):
            if not isinstance(v, str):
                raise fail(
                    self.at(f"{key}[{i}]"),
                    _("expected text, found {found}.").format(found=_kind(v)),
                )
        return values


def _kind(value: Any) -> str:
    names = {
        dict: _("an object"),
        list: _("a list"),
        str: _("text"),
        bool: _("true/false"),
        int: _("a number"),
        float: _("a number"),
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def document(data: Any) -> dict[str, list[Record] | Record]:
    """The checked document: header plus each section as a list of canonical records."""
    top = Obj(data, "")
    if top.value.get("format") != FORMAT:
        raise ImportError_(
            _(
                'This is not a belarchive-json file (its "format" is {format}, expected '
                "'{expected}'); nothing was imported."
            ).format(format=repr(top.value.get("format")), expected=FORMAT)
        )
    version = top.int("version")
    if version not in READABLE_VERSIONS:
        newer = _(" (written by a newer belarchive)") if version > VERSION else ""
        raise ImportError_(
            _(
                "This belarchive-json file has version {version}{newer}; this program reads "
                "version {readable}. Nothing was imported."
            ).format(version=version, newer=newer, readable=VERSION)
        )
    header = Obj(top.dict("header"), "header")
    out: dict[str, Any] = {"header": top.dict("header"), "public_keys": public_keys(header)}
    checkers = {
        "users": user,
        "tags": tag,
        "places": place,
        "actors": actor,
        "sources": source,
        "events": event,
        "history": history,
    }
    for name in SECTIONS:
        out[name] = [checkers[name](item) for item in top.items(name)]
    return out


def user(o: Obj) -> Record:
    return {"name": o.str("name", empty=False), "role": o.enum("role", Role)}


def tag(o: Obj) -> Record:
    labels = o.dict("labels")
    if not all(isinstance(v, str) for v in labels.values()):
        raise fail(o.at("labels"), _("every label must be text."))
    return {
        "key": o.str("key", empty=False),
        "parent": o.str("parent", null=True),
        "labels": labels,
        "repression": o.bool("repression"),
        "seeded": o.bool("seeded"),
    }


def place(o: Obj) -> Record:
    names = o.dict("names")
    if not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in names.values()):
        raise fail(o.at("names"), _("names must map a language to a list of names."))
    return {
        "key": o.str("key", empty=False),
        "kind": o.str("kind"),
        "parent_key": o.str("parent_key", null=True),
        "lat": o.float("lat"),
        "lon": o.float("lon"),
        "names": names,
        "display_name": o.str("display_name"),
    }


def actor(o: Obj) -> Record:
    return {
        "uuid": o.str("uuid", empty=False),
        "name": o.str("name", empty=False),
        "kind": o.str("kind"),
        "variants": o.strings("variants"),
        "protected": o.bool("protected"),
    }


def source(o: Obj) -> Record:
    return {
        "uuid": o.str("uuid", empty=False),
        "kind": o.enum("kind", SourceKind),
        "title": o.checked("title", validation.title),
        "author": o.str("author"),
        "publisher": o.str("publisher"),
        "url": o.checked("url", validation.url),
        "published": o.checked("published", _edtf_or_none),
        "accessed": o.checked("accessed", _day_or_none),
        "language": o.checked("language", validation.language),
        "reliability": o.enum("reliability", Reliability),
        "created_by": o.str("created_by", empty=False),
        "created_at": o.ts("created_at"),
        "attachments": [attachment(a) for a in o.items("attachments")],
    }


def attachment(o: Obj) -> Record:
    sha = o.str("sha256")
    if not _SHA.match(sha):
        raise fail(o.at("sha256"), _("is not a SHA-256 (64 lower-case hex digits)."))
    out = {
        "uuid": o.str("uuid", empty=False),
        "sha256": sha,
        "size": o.int("size", minimum=0),
        "media_type": o.str("media_type"),
        "original_name": o.str("original_name"),
        "captured_at": o.ts("captured_at"),
        "created_by": o.str("created_by", empty=False),
    }
    if "content_base64" in o.value:
        out["content_base64"] = o.str("content_base64")
    return out


def _edtf_or_none(value: Any) -> str | None:
    bounds = validation.edtf(value)
    return bounds.edtf if bounds else None


def _day_or_none(value: Any) -> str | None:
    day = validation.iso_day(value, "date")
    return day.isoformat() if day else None


def event(o: Obj) -> Record:
    bounds = o.checked("date_edtf", validation.edtf)
    o.str("date_earliest", null=True)  # derived: recomputed from the EDTF date
    o.str("date_latest", null=True)
    citations = [citation(c) for c in o.items("citations")]
    cited = {c["uuid"] for c in citations}
    return {
        "uuid": o.str("uuid", empty=False),
        "title": o.checked("title", validation.title),
        "description": o.checked("description", lambda v: validation.text(v, _("description"))),
        "language": o.checked("language", validation.language),
        "date_edtf": bounds.edtf if bounds else None,
        "date_earliest": bounds.earliest.isoformat() if bounds else None,
        "date_latest": bounds.latest.isoformat() if bounds else None,
        "status": o.enum("status", Status),
        "version": o.int("version", minimum=1),
        "created_by": o.str("created_by", empty=False),
        "created_at": o.ts("created_at"),
        "updated_by": o.str("updated_by", empty=False),
        "updated_at": o.ts("updated_at"),
        "substance_by": o.str("substance_by", empty=False),
        "deleted": o.bool("deleted"),
        "merged_into": o.str("merged_into", null=True),
        "tags": sorted(set(o.strings("tags"))),
        "places": sorted(set(o.strings("places"))),
        "actors": sorted(
            (
                {"actor": a.str("actor", empty=False), "role": a.enum("role", ActorRole)}
                for a in o.items("actors")
            ),
            key=lambda a: (a["actor"], a["role"]),
        ),
        "citations": citations,
        "figures": _figures(o, cited),
        "annotations": [annotation(a) for a in o.items("annotations")],
        "verification": [status_change(v) for v in o.items("verification")],
    }


def citation(o: Obj) -> Record:
    return {
        "uuid": o.str("uuid", empty=False),
        "source": o.str("source", empty=False),
        "locator": o.str("locator"),
        "quote": o.str("quote"),
        "credibility": o.checked("credibility", _credibility),
        "created_by": o.str("created_by", empty=False),
        "created_at": o.ts("created_at"),
    }


def _credibility(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ImportError_(
            _("expected a whole number 1–6, found {found}.").format(found=_kind(value))
        )
    return validation.credibility(value)


def _figures(event: Obj, cited: set[str]) -> list[Record]:
    """The event's figures; a figure may be part only of another figure of the same event."""
    figures = [figure(f, cited) for f in event.items("figures")]
    own = {f["uuid"] for f in figures}
    for k, f in enumerate(figures):
        if f["part_of"] is not None and (f["part_of"] not in own or f["part_of"] == f["uuid"]):
            problem = _("{figure} is not another figure of this event.")
            raise fail(event.at(f"figures[{k}].part_of"), problem.format(figure=f["part_of"]))
    return figures


def figure(o: Obj, cited: set[str]) -> Record:
    low, high = o.int("value_min"), o.int("value_max", null=True)
    try:
        checked_low, checked_high = validation.figure_values(low, high)
    except BelarchiveError as exc:
        raise fail(o.where, exc.message) from None
    cit = o.str("citation", null=True)
    if cit is not None and cit not in cited:
        raise fail(
            o.at("citation"),
            _("{citation} is not one of this event's citations.").format(citation=cit),
        )
    # Files written before figure scopes (schema v5) have none: their figures are incidents.
    try:
        scope, period = validation.figure_scope(
            o.value.get("scope") or "incident", o.value.get("period")
        )
    except BelarchiveError as exc:
        raise fail(o.at("scope"), exc.message) from None
    part_of = o.value.get("part_of")
    if part_of is not None and not isinstance(part_of, str):
        raise fail(o.at("part_of"), _("expected a figure id (text) or null."))
    return {
        "scope": scope,
        "period": period,
        "part_of": part_of,
        "uuid": o.str("uuid", empty=False),
        "kind": o.enum("kind", FigureKind),
        "value_min": checked_low,
        "value_max": checked_high,
        "qualifier": o.enum("qualifier", Qualifier),
        "citation": cit,
        "note": o.str("note"),
    }


def annotation(o: Obj) -> Record:
    return {
        "uuid": o.str("uuid", empty=False),
        "author": o.str("author", empty=False),
        "created_at": o.ts("created_at"),
        "text": o.str("text"),
        "passage": o.str("passage"),
    }


def status_change(o: Obj) -> Record:
    return {
        "from_status": o.enum("from_status", Status),
        "to_status": o.enum("to_status", Status),
        "reviewer": o.str("reviewer", empty=False),
        "at": o.ts("at"),
        "note": o.str("note"),
    }


def history(o: Obj) -> Record:
    entry = {
        "catalogue": o.str("catalogue", empty=False),
        "seq": o.int("seq", minimum=1),
        "ts": o.str("ts"),
        "user": o.str("user"),
        "action": o.str("action"),
        "entity_type": o.str("entity_type"),
        "entity_id": o.str("entity_id"),
        "before_json": o.str("before_json", null=True),
        "after_json": o.str("after_json", null=True),
        "prev_hash": o.str("prev_hash"),
        "hash": o.str("hash"),
        # Version 2: the author's signature of the hash (checked against public_keys).
        "signature": o.str("signature", null=True) if "signature" in o.value else None,
    }
    # Entries travel verbatim, so each one's hash can still be recomputed: an entry edited
    # in the file (or on the way) is refused rather than carried into another archive.
    digest = audit.entry_hash(
        entry["prev_hash"],
        entry["seq"],
        entry["ts"],
        entry["user"],
        entry["action"],
        entry["entity_type"],
        entry["entity_id"],
        entry["before_json"],
        entry["after_json"],
    )
    if digest != entry["hash"]:
        raise fail(
            o.where,
            _(
                "history entry {seq} of catalogue {catalogue} does not match its hash: it was "
                "altered after it was written."
            ).format(seq=entry["seq"], catalogue=entry["catalogue"]),
        )
    return entry


def public_keys(header: Obj) -> list[Record]:
    """The keys the history's signatures need (version 2; none in version 1)."""
    if "public_keys" not in header.value:
        return []
    keys = []
    for item in header.items("public_keys"):
        key = {
            "catalogue": item.str("catalogue", empty=False),
            "user": item.str("user", empty=False),
            "public_key": item.str("public_key", empty=False),
            "from_seq": item.int("from_seq", minimum=1),
        }
        if not _HEX_KEY.fullmatch(key["public_key"]):
            raise fail(item.at("public_key"), _("is not an Ed25519 public key (64 hex digits)."))
        keys.append(key)
    return keys
