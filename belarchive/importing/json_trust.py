"""A file can bring events in, but not trust: decided statuses must pass this catalogue's rules.

An event that arrives verified, disputed or rejected keeps that status only when the file
carries the decision that made it — the last verification entry — taken by a reviewer this
catalogue already knew (a reviewer or admin here before the import; accounts the same file
creates do not count) who is not the event's last substantive editor (four eyes), with at
least one citation for *verified* and a reason for *disputed* or *rejected*. Otherwise the
event arrives unverified, a verification entry by the importing user says why, and the
import report lists it. Once users sign their decisions, the decision must also be signed
by a key this catalogue trusts (not yet: see issue 10).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from belarchive.domain.values import Role, Status

Record = dict[str, Any]
DECIDED = frozenset({Status.VERIFIED.value, Status.DISPUTED.value, Status.REJECTED.value})
REVIEWING_ROLES = frozenset({Role.REVIEWER.value, Role.ADMIN.value})


def reviewers_here(conn: Connection) -> set[str]:
    """Active reviewers and admins of this catalogue, before anything is imported."""
    rows = conn.exec_driver_sql('SELECT name, role, active FROM "user"').all()
    return {str(name) for name, role, active in rows if active and role in REVIEWING_ROLES}


def why_untrusted(e: Record, reviewers: set[str]) -> str:
    """The reason a decided status cannot be taken over, or "" when it can."""
    decisions = [v for v in e["verification"] if v["to_status"] == e["status"]]
    if not decisions or e["verification"][-1]["to_status"] != e["status"]:
        return f"the file gives the status '{e['status']}' without the decision that made it"
    last = decisions[-1]
    if last["reviewer"] not in reviewers:
        return f"'{last['reviewer']}' is not a reviewer of this catalogue"
    if last["reviewer"] == e["substance_by"]:
        return f"'{last['reviewer']}' decided on their own edit (four eyes)"
    if e["status"] == Status.VERIFIED.value and not e["citations"]:
        return "it is verified without any citation"
    if e["status"] != Status.VERIFIED.value and not last["note"].strip():
        return f"it is {e['status']} without a reason"
    return ""


def withhold_trust(events: list[Record], reviewers: set[str], user: str, now: str) -> list[str]:
    """Downgrade untrusted decided statuses in place; the report's lines, one per event."""
    report = []
    for e in events:
        if e["status"] not in DECIDED:
            continue
        reason = why_untrusted(e, reviewers)
        if not reason:
            continue
        e["verification"] = [*e["verification"], {
            "from_status": e["status"], "to_status": Status.UNVERIFIED.value,
            "reviewer": user, "at": now, "note": f"Imported as unverified: {reason}.",
        }]  # fmt: skip
        report.append(f"{e['uuid']} '{e['title'][:60]}' arrived unverified: {reason}")
        e["status"] = Status.UNVERIFIED.value
    return report
