"""A new catalogue's first transaction, the same on SQLite and on a team server: the
founding admin, the root of the signed history, the catalogue's facts in ``meta``, and the
bundled vocabulary, all in one audited write."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from belarchive.domain.models import User
from belarchive.domain.values import Role
from belarchive.services.data_migrations import SIGNING_META
from belarchive.services.uow import UnitOfWork
from belarchive.storage import migrations

if TYPE_CHECKING:
    from belarchive.services.accounts import Credentials

META_INSERT = "INSERT INTO meta (key, value) VALUES (?, ?)"


def found(writer: Engine | Connection, founder: Credentials, meta: dict[str, str]) -> None:
    """The founding write, on ``writer``: an engine, or a connection whose transaction the
    caller owns (a team catalogue is installed and founded in one transaction)."""
    from belarchive.services import seals, vocabulary

    admin, public = founder.signer.user, founder.signer.public_hex
    with Session(writer, expire_on_commit=False) as session:
        user = User(name=admin, role=Role.ADMIN, created_at=datetime.now(UTC))
        founder.apply_to(user)
        session.add(user)
        session.flush()
        uow = UnitOfWork(session, user, founder.signer)
        # The founder's key is the root of the signed history (services.signed_audit).
        identity = {"name": admin, "role": Role.ADMIN.value, "public_key": public}
        uow.record("catalogue.create", "catalogue", meta["catalogue_id"],
                   after={**meta, "founder": identity})  # fmt: skip
        uow.record("user.add", "user", admin, after=identity)
        conn = session.connection()
        conn.exec_driver_sql(META_INSERT, (SIGNING_META, "1"))
        for key, value in meta.items():
            conn.exec_driver_sql(META_INSERT, (key, value))
        vocabulary.seed(uow)
        # A new catalogue is sealed from its first write on (services.seals).
        conn.exec_driver_sql(META_INSERT, (seals.META_KEY, str(migrations.LATEST_VERSION)))
        uow.flush_audit()
        session.commit()
