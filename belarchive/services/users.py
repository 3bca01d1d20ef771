"""People working in a catalogue and their roles."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from belarchive.domain.models import User
from belarchive.domain.values import Role
from belarchive.errors import PermissionDenied, ValidationError
from belarchive.services import validation
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import Outcome


def add_user(cat: Catalogue, acting: str, name: str, role: Role | str) -> Outcome:
    cleaned = validation.user_name(name)
    try:
        wanted = Role(str(role).strip().lower())
    except ValueError:
        raise ValidationError(
            f"'{role}' is not a role; choose archivist, reviewer or admin."
        ) from None
    with cat.write(acting) as uow:
        if uow.user.role != Role.ADMIN:
            raise PermissionDenied("Only an admin may add users.")
        if uow.session.exec(select(User).where(User.name == cleaned)).first():
            raise ValidationError(f"A user named '{cleaned}' already exists.")
        uow.session.add(User(name=cleaned, role=wanted.value, created_at=datetime.now(UTC)))
        uow.record("user.add", "user", cleaned, after={"name": cleaned, "role": wanted.value})
        uow.change.users = True
    assert uow.result is not None
    return Outcome(cleaned, uow.result)


def list_users(cat: Catalogue) -> list[User]:
    with cat.session() as session:
        return list(session.exec(select(User).order_by(User.name)).all())  # type: ignore[arg-type]
