"""Signing in, passphrases and users' keys.

A user signs in with their passphrase: it is checked against its Argon2id hash, then it
unwraps their Ed25519 private key, which stays in memory (``Catalogue`` keeps it) and signs
every audit entry they write. Writing as someone needs their passphrase.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from belarchive.domain.models import User
from belarchive.domain.values import Role
from belarchive.errors import (
    CatalogueError,
    IntegrityError,
    PermissionDenied,
    SignInRefused,
)
from belarchive.i18n import _
from belarchive.security import catalogue_keys, keys, passphrases
from belarchive.services import signed_audit
from belarchive.services.uow import load_user
from belarchive.storage.server import set_password

if TYPE_CHECKING:
    from belarchive.services.catalogue import Catalogue

# The demo catalogue's users all sign in with this passphrase; the window says so and asks
# them to choose their own before recording real evidence.
DEMO_PASSPHRASE = "belarchive-demo"


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the user table keeps for one user; the signer stays in memory only."""

    signer: keys.Signer
    passphrase_hash: str
    wrapped_key: str

    def apply_to(self, user: User) -> None:
        user.passphrase_hash = self.passphrase_hash
        user.public_key = self.signer.public_hex
        user.private_key_wrapped = self.wrapped_key


def new_credentials(name: str, passphrase: str) -> Credentials:
    """A new key pair for ``name``, its private half wrapped under ``passphrase``."""
    passphrases.check_new(passphrase)
    signer = keys.generate(name)
    return Credentials(
        signer, passphrases.hash_passphrase(passphrase), keys.wrap(signer, passphrase)
    )


def has_passphrase(cat: Catalogue, name: str) -> bool:
    with cat.session() as session:
        return _active_user(session, name).passphrase_hash is not None


def still_demo(cat: Catalogue, name: str) -> bool:
    """A demo catalogue's user who has not yet chosen their own passphrase (the demo one
    is public, so checking it reveals nothing and counts no failure)."""
    demo = cat.meta.get("demo_passphrase")
    if not demo:
        return False
    with cat.session() as session:
        user = session.exec(select(User).where(User.name == name)).first()
    return bool(user and user.passphrase_hash and passphrases.matches(user.passphrase_hash, demo))


def unattended_passphrase(cat: Catalogue, name: str) -> str | None:
    """The passphrase to try without asking: the demo one while ``name`` still has it,
    else $BELARCHIVE_PASSPHRASE (for scripts), else None (ask the person)."""
    if still_demo(cat, name):
        return DEMO_PASSPHRASE
    return os.environ.get("BELARCHIVE_PASSPHRASE")


def sign_in(cat: Catalogue, name: str, passphrase: str) -> keys.Signer:
    """Check ``name``'s passphrase and unlock their key for this catalogue session.

    A user of an older catalogue who has no passphrase yet chooses it now: their first
    sign-in makes their key (recorded, self-signed, in the log).
    """
    cat.throttle.refuse_while_waiting(name)
    with cat.session() as session:
        user = _active_user(session, name)
    if user.passphrase_hash is None:
        signer = _first_sign_in(cat, name, passphrase)
    else:
        signer = _unlock(cat, user, passphrase)
    if cat.is_team:
        cat.connect_member(name, passphrase)
    cat.keep_signer(signer)
    return signer


def adopt_signer(cat: Catalogue, signer: keys.Signer) -> bool:
    """Sign in with a key already unwrapped by the user's passphrase (opening a sealed
    catalogue proved it), when it is the key the user table and the signed history give
    them; False (nothing done) otherwise, and the caller signs in the usual way."""
    with cat.session() as session:
        user = _active_user(session, signer.user)
    if user.public_key != signer.public_hex:
        return False
    _check_against_history(cat, user)
    cat.keep_signer(signer)
    return True


def _active_user(session: Session, name: str) -> User:
    return load_user(session, name)


def _unlock(cat: Catalogue, user: User, passphrase: str) -> keys.Signer:
    assert user.passphrase_hash is not None
    if not passphrases.matches(user.passphrase_hash, passphrase):
        wrong = _("Wrong passphrase for {name}.").format(name=user.name)
        raise cat.throttle.wrong_passphrase(user.name, wrong)
    cat.throttle.succeeded(user.name)
    _check_against_history(cat, user)
    try:
        return keys.unwrap(user.private_key_wrapped, user.name, user.public_key or "", passphrase)
    except keys.KeyUnavailable as exc:
        raise CatalogueError(
            _(
                "The passphrase is right, but {user}'s signing key cannot be opened: {reason} An "
                "admin can reset {user}'s passphrase, which gives them a new key."
            ).format(user=user.name, reason=exc),
        ) from None


