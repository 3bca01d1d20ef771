"""Printing user text on a terminal: what would act on it is shown instead (no Qt, no
database: the command line imports this before anything heavy)."""

from __future__ import annotations

import re

# Characters that would act on a terminal instead of being shown: C0/C1 controls (an ESC
# starts a colour or cursor sequence), and bidirectional overrides and isolates that reorder
# what is printed after them (U+202E before "fdp.exe" makes it read "exe.pdf").
_ACTING = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """User text as it may be printed: acting characters become visible escapes (\\x1b)."""
    return _ACTING.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                       else f"\\u{ord(m.group()):04x}", text)  # fmt: skip
