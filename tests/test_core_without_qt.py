"""The core imports and works with PySide6 unavailable; only belarchive.gui may import Qt."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent

BLOCK_QT = """
import sys, importlib.abc
class BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):
            raise ImportError('Qt is blocked for this test: ' + name)
        return None
sys.meta_path.insert(0, BlockQt())
"""


def _core_modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "belarchive").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        parts = rel.parts
        if "gui" in parts or parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_core_imports_with_qt_blocked(tmp_path: Path) -> None:
    modules = _core_modules()
    assert "belarchive.services.catalogue" in modules and len(modules) > 20
    code = (
        BLOCK_QT
        + "\nimport importlib\n"
        + "\n".join(f"importlib.import_module({m!r})" for m in modules)
        + """
from belarchive.cli import main
import os
rc = main(['init', os.environ['CAT'], '--user', 'anna'])
rc |= main(['add', '--catalogue', os.environ['CAT'], '--user', 'anna', '--title', 'Без Qt',
            '--date', '2020-08-09', '--place', 'Минск', '--figure', 'detained:3000:more_than'])
rc |= main(['check', '--catalogue', os.environ['CAT']])
assert 'PySide6' not in sys.modules
sys.exit(rc)
"""
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CAT": str(tmp_path / "NoQt.belarchive")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Audit log: ok" in result.stdout


def test_no_qt_import_outside_gui() -> None:
    pattern = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6)", re.MULTILINE)
    offenders = [
        str(p)
        for p in (ROOT / "belarchive").rglob("*.py")
        if "gui" not in p.relative_to(ROOT).parts and pattern.search(p.read_text())
    ]
    assert offenders == []