def _check_against_history(cat: Catalogue, user: User) -> None:
    """The user table is a cache of the signed log; a row edited behind belarchive's back
    (a role raised, a key swapped) must not be believed."""
    with cat.reader.connect() as conn:
        recorded = signed_audit.identity_in_history(conn, user.name)
    if recorded.key is not None and recorded.key != user.public_key:
        raise IntegrityError(
            _(
                "{user}'s key in the user table is not the one in the signed history: the table "
                "was altered outside belarchive. Run 'belarchive audit verify'."
            ).format(user=user.name)
        )
    if recorded.role is not None and recorded.role != user.role:
        raise IntegrityError(
            _(
                "{user}'s role in the user table ({role}) is not the one in the signed history "
                "({recorded_role}): the table was altered outside belarchive."
            ).format(user=user.name, role=user.role, recorded_role=recorded.role)
        )


def _first_sign_in(cat: Catalogue, name: str, passphrase: str) -> keys.Signer:
    creds = new_credentials(name, passphrase)
    with cat.write_as(creds.signer) as uow:
        user = _active_user(uow.session, name)
        if user.passphrase_hash is not None:  # another program signed them in meanwhile
            raise SignInRefused(
                _("{name} has just chosen a passphrase elsewhere; sign in again.").format(name=name)
            )
        creds.apply_to(user)
        uow.session.add(user)
        registration = {"public_key": creds.signer.public_hex, "reason": "first sign-in"}
        uow.record("user.key", "user", name, after=registration)
        uow.change.users = True
    return creds.signer


def change_passphrase(cat: Catalogue, name: str, new: str) -> None:
    """The signed-in user's own change: same key, wrapped under the new passphrase."""
    signer = cat.signer_for(name)
    passphrases.check_new(new)
    wrapped = keys.wrap(signer, new)
    grant_seal(cat, name, signer, wrapped)
    try:
        with cat.write(name) as uow:
            user = _active_user(uow.session, name)
            user.passphrase_hash = passphrases.hash_passphrase(new)
            user.private_key_wrapped = wrapped
            uow.session.add(user)
            uow.record("user.passphrase", "user", name, after={"public_key": signer.public_hex})
            uow.change.users = True
            if cat.is_team:
                set_password(uow.session.connection(), name, new)
    finally:
        settle_seal(cat, name)
    if cat.is_team:
        cat.password_changed(name, new)
    _forget_demo_when_unused(cat)


def _forget_demo_when_unused(cat: Catalogue) -> None:
    """Once no user signs in with the public demo passphrase, the window stops saying so."""
    from belarchive.services.catalogue_folder import write_meta

    demo = cat.meta.get("demo_passphrase")
    if not demo:
        return
    with cat.session() as session:
        hashes = [u.passphrase_hash for u in session.exec(select(User)).all() if u.active]
    if not any(h and passphrases.matches(h, demo) for h in hashes):
        cat.meta.pop("demo_passphrase", None)
        write_meta(cat.path, cat.meta)


def reset_passphrase(cat: Catalogue, admin: str, name: str, new: str) -> keys.Signer:
    """An admin gives ``name`` a new passphrase and so a new key; their old signatures stay
    valid under the old key, which the log keeps."""
    creds = new_credentials(name, new)
    grant_seal(cat, name, creds.signer, creds.wrapped_key)
    try:
        with cat.write(admin) as uow:
            if uow.user.role != Role.ADMIN:
                raise PermissionDenied(_("Only an admin may reset someone's passphrase."))
            user = _active_user(uow.session, name)
            creds.apply_to(user)
            uow.session.add(user)
            registration = {"public_key": creds.signer.public_hex, "reason": f"reset by {admin}"}
            uow.record("user.key", "user", name, after=registration)
            uow.change.users = True
            if cat.is_team:
                set_password(uow.session.connection(), name, new)
    finally:
        settle_seal(cat, name)
    cat.forget_signer(name)
    return creds.signer


# -- a sealed catalogue's member keys (security.catalogue_keys) --------------------------------
def grant_seal(cat: Catalogue, name: str, creds_signer: keys.Signer, wrapped: str) -> None:
    """Before the database commits a new key or passphrase for ``name``: add the matching
    entry to seal.json beside their current one (``settle_seal`` drops the loser)."""
    if cat.key is None:
        return
    entry = catalogue_keys.member_entry(cat.key, name, creds_signer.public_hex, wrapped)
    catalogue_keys.set_member(cat.path, cat.key, entry, keep_old=True)


def settle_seal(cat: Catalogue, name: str) -> None:
    """After the commit (or its failure): keep only the entry that matches the database."""
    if cat.key is None:
        return
    with cat.session() as session:
        user = session.exec(select(User).where(User.name == name)).first()
    if user is None or not user.active or not user.public_key or not user.private_key_wrapped:
        catalogue_keys.keep_only(cat.path, name, "", "")
    else:
        catalogue_keys.keep_only(cat.path, name, user.public_key, user.private_key_wrapped)
