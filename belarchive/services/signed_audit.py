"""Who wrote each audit entry: signatures, signers' keys and roles, replayed from the log.

The log itself is the register of identities. ``catalogue.create`` names the founding admin
and their public key; ``user.add`` gives a user their role and first key (signed by an
admin); ``user.key`` gives a new key, signed by the user themself (a first sign-in in an
older catalogue) or by an admin (a passphrase reset). Replaying the log in order therefore
tells, for every entry, which key had to sign it and which role its author held then; the
``user`` table is only a cache of the latest state, and an SQL edit to it proves nothing.

Each signature covers the entry's chained hash, which covers every earlier entry: changing
an entry and re-chaining the log breaks every later author's signature.

Unsigned entries are allowed in two cases only: entries written before the catalogue began
signing (an upgraded older catalogue; ``audit.signing_start`` marks where signing began),
and the program's own data migrations, which no person makes (``PROGRAM_ACTIONS``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from belarchive.domain.rules import REVIEWER_ONLY
from belarchive.domain.values import Role
from belarchive.security import keys
from belarchive.security.batch_verify import SignatureBatches
from belarchive.services.audit import SignatureSummary

SIGNING_START = "audit.signing_start"
# Data migrations and restores the program makes by itself: unsigned by design.
PROGRAM_ACTIONS = frozenset(
    {
        SIGNING_START,
        "evidence.seal_existing",
        "evidence.reseal_after_upgrade",
        "gazetteer.upgrade",
        "catalogue.restore",
        "dossier.export",
    }
)
# What each unsigned program action may bring along in its own transaction, and no more.
PROGRAM_FOLLOWERS: dict[str, frozenset[str]] = {
    "gazetteer.upgrade": frozenset({"place.add", "evidence.seal"}),
    "evidence.seal_existing": frozenset({"evidence.seal"}),
    "evidence.reseal_after_upgrade": frozenset({"evidence.seal"}),
    "catalogue.restore": frozenset({"evidence.seal"}),
}
IDENTITY_ACTIONS = frozenset({"catalogue.create", "user.add", "user.key", "user.role"})
ADMIN = frozenset({Role.ADMIN.value})
REVIEWERS = frozenset({Role.REVIEWER.value, Role.ADMIN.value})
_DECISIONS = frozenset(s.value for s in REVIEWER_ONLY)


@dataclass(slots=True)
class Identity:
    role: str | None
    key: str | None


def required_roles(action: str, user: str, entity_id: str, after: dict[str, Any]) -> frozenset[str]:
    """The roles one of which the author of this entry must have held (empty: anyone)."""
    if action in ("user.add", "user.role", "catalogue.recovery_key"):
        return ADMIN
    if action == "user.key" and entity_id != user:
        return ADMIN  # a passphrase reset
    if action == "event.status" and after.get("status") in _DECISIONS:
        return REVIEWERS
    return frozenset()


class SignatureCheck:
    """Fed every entry in order by ``audit.verify_chain``; returns the first problem."""

    def __init__(self, expected: int = 0) -> None:
        self.users: dict[str, Identity] = {}
        self.signing_from: int | None = None
        self._program: tuple[str, str] | None = None  # (ts, action) of the open one
        self._signed = self._legacy = self._by_program = 0
        # The signatures themselves are checked in batches, on other cores for a long log.
        self._batches = SignatureBatches(expected)

    def first_bad_signature(self, before: int | None = None) -> tuple[int, str] | None:
        """(seq, problem) of the first entry whose signature failed, up to entry ``before``
        (a bad signature comes first, also when that entry has another problem too)."""
        failed = self._batches.first_failure()
        if failed is None:
            return None
        seq, action, user, key = failed
        if before is not None and seq > before:
            return None
        return seq, (
            f"Audit entry {seq} ({action}) names {user} as its author, but it is not "
            f"signed with {user}'s key (key {keys.fingerprint(str(key))}): it was forged "
            "or altered."
        )

    def check(self, row: tuple[Any, ...]) -> str | None:
        seq, ts, user, action, _etype, eid, _before, after_json, _prev, digest, signature = row
        after = (
            _parsed(after_json) if action in IDENTITY_ACTIONS or action == "event.status" else {}
        )
        if seq == 1 and action == "catalogue.create" and isinstance(after.get("founder"), dict):
            founder = after["founder"]
            self.users[str(founder.get("name"))] = Identity(
                Role.ADMIN.value, founder.get("public_key")
            )
            self.signing_from = 1
        problem = (
            self._unsigned(seq, ts, user, action)
            if signature is None
            else self._signed_entry(seq, user, action, eid, after, digest, signature)
        )
        if problem is None:
            self._apply(user, action, eid, after)
        return problem

    def summary(self) -> SignatureSummary:
        return SignatureSummary(self._signed, self._legacy, self._by_program, self.signing_from)

    # -- the two kinds of entry ------------------------------------------------------------
    def _unsigned(self, seq: int, ts: str, user: str, action: str) -> str | None:
        if action == SIGNING_START and self.signing_from is None:
            self.signing_from = seq
        if self.signing_from is None or seq < self.signing_from:
            self._legacy += 1
            return None
        if action in PROGRAM_ACTIONS:
            self._program = (ts, action)
            self._by_program += 1
            return None
        opened = self._program
        if opened and opened[0] == ts and action in PROGRAM_FOLLOWERS.get(opened[1], ()):
            self._by_program += 1
            return None
        return (
            f"Audit entry {seq} ({action} by {user}) is not signed, but every entry since "
            f"signing began (entry {self.signing_from}) must carry its author's signature: "
            "it was added or stripped outside belarchive."
        )

    def _signed_entry(
        self,
        seq: int,
        user: str,
        action: str,
        eid: str,
        after: dict[str, Any],
        digest: str,
        signature: str,
    ) -> str | None:
        identity = self.users.get(user)
        key = identity.key if identity else None
        if action == "user.key" and eid == user and key is None:
            key = after.get("public_key")  # a first key signs its own registration
        if key is None:
            return (
                f"Audit entry {seq} is signed as {user}, but {user} had no key at that point "
                "of the history: it was forged."
            )
        self._batches.add((seq, action, user, str(key)), str(key), digest, signature)
        needed = required_roles(action, user, eid, after)
        role = identity.role if identity else None
        if needed and role not in needed:
            return (
                f"Audit entry {seq} ({action}) is by {user}, who was "
                f"{_role_words(role)} at that time; it needs "
                f"{' or '.join(sorted(needed))}."
            )
        self._signed += 1
        return None

    def _apply(self, user: str, action: str, eid: str, after: dict[str, Any]) -> None:
        if action == "user.add":
            self.users[eid] = Identity(after.get("role"), after.get("public_key"))
        elif action == "user.key":
            self.users.setdefault(eid, Identity(None, None)).key = after.get("public_key")
        elif action == "user.role":
            self.users.setdefault(eid, Identity(None, None)).role = after.get("role")


def _parsed(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _role_words(role: str | None) -> str:
    return f"an {role}" if role in ("archivist", "admin") else f"a {role}" if role else "no user"


def identity_in_history(conn: Any, name: str) -> Identity:
    """``name``'s role and current key according to the log (one indexed query)."""
    rows = conn.exec_driver_sql(
        "SELECT seq, action, after_json FROM auditentry WHERE entity_type = 'user' "
        "AND entity_id = ? AND action IN ('user.add', 'user.key', 'user.role') ORDER BY seq",
        (name,),
    ).fetchall()
    founder = conn.exec_driver_sql(
        "SELECT after_json FROM auditentry WHERE seq = 1 AND action = 'catalogue.create'"
    ).fetchone()
    identity = Identity(None, None)
    found = _parsed(founder[0]).get("founder") if founder else None
    if isinstance(found, dict) and found.get("name") == name:
        identity = Identity(Role.ADMIN.value, found.get("public_key"))
    for _seq, action, after_json in rows:
        after = _parsed(after_json)
        if action == "user.add":
            identity = Identity(after.get("role"), after.get("public_key"))
        elif action == "user.key":
            identity.key = after.get("public_key")
        else:
            identity.role = after.get("role")
    return identity


