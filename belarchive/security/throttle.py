"""Growing waits after wrong passphrases, kept in a small file beside the catalogue.

The wait slows guessing at the keyboard and from scripts (each attempt is also an Argon2id
derivation); it is not the protection itself: that is the cost of the derivation. Deleting
the file resets the waits, which is why it needs no protection of its own.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from belarchive.errors import SignInRefused
from belarchive.i18n import _

FILE_NAME = "signin-failures.json"
FREE_ATTEMPTS = 3
MAX_WAIT_S = 300.0


def wait_after(failures: int) -> float:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 0, 2, 4, 8, … 300."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(float(2 ** (failures - FREE_ATTEMPTS + 1)), MAX_WAIT_S)


class Throttle:
    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / FILE_NAME

    def remaining(self, user: str, now: float | None = None) -> float:
        """Seconds before ``user`` may try again (0 when they may now)."""
        entry = self._read().get(user)
        if not entry:
            return 0.0
        left = float(entry.get("until", 0.0)) - (time.time() if now is None else now)
        return max(0.0, left)

    def refuse_while_waiting(self, user: str) -> None:
        """SignInRefused while ``user`` must still wait (before any costly derivation)."""
        wait = self.remaining(user)
        if wait > 0:
            raise SignInRefused(
                _("Too many wrong passphrases for {name}; try again in {n} s.").format(
                    name=user, n=int(wait) + 1
                )
            )

    def wrong_passphrase(self, user: str, refusal: str) -> SignInRefused:
        """Count a wrong passphrase; the refusal to raise, telling any wait it now imposes."""
        _failures, wait = self.failed(user)
        if wait:
            refusal += " " + _("Wait {n} s before trying again.").format(n=int(wait))
        return SignInRefused(refusal)

    def failed(self, user: str, now: float | None = None) -> tuple[int, float]:
        """Count a wrong passphrase; returns (failures in a row, seconds to wait now)."""
        data = self._read()
        failures = int(data.get(user, {}).get("failures", 0)) + 1
        wait = wait_after(failures)
        data[user] = {"failures": failures, "until": (time.time() if now is None else now) + wait}
        self._write(data)
        return failures, wait

    def succeeded(self, user: str) -> None:
        data = self._read()
        if data.pop(user, None) is not None:
            self._write(data)

    def _read(self) -> dict[str, dict[str, float]]:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def _write(self, data: dict[str, dict[str, float]]) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError:  # a read-only catalogue still refuses the passphrase; it just cannot count
            tmp.unlink(missing_ok=True)
