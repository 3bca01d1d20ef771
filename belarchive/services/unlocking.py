"""Opening a sealed catalogue: the key from a member's passphrase, the recovery key or a
process that already holds it; then the member signed in with the key it unwrapped.

``services.catalogue`` calls these while opening; ``Unlock`` is what callers pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from belarchive.errors import CatalogueError, NotFoundError, SealedCatalogue, SignInRefused
from belarchive.i18n import _
from belarchive.security import catalogue_keys
from belarchive.security.catalogue_keys import CatalogueKey
from belarchive.security.keys import Signer
from belarchive.security.throttle import Throttle
from belarchive.storage import engine as db_engine
from belarchive.storage import migrations

if TYPE_CHECKING:
    from belarchive.services.catalogue import Catalogue


@dataclass(frozen=True, slots=True)
class Unlock:
    """How to open a sealed catalogue: a member's passphrase, or the recovery key."""

    user: str = ""
    passphrase: str = field(default="", repr=False)
    recovery_key: str = field(default="", repr=False)
    sign_in: bool = True  # the member is also signed in (False: only the key is opened)
    # The key of the catalogue as this process already holds it open (the window restoring
    # a backup into the catalogue it shows): no passphrase is asked again.
    key: CatalogueKey | None = field(default=None, repr=False)


def unlocked(
    path: Path, unlock: Unlock | None, *, sealed: bool
) -> tuple[CatalogueKey, Signer | None] | None:
    """The catalogue key of a sealed catalogue, and the member's signing key that opened it
    (None for the recovery key); None for an open catalogue."""
    if not sealed:
        return None
    if unlock is not None and unlock.key is not None:
        return unlock.key, None
    if unlock is None or not (unlock.user or unlock.recovery_key):
        raise SealedCatalogue(
            _(
                "{path} is a sealed (encrypted) catalogue: opening it needs a member's name "
                "and passphrase (--user NAME; scripts set BELARCHIVE_PASSPHRASE)."
            ).format(path=path)
        )
    db_engine.sqlcipher()
    if unlock.recovery_key:
        return catalogue_keys.unlock_with_recovery(path, unlock.recovery_key), None
    throttle = Throttle(path)
    throttle.refuse_while_waiting(unlock.user)
    try:
        key, signer = catalogue_keys.unlock(path, unlock.user, unlock.passphrase)
    except catalogue_keys.WrongPassphrase as exc:
        raise throttle.wrong_passphrase(unlock.user, str(exc)) from None
    throttle.succeeded(unlock.user)
    return key, signer


def sign_in_member(cat: Catalogue, unlock: Unlock, signer: Signer | None) -> None:
    """The member who opened the catalogue is signed in with the key their passphrase just
    unwrapped (one Argon2 derivation in all) when it is the key the catalogue and its
    history give them; otherwise (an entry older than a reset) by a full sign-in."""
    from belarchive.services import accounts

    try:
        if signer is None or not accounts.adopt_signer(cat, signer):
            cat.sign_in(unlock.user, unlock.passphrase)
    except NotFoundError:
        raise SignInRefused(
            _(
                "{user} has a key to this sealed catalogue but is not one of its users (a removed "
                "user's entry, or one added outside belarchive): it stays closed. An admin should "
                "check seal.json."
            ).format(user=unlock.user)
        ) from None


def check_sealed_database(db: Path, key: CatalogueKey) -> None:
    if not db.exists():
        raise CatalogueError(
            _("This sealed catalogue has lost its database ({name}).").format(name=db.name)
        )
    conn = db_engine.raw_connect(db, key.database)
    try:
        tables, version = migrations.read_schema(conn)
    except db_engine.database_errors() as exc:
        raise CatalogueError(
            _(
                "{file} does not open with this catalogue's key: the file is damaged or was "
                "replaced. Nothing was changed."
            ).format(file=db),
            detail=str(exc),
        ) from exc
    finally:
        conn.close()
    migrations.require_catalogue(
        tables, version, _("{file} opens, but is not a belarchive catalogue.").format(file=db)
    )
