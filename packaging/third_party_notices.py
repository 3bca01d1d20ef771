"""Third-party notices, generated from the installed distributions' own metadata.

Rewrite the shipped file (after packaging/refresh-constraints.sh) with

    .venv/bin/python packaging/third_party_notices.py > resources/licenses/THIRD-PARTY-NOTICES.txt

``tests/test_licences.py`` keeps it equal to what the installed (constrained) dependencies
say, so it cannot drift from what the wheel and the bundle carry.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata

from packaging.requirements import Requirement

ROOT_DIST = "belarchive"
_LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)

QT_NOTE = """\
Qt for Python (PySide6, shiboken6) and the Qt libraries it carries are used under the GNU
Lesser General Public License, version 3 (LGPL-3.0). belarchive loads them as separate
shared libraries and does not modify them. To use belarchive with a Qt of your own (a
modified or newer build of the same Qt 6 version), install that PySide6/Qt into the Python
environment that runs belarchive (pip install your build) or, in the one-folder bundle,
replace the libraries under _internal/PySide6/Qt/lib/ and the PySide6 modules under
_internal/PySide6/ with your build; belarchive needs no relinking step beyond that. The Qt
source code is available from https://download.qt.io/official_releases/qt/ and the
PySide6 source from https://download.qt.io/official_releases/QtForPython/.
"""


def runtime_closure(root: str = ROOT_DIST) -> list[metadata.Distribution]:
    """Every installed distribution belarchive needs at run time (no extras), sorted."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = _norm(name)
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    seen.pop(_norm(root), None)
    return sorted(seen.values(), key=lambda d: _norm(d.metadata["Name"]))


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]  # fmt: skip
    text = (meta.get("License") or "").strip()
    if classifiers:
        return "; ".join(classifiers)
    return text.splitlines()[0][:120] if text else "(not stated in its metadata)"


def licence_texts(dist: metadata.Distribution) -> list[tuple[str, str]]:
    out = []
    for file in dist.files or []:
        wanted = "dist-info" in str(file) or len(file.parts) <= 2
        if wanted and _LICENCE_FILE.search(str(file)):
            try:
                raw = file.locate().read_bytes()
                out.append((str(file), raw.decode("utf-8", errors="replace")))
            except OSError:
                continue
    return sorted(out)


SQLCIPHER_NOTE = """\
SQLCipher (the Community Edition, inside the sqlcipher3 wheel) encrypts sealed catalogues.
Copyright (c) 2008-2024 Zetetic LLC. It is distributed under a BSD-style licence: use in
source and binary forms is permitted provided the copyright notice, the conditions and the
disclaimer are retained, and Zetetic's name is not used to endorse products without
permission; it is provided "as is", without warranty. SQLite, which it extends, is in the
public domain. Source: https://github.com/sqlcipher/sqlcipher
"""


def notices() -> str:
    parts = [
        "belarchive — third-party notices",
        "=" * 32,
        "",
        "belarchive is free software under the GNU General Public License, version 3 or later",
        "(see LICENSE). It is distributed with, or installs, the components below, each under",
        "its own licence, reproduced as its distribution ships it. The DejaVu fonts are under",
        "the licence in resources/fonts/LICENSE-DejaVu.txt. The map's borders are Natural",
        "Earth data, in the public domain (resources/map/README.md).",
        "",
        QT_NOTE,
        SQLCIPHER_NOTE,
    ]
    for dist in runtime_closure():
        meta = dist.metadata
        parts += ["-" * 78, f"{meta['Name']} {dist.version} — {licence_of(dist)}"]
        home = meta.get("Home-page") or _project_url(meta)
        if home:
            parts.append(home)
        for name, text in licence_texts(dist):
            parts += ["", f"[{name}]", text.rstrip()]
        parts.append("")
    return "\n".join(parts) + "\n"


def _project_url(meta: metadata.PackageMetadata) -> str:
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return url.strip()
    return ""


if __name__ == "__main__":
    sys.stdout.write(notices())