# -- keys that travel with exported history ---------------------------------------------------
def registered_keys(conn: Any, catalogue_id: str) -> list[dict[str, Any]]:
    """Every public key this catalogue's log registered (founder, user.add, user.key), and
    the keys of other catalogues that came with imported history: what a recipient needs
    to check the signatures of exported history entries."""
    rows = conn.exec_driver_sql(
        "SELECT seq, action, entity_id, after_json FROM auditentry WHERE "
        "action IN ('catalogue.create', 'user.add', 'user.key') ORDER BY seq"
    ).fetchall()
    found: list[dict[str, Any]] = []
    for seq, action, entity_id, after_json in rows:
        after = _parsed(after_json)
        if action == "catalogue.create":
            founder = after.get("founder")
            if seq != 1 or not isinstance(founder, dict):
                continue
            user, key = founder.get("name"), founder.get("public_key")
        else:
            user, key = entity_id, after.get("public_key")
        if isinstance(key, str) and isinstance(user, str):
            found.append({"catalogue": catalogue_id, "user": user, "public_key": key,
                          "from_seq": int(seq)})  # fmt: skip
    return found + imported_keys(conn)


def imported_keys(conn: Any) -> list[dict[str, Any]]:
    """The public keys other catalogues' exports brought with their history."""
    rows = conn.exec_driver_sql(
        'SELECT origin_catalogue, "user", public_key, from_seq FROM importedkey '
        "ORDER BY origin_catalogue, from_seq"
    ).fetchall()
    return [{"catalogue": c, "user": u, "public_key": k, "from_seq": int(s)}
            for c, u, k, s in rows]  # fmt: skip


