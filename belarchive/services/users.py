"""People working in a catalogue and their roles."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from belarchive.domain.models import User
from belarchive.domain.values import Role
from belarchive.errors import PermissionDenied, ValidationError
from belarchive.i18n import _
from belarchive.services import accounts, validation
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import Outcome
from belarchive.storage.server import grant_member


def add_user(cat: Catalogue, acting: str, name: str, role: Role | str, passphrase: str) -> Outcome:
    """Add a user with their first passphrase (which the admin passes on to them) and a new
    signing key; the entry, signed by the admin, registers the key in the history."""
    cleaned = validation.user_name(name)
    try:
        wanted = Role(str(role).strip().lower())
    except ValueError:
        raise ValidationError(
            _("'{role}' is not a role; choose archivist, reviewer or admin.").format(role=role)
        ) from None
    cat.signer_for(acting)  # before the costly key derivation
    creds = accounts.new_credentials(cleaned, passphrase)
    with cat.session() as session:
        exists = session.exec(select(User).where(User.name == cleaned)).first() is not None
    if not exists:  # a sealed catalogue: their key to it, settled after the commit
        accounts.grant_seal(cat, cleaned, creds.signer, creds.wrapped_key)
    try:
        with cat.write(acting) as uow:
            if uow.user.role != Role.ADMIN:
                raise PermissionDenied(_("Only an admin may add users."))
            if uow.session.exec(select(User).where(User.name == cleaned)).first():
                raise ValidationError(
                    _("A user named '{name}' already exists.").format(name=cleaned)
                )
            if cat.is_team:
                # A team member is a login role of the server, in their role's group; their
                # first password is their first passphrase (each changes their own).
                grant_member(uow.session.connection(), cleaned, wanted.value, passphrase)
            user = User(name=cleaned, role=wanted.value, created_at=datetime.now(UTC))
            creds.apply_to(user)
            uow.session.add(user)
            identity = {"name": cleaned, "role": wanted.value,
                        "public_key": creds.signer.public_hex}  # fmt: skip
            uow.record("user.add", "user", cleaned, after=identity)
            uow.change.users = True
    finally:
        if not exists:
            accounts.settle_seal(cat, cleaned)
    assert uow.result is not None
    return Outcome(cleaned, uow.result)


def list_users(cat: Catalogue) -> list[User]:
    with cat.session() as session:
        return list(session.exec(select(User).order_by(User.name)).all())  # type: ignore[arg-type]
