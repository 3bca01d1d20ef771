"""Import a belarchive-json file: all or nothing, never overwriting, history kept.

Steps: read (size-checked before reading), parse, check every field (json_schema), then in
one write transaction plan what is new, identical (skipped) or conflicting (refused, with
the list), and write. The original audit entries go to ``importedhistory`` untouched;
this catalogue's own chain gets one ``import.json`` entry per record created plus one for
the file, so ``services.audit.verify_chain`` still verifies.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from belarchive.domain.models import ImportRecord
from belarchive.domain.values import Role
from belarchive.errors import ImportError_, PermissionDenied
from belarchive.exporting.json_records import IMPORT_ACTION, iso_ts
from belarchive.i18n import _
from belarchive.importing import json_rows, json_schema
from belarchive.importing.json_plan import JsonConflictError, make_plan
from belarchive.importing.json_trust import reviewers_here, withhold_trust
from belarchive.security import exchange
from belarchive.security.keys import Signer
from belarchive.services.catalogue import Catalogue

__all__ = [
    "MAX_JSON_BYTES",
    "JsonConflictError",
    "JsonImportResult",
    "import_json",
    "read_document",
]

MAX_JSON_BYTES = 150 * 1024 * 1024
Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class JsonImportResult:
    created: dict[str, int]  # per section: users, tags, places, actors, sources, events, history
    skipped: dict[str, int]  # identical records (or existing vocabulary/users) left as they were
    event_uuids: list[str]  # the events created, in file order
    files_restored: int  # archived copies written from the file's embedded content
    origin_catalogue: str
    # Events whose decided status the file could not justify here (json_trust.py).
    arrived_unverified: tuple[str, ...] = ()
    # People the file names who have the same name as a user here, and are taken to be them.
    # Their history from the file keeps its own signing keys (imported history), but a
    # reader sees one name: the import says whom it took to be the same person.
    same_names: tuple[str, ...] = ()


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects as dicts, refusing a repeated key (json.loads would keep the last one)."""
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise DuplicateKey(key)
        obj[key] = value
    return obj


def read_document(
    path: Path, *, max_bytes: int = MAX_JSON_BYTES, signer: Signer | None = None
) -> tuple[dict[str, Any], str]:
    """The checked document and the file's SHA-256; ImportError_ if unusable. A file
    encrypted for a recipient (security.exchange) is opened with ``signer``'s key."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportError_(
                _(
                    "'{name}' is too large ({size} MB); JSON files up to {limit} MB can be "
                    "imported. Export a smaller selection."
                ).format(name=path.name, size=round(size / 2**20), limit=round(max_bytes / 2**20))
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(
            _("Cannot read '{name}': {reason}.").format(name=path.name, reason=exc.strerror or exc)
        ) from exc
    if exchange.is_encrypted(data[:64]):
        if signer is None:
            raise ImportError_(
                _(
                    "'{name}' is encrypted for a recipient: import it while signed in as that user."
                ).format(name=path.name)
            )
        data = exchange.decrypt(data, signer, path.name)
    if not data or data.isspace():  # isspace() scans without copying 100 MB
        raise ImportError_(_("'{name}' is empty; nothing was imported.").format(name=path.name))
    try:
        parsed = json.loads(data.decode("utf-8-sig"), object_pairs_hook=_unique_keys)
    except DuplicateKey as exc:
        raise ImportError_(
            _(
                "'{name}' gives the key '{key}' twice in one object, so which value counts is "
                "unclear; nothing was imported."
            ).format(name=path.name, key=exc.key)
        ) from None
    except UnicodeDecodeError:
        raise ImportError_(
            _(
                "'{name}' is not UTF-8 text, so it is not a belarchive-json file; nothing was "
                "imported."
            ).format(name=path.name)
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportError_(
            _("'{name}' is not valid JSON (line {line}, column {column}: {reason}); nothing "
              "was imported.").format(name=path.name, line=exc.lineno, column=exc.colno,
                                      reason=exc.msg)
        ) from None  # fmt: skip
    except RecursionError:
        raise ImportError_(
            _(
                "'{name}' is nested too deeply to be a belarchive-json file; nothing was imported."
            ).format(name=path.name)
        ) from None
    return json_schema.document(parsed), hashlib.sha256(data).hexdigest()


def import_json(
    cat: Catalogue,
    user: str,
    path: Path,
    *,
    progress: Progress | None = None,
    cancel: CancelFlag | None = None,
    max_bytes: int = MAX_JSON_BYTES,
) -> JsonImportResult:
    """Import ``path`` as ``user``; raises ImportError_ (JsonConflictError for conflicts)."""
    doc, sha256 = read_document(path, max_bytes=max_bytes, signer=cat.signer_for(user))
    origin = str(doc["header"].get("catalogue_id", ""))
    with cat.write(user) as uow:
        conn = uow.session.connection()
        plan = make_plan(conn, doc, cat.catalogue_id)
        if plan.conflicts:
            raise JsonConflictError(plan.conflicts)
        _team_may_take_users(cat, uow.user.role, plan.users)
        untrusted = withhold_trust(plan.events, reviewers_here(conn), uow.user_name,
                                   iso_ts(uow.now) or "")  # fmt: skip
        json_rows.write_vocabulary(uow, plan)
        json_rows.write_actors_and_sources(uow, plan)
        json_rows.write_events(uow, plan, progress, cancel)
        json_rows.write_history(uow, plan)
        restored = json_rows.restore_files(cat.files, doc["sources"])
        created = {name: len(getattr(plan, name)) for name in json_schema.SECTIONS}
        uow.session.add(
            ImportRecord(
                sha256=sha256,
                kind="json",
                original_name=Path(path).name,
                imported_at=uow.now,
                imported_by=uow.user_name,
                event_count=created["events"],
            )
        )
        uow.record(
            IMPORT_ACTION,
            "import",
            sha256,
            after={
                "file": Path(path).name,
                "from_catalogue": origin,
                "created": created,
                "skipped": plan.skipped,
                "files_restored": restored,
            },
        )
    fresh = {str(u["name"]) for u in plan.users}
    same = tuple(sorted({str(u["name"]) for u in doc["users"]} - fresh))
    return JsonImportResult(
        created, dict(plan.skipped), [e["uuid"] for e in plan.events], restored, origin,
        tuple(untrusted), same,
    )  # fmt: skip


def _team_may_take_users(cat: Catalogue, role: str, users: list[dict[str, Any]]) -> None:
    """On a team catalogue the members are the server's roles, which only admins manage:
    people a file names who are not members arrive as inactive accounts, by an admin."""
    if not cat.is_team or not users or role == Role.ADMIN.value:
        return
    names = ", ".join(sorted(str(u["name"]) for u in users))
    raise PermissionDenied(
        _(
            "This file names people who are not members of the team catalogue ({names}); "
            "only a team admin may import it (they arrive as inactive accounts). Nothing was "
            "imported."
        ).format(names=names)
    )