class KeyBook:
    """Which key signed a catalogue's entry N for user U: the last one registered for U in
    that catalogue at or before N."""

    def __init__(self, keys_: list[dict[str, Any]]) -> None:
        self._by: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for k in keys_:
            entry = (int(k["from_seq"]), str(k["public_key"]))
            self._by.setdefault((str(k["catalogue"]), str(k["user"])), []).append(entry)
        for versions in self._by.values():
            versions.sort()

    def key_for(self, catalogue: str, user: str, seq: int) -> str | None:
        chosen = None
        for from_seq, key in self._by.get((catalogue, user), []):
            if from_seq <= seq:
                chosen = key
        return chosen


def imported_signature_problem(book: KeyBook, entry: dict[str, Any]) -> str | None:
    """Why one imported history entry's signature does not hold (None: it holds, or the
    entry is unsigned — an export from before signing, reported as such)."""
    signature = entry.get("signature")
    if not signature:
        return None
    name = f"history entry {entry['seq']} of catalogue {entry['catalogue']}"
    key = book.key_for(str(entry["catalogue"]), str(entry["user"]), int(entry["seq"]))
    if key is None:
        return f"{name} is signed by {entry['user']}, whose key the file does not carry."
    if not keys.signature_ok(key, str(entry["hash"]), str(signature)):
        return (
            f"{name} is not signed with {entry['user']}'s key: it was forged or signed by "
            "someone else."
        )
    return None


@dataclass(frozen=True, slots=True)
class ImportedReport:
    signed: int
    unsigned: int
    problem: str | None


def verify_imported(conn: Any) -> ImportedReport:
    """Re-check the signatures of history that came with imported records."""
    book = KeyBook(imported_keys(conn))
    signed = unsigned = 0
    rows = conn.exec_driver_sql(
        'SELECT origin_catalogue, seq, "user", hash, signature FROM importedhistory '
        "ORDER BY origin_catalogue, seq"
    ).fetchall()
    for origin, seq, user, digest, signature in rows:
        entry = {"catalogue": origin, "seq": seq, "user": user, "hash": digest,
                 "signature": signature}  # fmt: skip
        problem = imported_signature_problem(book, entry)
        if problem is not None:
            return ImportedReport(signed, unsigned, problem[0].upper() + problem[1:])
        if signature:
            signed += 1
        else:
            unsigned += 1
    return ImportedReport(signed, unsigned, None)
