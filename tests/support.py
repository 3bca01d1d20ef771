"""What many tests share: the one passphrase every test user signs in with."""

from __future__ import annotations

from belarchive.services.catalogue import Catalogue

# Every test user has this passphrase; conftest also exports it as BELARCHIVE_PASSPHRASE so
# the command line signs in without a prompt. The Argon2 cost is lowered for tests only
# (conftest), which changes how long a derivation takes, not what is checked.
PASSPHRASE = "test passphrase 1"


def sign_in(cat: Catalogue, *names: str) -> Catalogue:
    for name in names:
        cat.sign_in(name, PASSPHRASE)
    return cat
