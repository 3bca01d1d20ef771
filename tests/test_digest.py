"""The hash the seals and the audit chain use: SHA-256 of the text's UTF-8, at any length
(hashed in pieces when long, so the interpreter lock is kept; see domain/digest.py)."""

from __future__ import annotations

import hashlib

import pytest

from belarchive.domain.digest import text_sha256


@pytest.mark.parametrize("length", [0, 1, 1999, 2000, 2001, 2047, 2048, 4096, 100_003])
def test_the_digest_is_sha256_of_the_utf8_at_any_length(length: int) -> None:
    text = ("Σύλληψη · задержание · затрыманне · arrest " * 3000)[:length]
    assert text_sha256(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
