"""Licences: the GPL text at the top, and third-party notices that match what is installed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _generator() -> object:
    spec = importlib.util.spec_from_file_location(
        "third_party_notices", ROOT / "packaging" / "third_party_notices.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_gpl_is_at_the_top_of_the_repository() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text
    assert 'license = "GPL-3.0-or-later"' in (ROOT / "pyproject.toml").read_text("utf-8")


def test_the_shipped_notices_are_what_the_installed_components_say() -> None:
    gen = _generator()
    fresh = gen.notices()  # type: ignore[attr-defined]
    shipped = (ROOT / "resources" / "licenses" / "THIRD-PARTY-NOTICES.txt").read_text("utf-8")
    assert shipped == fresh, (
        "resources/licenses/THIRD-PARTY-NOTICES.txt is out of date: run "
        "packaging/third_party_notices.py (after packaging/refresh-constraints.sh)"
    )
    names = {d.metadata["Name"].lower().replace("_", "-") for d in gen.runtime_closure()}  # type: ignore[attr-defined]
    # Every component a user receives is named, Qt's LGPL with how to use another Qt.
    assert {"pyside6-essentials", "sqlalchemy", "whoosh-reloaded", "reportlab", "pystemmer",
            "cryptography", "argon2-cffi"} <= names  # fmt: skip
    assert "LGPL" in shipped and "_internal/PySide6/Qt/lib" in shipped
    assert "DejaVu" in shipped and (ROOT / "resources" / "fonts" / "LICENSE-DejaVu.txt").exists()
