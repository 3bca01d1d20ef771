"""Passphrases: Argon2id hashes to check them, and Argon2id-derived keys to unwrap secrets.

Two different salts, so the stored hash never equals (or reveals) the key that protects a
user's private key. The cost parameters travel with every hash and every sealed blob, so
raising ``COST`` later leaves older records readable.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import asdict, dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw

from belarchive.errors import ValidationError
from belarchive.i18n import _

MIN_LENGTH = 8


@dataclass(frozen=True, slots=True)
class KdfCost:
    """Argon2id parameters: passes, memory in KiB, lanes. RFC 9106 recommends at least
    3 passes over 64 MiB; 128 MiB takes ~0.15 s per derivation on a 2-core laptop."""

    time_cost: int = 3
    memory_cost: int = 131072
    parallelism: int = 2

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, int]) -> KdfCost:
        return cls(int(data["time_cost"]), int(data["memory_cost"]), int(data["parallelism"]))


# Module-level so a deployment (or the test suite, to stay fast) can choose the cost of
# *new* hashes; existing hashes keep the parameters they were made with.
COST = KdfCost()


def normalised(passphrase: str) -> bytes:
    """NFC, so the same passphrase typed on two keyboards gives the same bytes."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def check_new(passphrase: str) -> str:
    """Refuse a passphrase too short to protect evidence; returns it unchanged."""
    if len(passphrase.strip()) < MIN_LENGTH:
        raise ValidationError(
            _(
                "A passphrase needs at least {n} characters; several words are easiest to remember."
            ).format(n=MIN_LENGTH)
        )
    return passphrase


def hash_passphrase(passphrase: str) -> str:
    hasher = PasswordHasher(COST.time_cost, COST.memory_cost, COST.parallelism, type=Type.ID)
    return hasher.hash(normalised(passphrase))


def matches(stored_hash: str, passphrase: str) -> bool:
    try:
        return PasswordHasher().verify(stored_hash, normalised(passphrase))
    except (VerificationError, InvalidHashError):
        return False


def new_salt() -> bytes:
    return os.urandom(16)


def derive_key(passphrase: str, salt: bytes, cost: KdfCost) -> bytes:
    """A 256-bit key from a passphrase (Argon2id)."""
    return hash_secret_raw(
        normalised(passphrase),
        salt,
        time_cost=cost.time_cost,
        memory_cost=cost.memory_cost,
        parallelism=cost.parallelism,
        hash_len=32,
        type=Type.ID,
    )
