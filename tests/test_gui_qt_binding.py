"""The Qt binding must survive a long session: PySide6 6.12.0 lost a reference to True/None
on every Signal.emit() and aborted after a few thousand ("bool_dealloc")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CHILD = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class Emitter(QObject):
    fired = Signal(int)
seen = []
e = Emitter()
e.fired.connect(seen.append)
before = sys.getrefcount(True), sys.getrefcount(None)
for i in range(20000):
    e.fired.emit(i)
after = sys.getrefcount(True), sys.getrefcount(None)
print(len(seen), after[0] - before[0], after[1] - before[1])
"""


@pytest.mark.gui
def test_signals_do_not_leak_references_to_singletons() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True,
                            env=env, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    count, true_delta, none_delta = map(int, result.stdout.split())
    assert count == 20000
    assert abs(true_delta) < 100 and abs(none_delta) < 100
