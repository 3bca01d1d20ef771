"""Verification decisions for many events in one transaction (benchmark set-up only).

The services decide one event per transaction; building a 100k catalogue that way takes
minutes, so this helper applies the same rules (``domain.rules.can_transition``) and
writes the same rows and audit entries as ``services.verification.set_status`` in bulk.
A target several steps away (unverified -> verified) goes through in_review first, as a
reviewer would have to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from belarchive.domain import rules
from belarchive.domain.values import Role, Status
from belarchive.errors import NotFoundError, PermissionDenied
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change
from belarchive.services.uow import UnitOfWork

Decision = tuple[str, str, str]  # event uuid, target status, note


def set_status_bulk(cat: Catalogue, user: str, decisions: Sequence[Decision]) -> Change:
    with cat.write(user) as uow:
        _apply(uow, decisions)
    assert uow.result is not None
    return uow.result


def _load(uow: UnitOfWork, uuids: list[str]) -> dict[str, tuple[int, str, int, str, int]]:
    """uuid -> (id, status, version, substance_by, citation count)."""
    sql = (
        "SELECT e.uuid, e.id, e.status, e.version, e.substance_by, "
        "(SELECT count(*) FROM citation c WHERE c.event_id = e.id) FROM event e "
        "WHERE e.uuid IN (SELECT value FROM json_each(?))"
    )
    rows = uow.session.connection().exec_driver_sql(sql, (json.dumps(uuids),))
    return {r[0]: (int(r[1]), str(r[2]), int(r[3]), str(r[4]), int(r[5])) for r in rows}


def _path(target: Status) -> list[Status]:
    return [Status.IN_REVIEW] if target == Status.IN_REVIEW else [Status.IN_REVIEW, target]


def _apply(uow: UnitOfWork, decisions: Sequence[Decision]) -> None:
    known = _load(uow, [d[0] for d in decisions])
    now = uow.now.strftime("%Y-%m-%d %H:%M:%S.%f")
    history: list[tuple[Any, ...]] = []
    updates: list[tuple[Any, ...]] = []
    for uuid, target, note in decisions:
        if uuid not in known:
            raise NotFoundError(f"No event with id {uuid}.")
        eid, status, version, substance_by, n_citations = known[uuid]
        for step in _path(Status(target)):
            decision = rules.can_transition(
                current=Status(status),
                target=step,
                role=Role(uow.user.role),
                user=uow.user_name,
                substance_by=substance_by,
                citation_count=n_citations,
                note=note,
            )
            if not decision.allowed:
                raise PermissionDenied(f"{uuid}: {decision.reason}")
            history.append((eid, status, step.value, uow.user_name, now, note))
            uow.record(
                "event.status",
                "event",
                uuid,
                before={"status": status},
                after={"status": step.value, "note": note},
            )
            status, version = step.value, version + 1
        updates.append((status, version, uow.user_name, now, eid))
        uow.change.events.add(uuid)
    conn = uow.session.connection()
    conn.exec_driver_sql(
        "INSERT INTO verificationentry (event_id, from_status, to_status, "
        "reviewer, at, note) VALUES (?,?,?,?,?,?)",
        history,
    )
    conn.exec_driver_sql(
        "UPDATE event SET status=?, version=?, updated_by=?, updated_at=? WHERE id=?", updates
    )
