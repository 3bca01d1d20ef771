"""Exports encrypted for a recipient (the age format, through ``pyrage``).

A partner NGO's user gives their belarchive public key (``belarchive user key NAME``
prints it as an ``ssh-ed25519`` line, which age accepts as a recipient); a plain age
``age1…`` recipient works too. The recipient opens the file by importing it while signed
in: their private key, unlocked by their passphrase, is the age identity. The plaintext is
never written to disk on either side: it is encrypted from memory and decrypted to memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pyrage
from cryptography.hazmat.primitives import serialization

from belarchive.errors import ImportError_, ValidationError
from belarchive.i18n import _
from belarchive.security import keys

AGE_MAGIC = b"age-encryption.org/v1\n"
_HEX_KEY = re.compile(r"[0-9a-f]{64}")


def recipient_line(public_hex: str, name: str) -> str:
    """A belarchive public key as an OpenSSH line: what a partner passes to ``--encrypt-for``."""
    key = keys.load_public(public_hex)
    line = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return f"{line.decode('ascii')} belarchive:{name}"


def parse_recipient(text: str) -> Any:
    """An age recipient from an ``ssh-ed25519`` line, an ``age1…`` key or 64 hex digits."""
    given = text.strip()
    try:
        if _HEX_KEY.fullmatch(given):
            given = recipient_line(given, "recipient")
        if given.startswith("ssh-ed25519 "):
            return pyrage.ssh.Recipient.from_str(" ".join(given.split()[:2]))
        if given.startswith("age1"):
            return pyrage.x25519.Recipient.from_str(given)
    except (pyrage.RecipientError, ValueError):
        pass
    raise ValidationError(
        _(
            "'{text}' is not a recipient: give the 'ssh-ed25519 …' line that 'belarchive user key "
            "NAME' prints in the partner's catalogue, or an age1… key."
        ).format(text=text[:40])
    )


def encrypt(plain: bytes, recipients: Sequence[Any]) -> bytes:
    return bytes(pyrage.encrypt(plain, list(recipients)))


def is_encrypted(head: bytes) -> bool:
    return head.startswith(AGE_MAGIC)


def new_recovery_key() -> tuple[str, str]:
    """(secret, recipient) of a new age X25519 key: the secret is shown once, on paper."""
    identity = pyrage.x25519.Identity.generate()
    return str(identity), str(identity.to_public())


def recovery_identity(secret: str) -> Any:
    try:
        return pyrage.x25519.Identity.from_str(secret.strip())
    except (pyrage.IdentityError, ValueError):
        raise ValidationError(
            _(
                "That is not a recovery key: it starts with AGE-SECRET-KEY-1, as printed when it "
                "was made."
            )
        ) from None


def decrypt(
    data: bytes,
    signer: keys.Signer | None,
    file_name: str,
    unchanged: str = "nothing was imported",
    extra: Sequence[Any] = (),
) -> bytes:
    """Open a file encrypted for ``signer``'s user (or one of the ``extra`` identities, a
    recovery key); a clear refusal otherwise (``unchanged`` says what did not happen)."""
    identities = list(extra)
    if signer is not None:
        pem = signer.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        identities.append(pyrage.ssh.Identity.from_buffer(pem))
    who = signer.user if signer is not None else "this recovery key"
    try:
        return bytes(pyrage.decrypt(data, identities))
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise ImportError_(
                _(
                    "'{file_name}' is encrypted for someone else, not for {who}: sign in as the "
                    "user it was encrypted for; {unchanged}."
                ).format(file_name=file_name, who=who, unchanged=unchanged)
            ) from None
        raise ImportError_(
            _(
                "'{file_name}' is encrypted but damaged or altered (it does not decrypt whole); "
                "{unchanged}."
            ).format(file_name=file_name, unchanged=unchanged)
        ) from None
