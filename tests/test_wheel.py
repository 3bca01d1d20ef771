"""The wheel works on its own: built from this checkout, installed into an empty folder,
it creates a catalogue with the sample, reads its translations and vocabularies from its
own package data, and never from the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources, which
    # must not happen in the checkout while other tests run.
    source = out / "source"
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        source.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    (source / "packaging").mkdir()
    shutil.copy2(ROOT / "packaging" / "translations.py", source / "packaging")
    for folder in ("belarchive", "resources", "db"):
        shutil.copytree(ROOT / folder, source / folder, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))  # fmt: skip
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(source)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(out.glob("belarchive-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {n for n in names if n.startswith("belarchive/resources/")}
    expected = {
        f"belarchive/resources/{p.relative_to(ROOT / 'resources').as_posix()}"
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
    }
    # ... and the translation catalogues compiled by the build (never committed).
    expected |= {n[: -len(".po")] + ".mo" for n in expected if n.endswith(".po")}
    assert bundled == expected  # every resource, and nothing else under that name
    # The licence travels in the wheel's metadata, the third-party notices as a resource.
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "belarchive/resources/licenses/THIRD-PARTY-NOTICES.txt" in names
    # The schema steps come from db/ (and nothing else of db/: no fixtures, no README), with
    # the team server's schema and rules (`belarchive init postgresql://...` reads them).
    shipped_db = {n for n in names if n.startswith("belarchive/db/")}
    steps = {f"belarchive/db/migrations/{p.name}" for p in (ROOT / "db/migrations").glob("*.sql")}
    team = {f"belarchive/db/postgresql/{p.name}" for p in (ROOT / "db/postgresql").glob("*.sql")}
    assert team == {f"belarchive/db/postgresql/{n}.sql" for n in ("schema", "rules", "files")}
    assert shipped_db == steps | team | {"belarchive/db/schema.sql"}
    target = out / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-2000:]
    return target


def _run(site: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The installed copy first on the path, run from a folder that is not the checkout.
    env = {**os.environ, "PYTHONPATH": str(site), "BELARCHIVE_DATA_DIR": str(cwd / "data")}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False, timeout=120)  # fmt: skip


def test_the_installed_wheel_creates_a_catalogue_with_the_sample(
    installed: Path, tmp_path: Path
) -> None:
    code = (
        "import sys, belarchive; from belarchive.cli import main; "
        f"assert belarchive.__file__.startswith({str(installed)!r}), belarchive.__file__; "
        f"sys.exit(main(['init', {str(tmp_path / 'W.belarchive')!r}, '-u', 'anna', "
        "'--with-sample']))"
    )
    done = _run(installed, code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Imported the sample chronicle" in done.stdout


def test_the_installed_wheel_reads_its_translations_and_gazetteer(
    installed: Path, tmp_path: Path
) -> None:
    # The wheel carries the catalogues compiled at build time (.mo), not only the sources.
    code = (
        "from belarchive.config import resources_dir, resource; "
        "from belarchive import i18n; import json; "
        "print(resources_dir()); "
        "print(resource('locale', 'ru', 'LC_MESSAGES', 'belarchive.mo').stat().st_size); "
        "print(len(i18n.messages('el'))); "
        "print(len(json.loads(resource('vocabularies', 'geonames_places.json')"
        ".read_text('utf-8'))))"
    )
    done = _run(installed, code, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    folder, compiled, greek, places = done.stdout.split()
    assert folder.startswith(str(installed))
    assert int(compiled) > 10_000 and int(greek) > 400 and int(places) > 0


def test_a_missing_shipped_file_is_one_line_naming_it(installed: Path, tmp_path: Path) -> None:
    """An installed copy that lost a file (a packager's mistake, a broken disk) says which."""
    broken = tmp_path / "broken-site"
    shutil.copytree(installed, broken, symlinks=True)
    (broken / "belarchive" / "resources" / "vocabularies" / "tags.json").unlink()
    code = (
        "import sys; from belarchive.cli import main; "
        f"sys.exit(main(['init', {str(tmp_path / 'X.belarchive')!r}, '-u', 'anna']))"
    )
    done = _run(broken, code, tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "resources/vocabularies/tags.json" in done.stderr and "Reinstall" in done.stderr
    assert not (tmp_path / "X.belarchive").exists()  # nothing half-built is left
