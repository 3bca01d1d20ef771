"""One write transaction: a session, the acting user, buffered audit entries, the change set."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from belarchive.domain.models import User
from belarchive.errors import NotFoundError
from belarchive.i18n import _
from belarchive.services import audit, seals
from belarchive.services.changes import Change, ChangeBuilder

if TYPE_CHECKING:
    from belarchive.security.keys import Signer


class UnitOfWork:
    def __init__(self, session: Session, user: User, signer: Signer | None = None) -> None:
        self.session = session
        self.user = user
        # The author's unlocked key; None only for the program's own data migrations.
        self.signer = signer
        self.now = datetime.now(UTC)
        self.change = ChangeBuilder()
        self._entries: list[audit.PendingEntry] = []
        # Records to seal though nothing about them changed (sealing an older catalogue):
        # kept apart from ``change`` so views and the search index are not told to refresh.
        self.seal_also: tuple[set[str], set[str]] = (set(), set())
        # Set by Catalogue.write once the transaction has committed.
        self.result: Change | None = None
        # The first audit entry this transaction appends (flush_audit), 0 if none.
        self.first_seq = 0

    @property
    def user_name(self) -> str:
        return self.user.name

    def record(
        self,
        action: str,
        entity_type: str,
        entity_id: str,
        *,
        before: Any = None,
        after: Any = None,
        lead: bool = False,
    ) -> None:
        """Buffer one audit entry. ``lead`` puts it first in the transaction: a program data
        migration's own entry must precede what it brings along (services.signed_audit)."""
        entry = audit.PendingEntry(self.user.name, action, entity_type, entity_id, before, after)
        if lead:
            self._entries.insert(0, entry)
        else:
            self._entries.append(entry)

    def flush_audit(self) -> int:
        """Chain and insert the buffered entries; returns the new head sequence number."""
        self.session.flush()
        conn = self.session.connection()
        self._seal(conn)
        head_seq, head_hash = audit.read_head(conn)
        if not self._entries:
            return head_seq
        self.first_seq = head_seq + 1
        chained = audit.chain(self._entries, head_seq, head_hash, self.signer)
        conn.exec_driver_sql(audit.INSERT_SQL, [c.as_row() for c in chained])
        last = chained[-1]
        conn.exec_driver_sql(audit.META_SET_SQL, (audit.HEAD_KEY, f"{last.seq}:{last.hash}"))
        self._entries.clear()
        return last.seq

    def _seal(self, conn: Any) -> None:
        """Bind the rows this transaction touched to the chain (see services.seals)."""
        c = self.change
        touched_events = c.events | c.created | c.deleted | self.seal_also[0]
        touched_sources = c.sources | self.seal_also[1]
        if not (touched_events or touched_sources):
            return
        run = seals.sqlalchemy_runner(conn)
        for entity, seal in seals.seal_entries(run, touched_events, touched_sources):
            self.record(seals.ACTION, seals.ENTITY, entity, after=seal)

    def finish(self, audit_seq: int) -> Change:
        return self.change.freeze(audit_seq)


def audit_head_seq(uow: UnitOfWork) -> int:
    return audit.read_head(uow.session.connection())[0]


def load_user(session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFoundError(
            _(
                "Unknown user '{name}'. An admin can add them with: belarchive user add {name} "
                "--role archivist"
            ).format(name=name)
        )
    if not user.active:
        raise NotFoundError(_("User '{name}' is deactivated.").format(name=name))
    return user
