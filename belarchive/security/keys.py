"""Users' Ed25519 signing keys: made, wrapped under a passphrase, unwrapped, used.

A wrapped key is a small JSON text: the Argon2id parameters and salt, an AES-GCM nonce and
the encrypted 32-byte private key. The associated data binds it to its user and public key,
so a wrapped key copied onto another user's row does not open.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from belarchive.i18n import _
from belarchive.security import passphrases

WRAP_FORMAT = "belarchive-key-1"


class KeyUnavailable(Exception):
    """A wrapped key that is missing, damaged or not this user's (never a wrong passphrase)."""


@dataclass(frozen=True, slots=True)
class Signer:
    """An unlocked private key, held in memory for the signed-in user only."""

    user: str
    private_key: Ed25519PrivateKey

    @property
    def public_hex(self) -> str:
        return public_hex(self.private_key.public_key())

    def sign_hex(self, digest_hex: str) -> str:
        return self.private_key.sign(bytes.fromhex(digest_hex)).hex()

    def __repr__(self) -> str:  # never print key material, even by accident
        return f"Signer(user={self.user!r}, public={self.public_hex[:16]}…)"


def generate(user: str) -> Signer:
    return Signer(user, Ed25519PrivateKey.generate())


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def fingerprint(public_key_hex: str) -> str:
    """A short, readable name for a key: its first 16 hex digits in groups of four."""
    head = public_key_hex[:16]
    return " ".join(head[i : i + 4] for i in range(0, 16, 4))


_PUBLIC_CACHE: dict[str, Ed25519PublicKey] = {}


def load_public(public_key_hex: str) -> Ed25519PublicKey:
    key = _PUBLIC_CACHE.get(public_key_hex)
    if key is None:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
        _PUBLIC_CACHE[public_key_hex] = key
    return key


def signature_ok(public_key_hex: str, digest_hex: str, signature_hex: str) -> bool:
    try:
        load_public(public_key_hex).verify(bytes.fromhex(signature_hex), bytes.fromhex(digest_hex))
    except (InvalidSignature, ValueError):
        return False
    return True


def _associated(user: str, public: str) -> bytes:
    return f"{WRAP_FORMAT}\n{user}\n{public}".encode()


def wrap(signer: Signer, passphrase: str) -> str:
    """The private key encrypted under a key derived from ``passphrase``."""
    salt, nonce = passphrases.new_salt(), os.urandom(12)
    cost = passphrases.COST
    kek = passphrases.derive_key(passphrase, salt, cost)
    raw = signer.private_key.private_bytes_raw()
    sealed = AESGCM(kek).encrypt(nonce, raw, _associated(signer.user, signer.public_hex))
    return json.dumps(
        {
            "format": WRAP_FORMAT,
            "kdf": {"name": "argon2id", **cost.as_dict()},
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "key": _b64(sealed),
        },
        sort_keys=True,
    )


def unwrap(wrapped: str | None, user: str, public: str, passphrase: str) -> Signer:
    """Open a wrapped key; KeyUnavailable when the blob is missing, damaged or foreign."""
    if not wrapped:
        raise KeyUnavailable(_("{user} has no private key in this catalogue.").format(user=user))
    try:
        data = json.loads(wrapped)
        if data.get("format") != WRAP_FORMAT:
            raise KeyUnavailable(
                _("{user}'s private key is in an unknown format.").format(user=user)
            )
        cost = passphrases.KdfCost.from_dict(data["kdf"])
        kek = passphrases.derive_key(passphrase, _unb64(data["salt"]), cost)
        raw = AESGCM(kek).decrypt(
            _unb64(data["nonce"]), _unb64(data["key"]), _associated(user, public)
        )
        private = Ed25519PrivateKey.from_private_bytes(raw)
    except (ValueError, KeyError, TypeError, InvalidTag) as exc:
        raise KeyUnavailable(
            _("{user}'s private key is damaged or belongs to someone else.").format(user=user)
        ) from exc
    signer = Signer(user, private)
    if signer.public_hex != public:
        raise KeyUnavailable(
            _("{user}'s private key does not match their public key.").format(user=user)
        )
    return signer


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
