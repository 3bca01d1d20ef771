"""Build step that pyproject.toml cannot express: compile the translation catalogues.

The wheel carries ``resources/locale/<lang>/LC_MESSAGES/belarchive.mo``, compiled here from
the ``.po`` sources (``packaging/translations.py``, which refuses a translation with a
placeholder the code does not fill). Compiled catalogues are never committed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTranslations(build_py):
    def run(self) -> None:
        super().run()
        # packaging/ is not a package (and the name belongs to PyPI's "packaging"): load the
        # workflow module by path.
        spec = importlib.util.spec_from_file_location(
            "belarchive_translations", HERE / "packaging" / "translations.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        target = Path(self.build_lib) / "belarchive" / "resources" / "locale"
        module.compile_catalogues(HERE / "resources" / "locale", target)


setup(cmdclass={"build_py": BuildWithTranslations})
