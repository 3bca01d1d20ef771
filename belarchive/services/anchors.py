"""The signed audit head, and anchor files that pin it outside the catalogue.

Whoever holds every user's key could rewrite the whole history; whoever holds only the
database file can still cut off its newest entries. An anchor kept elsewhere (a USB stick,
an e-mail to a partner, a printed dossier) defeats both: ``audit verify --anchor FILE``
proves that the entry it names is still in the log, unchanged, with its author's signature.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from belarchive.errors import IntegrityError, ValidationError
from belarchive.i18n import _
from belarchive.outputs import output_path, replace_atomically
from belarchive.security import keys
from belarchive.services import signed_audit

FORMAT = "belarchive-audit-anchor"
VERSION = 1
META_LAST_ANCHOR = "last_anchor_at"


@dataclass(frozen=True, slots=True)
class SignedHead:
    """The newest audit entry: where the chain stood, and who vouched for it."""

    seq: int
    hash: str
    ts: str
    author: str
    signature: str | None
    public_key: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def signed_head(conn: Any) -> SignedHead:
    """The head of the log with its author's public key (from the signed history)."""
    row = conn.exec_driver_sql(
        'SELECT seq, hash, ts, "user", signature FROM auditentry ORDER BY seq DESC LIMIT 1'
    ).fetchone()
    if row is None:
        return SignedHead(0, "0" * 64, "", "", None, None)
    seq, digest, ts, author, signature = row
    key = signed_audit.identity_in_history(conn, author).key if signature else None
    return SignedHead(int(seq), str(digest), str(ts), str(author), signature, key)


def write_anchor(conn: Any, catalogue_id: str, target: Path) -> dict[str, Any]:
    head = signed_head(conn)
    anchor = {
        "format": FORMAT,
        "version": VERSION,
        "catalogue_id": catalogue_id,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "head": head.as_dict(),
    }
    text = json.dumps(anchor, indent=2, ensure_ascii=False) + "\n"
    path = output_path(Path(target), what=_("the anchor"))
    replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return anchor


def read_anchor(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(
            _("Cannot read the anchor {path}: {reason}.").format(path=path, reason=exc.strerror)
        ) from exc
    except ValueError:
        raise ValidationError(
            _("{path} is not an anchor file (it is not JSON).").format(path=path)
        ) from None
    not_anchor = _("{path} is not a belarchive audit anchor.").format(path=path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(not_anchor)
    head = data.get("head")
    if not isinstance(head, dict):
        raise ValidationError(not_anchor)
    if not isinstance(head.get("seq"), int) or not isinstance(head.get("hash"), str):
        raise ValidationError(
            _("The anchor {path} is damaged: it names no audit entry.").format(path=path)
        )
    anchor: dict[str, Any] = data
    return anchor


def check_anchor(conn: Any, catalogue_id: str, anchor: dict[str, Any]) -> str:
    """Raise IntegrityError unless today's log holds the anchored entry unchanged; returns
    a one-line confirmation. The chain and signatures themselves are checked by
    ``audit.verify_chain``, which the caller runs as well."""
    if anchor.get("catalogue_id") != catalogue_id:
        raise IntegrityError(_("The anchor was written for another catalogue."))
    head = anchor["head"]
    seq, digest = head["seq"], head["hash"]
    row = conn.exec_driver_sql(
        'SELECT hash, "user", signature FROM auditentry WHERE seq = ?', (seq,)
    ).fetchone()
    if row is None:
        raise IntegrityError(
            _(
                "The anchored audit entry {seq} is no longer in the log: entries were removed "
                "after the anchor was written."
            ).format(seq=seq)
        )
    if row[0] != digest:
        raise IntegrityError(
            _(
                "Audit entry {seq} differs from the anchored one: the history up to it was "
                "rewritten after the anchor was written."
            ).format(seq=seq)
        )
    signature, key = head.get("signature"), head.get("public_key")
    if signature and key and not keys.signature_ok(str(key), digest, str(signature)):
        raise IntegrityError(_("The anchor's own signature does not match: the file was edited."))
    return f"entry {seq} ({str(digest)[:16]}…, by {row[1]}) is unchanged"
