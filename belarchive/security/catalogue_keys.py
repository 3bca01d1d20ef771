"""The key of a sealed catalogue, and ``seal.json``: that key wrapped once per member.

Everything in a sealed catalogue is encrypted under keys derived from one random 256-bit
catalogue key. ``seal.json`` (the only file read before the database) holds, for each
member, their passphrase-wrapped Ed25519 private key (the same blob as in the user table)
and the catalogue key encrypted to their public key (age, as for encrypted backups). A
member's passphrase unwraps their private key, which opens the catalogue key: nobody needs
another member's passphrase, and an admin sealing an existing catalogue can give access to
every member who has a key without knowing their passphrases. The recovery key, when one
was made, gets an entry too.

A member may have two entries for a moment: a passphrase change writes the new wrap beside
the old one before the database commits, and drops the old one after, so a crash between
the two never locks anyone out.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from belarchive.errors import CatalogueError, SignInRefused
from belarchive.i18n import _
from belarchive.security import cipher_files, exchange, keys

SEAL_NAME = "seal.json"
SEAL_FORMAT = "belarchive-seal-1"


class WrongPassphrase(SignInRefused):
    """The passphrase opens none of the member's entries."""


@dataclass(frozen=True, slots=True)
class CatalogueKey:
    """The catalogue key, held in memory while the catalogue is open; never written."""

    secret: bytes

    @classmethod
    def generate(cls) -> CatalogueKey:
        return cls(secrets.token_bytes(32))

    @property
    def database(self) -> bytes:
        return cipher_files.subkey(self.secret, "database")

    @property
    def files(self) -> bytes:
        return cipher_files.subkey(self.secret, "archived copies")

    @property
    def index(self) -> bytes:
        return cipher_files.subkey(self.secret, "search index")

    @property
    def names(self) -> bytes:
        return cipher_files.subkey(self.secret, "file names")

    def __repr__(self) -> str:  # never print key material, even by accident
        return "CatalogueKey(…)"


@dataclass(frozen=True, slots=True)
class Member:
    user: str
    public_key: str
    wrapped_private_key: str
    catalogue_key: str  # base64 of the age file holding the catalogue key

    def as_dict(self) -> dict[str, str]:
        return {"user": self.user, "public_key": self.public_key,
                "wrapped_private_key": self.wrapped_private_key,
                "catalogue_key": self.catalogue_key}  # fmt: skip


def member_entry(key: CatalogueKey, user: str, public_hex: str, wrapped: str) -> Member:
    recipient = exchange.parse_recipient(public_hex)
    sealed = exchange.encrypt(key.secret, [recipient])
    return Member(user, public_hex, wrapped, base64.b64encode(sealed).decode("ascii"))


def is_sealed(folder: Path) -> bool:
    return (folder / SEAL_NAME).exists()


def read(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / SEAL_NAME).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("format") != SEAL_FORMAT:
            raise ValueError("unknown format")
        return data
    except FileNotFoundError:
        raise CatalogueError(
            _(
                "{folder} is sealed, but its seal.json (the members' keys to it) is missing. "
                "Restore that file from a backup of the folder; without it the catalogue "
                "cannot be opened."
            ).format(folder=folder)
        ) from None
    except (OSError, ValueError) as exc:
        raise CatalogueError(
            _(
                "{file} is damaged (it should hold the members' keys to this sealed "
                "catalogue). Restore it from a backup of the folder; nothing was changed."
            ).format(file=folder / SEAL_NAME),
            detail=str(exc),
        ) from exc


def write(
    folder: Path, catalogue_id: str, members: list[Member], recovery: dict[str, str] | None
) -> None:
    data = {"format": SEAL_FORMAT, "catalogue_id": catalogue_id,
            "cipher": "SQLCipher 4 (AES-256) + AES-256-GCM chunks",
            "members": [m.as_dict() for m in members], "recovery": recovery}  # fmt: skip
    tmp = folder / f".{SEAL_NAME}.tmp"
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, indent=1, sort_keys=True))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / SEAL_NAME)


def members(folder: Path) -> list[Member]:
    return [Member(**m) for m in read(folder).get("members", [])]


def unlock(folder: Path, user: str, passphrase: str) -> tuple[CatalogueKey, keys.Signer]:
    """The catalogue key, opened with ``user``'s passphrase; SignInRefused when it is wrong."""
    entries = [m for m in members(folder) if m.user == user]
    if not entries:
        raise SignInRefused(
            _(
                "{name} has no key to this sealed catalogue: they are not a member, or were "
                "added before it was sealed without a key. An admin can reset their "
                "passphrase (belarchive user reset), which gives them one."
            ).format(name=user)
        )
    for entry in entries:
        try:
            signer = keys.unwrap(entry.wrapped_private_key, user, entry.public_key, passphrase)
        except keys.KeyUnavailable:
            continue
        data = base64.b64decode(entry.catalogue_key)
        plain = exchange.decrypt(data, signer, SEAL_NAME, "the catalogue stays closed")
        return CatalogueKey(plain), signer
    raise WrongPassphrase(
        _("Wrong passphrase for {name}; the sealed catalogue stays closed.").format(name=user)
    )


def unlock_with_recovery(folder: Path, secret: str) -> CatalogueKey:
    recovery = read(folder).get("recovery") or {}
    if not recovery.get("catalogue_key"):
        raise CatalogueError(_("This sealed catalogue has no recovery key."))
    identity = exchange.recovery_identity(secret)
    data = base64.b64decode(recovery["catalogue_key"])
    plain = exchange.decrypt(data, None, SEAL_NAME, "the catalogue stays closed", [identity])
    return CatalogueKey(plain)


def recovery_entry(key: CatalogueKey, recipient: str) -> dict[str, str]:
    sealed = exchange.encrypt(key.secret, [exchange.parse_recipient(recipient)])
    return {"recipient": recipient, "catalogue_key": base64.b64encode(sealed).decode("ascii")}


def set_member(folder: Path, key: CatalogueKey, entry: Member, *, keep_old: bool) -> None:
    """Add ``entry``; the user's earlier entries stay when ``keep_old`` (until the database
    has committed the change, see the module's docstring), else they go."""
    data = read(folder)
    current = [Member(**m) for m in data.get("members", [])]
    if not keep_old:
        current = [m for m in current if m.user != entry.user]
    current = [m for m in current if m != entry] + [entry]
    write(folder, data["catalogue_id"], current, data.get("recovery"))


def keep_only(folder: Path, user: str, public_key: str, wrapped: str) -> None:
    """Drop ``user``'s entries other than the one matching the database's current row."""
    data = read(folder)
    current = [Member(**m) for m in data.get("members", [])]
    kept = [m for m in current if m.user != user or
            (m.public_key == public_key and m.wrapped_private_key == wrapped)]  # fmt: skip
    if kept != current:
        write(folder, data["catalogue_id"], kept, data.get("recovery"))


def set_recovery(folder: Path, key: CatalogueKey, recipient: str) -> None:
    data = read(folder)
    current = [Member(**m) for m in data.get("members", [])]
    write(folder, data["catalogue_id"], current, recovery_entry(key, recipient))
