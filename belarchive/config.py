"""Where things live: bundled resources, the user's data folder, the default catalogue."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_cache_path, user_config_path, user_data_path, user_log_path

APP_NAME = "belarchive"
CATALOGUE_SUFFIX = ".belarchive"


def resources_dir() -> Path:
    """The bundled resources: package data (``belarchive/resources``, which in a checkout is
    a link to the top-level ``resources/`` source folder and in a wheel is a copy of it),
    or inside the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent / "resources"


def db_dir() -> Path:
    """The schema's home (``db/`` at the top of the source tree): migrations and the schema
    dump, shipped as package data (``belarchive/db`` links to it) and in the bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "db"
    return Path(__file__).resolve().parent / "db"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def read_resource(*parts: str) -> bytes:
    """A shipped file's bytes, or one clear line naming it when the installation lacks it."""
    from belarchive.errors import ResourceMissing
    from belarchive.i18n import _  # not at the top: belarchive.i18n reads its catalogues here

    path = resource(*parts)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ResourceMissing(
            _(
                "belarchive is incomplete: its file resources/{file} cannot be read "
                "({reason}; looked in {folder}). Reinstall belarchive."
            ).format(file="/".join(parts), reason=exc.strerror or exc, folder=path.parent),
            detail=str(exc),
        ) from exc


def sample_chronicle_path() -> Path:
    return resource("samples", "belarus-2020-11-12.el.txt")


def data_dir() -> Path:
    override = os.environ.get("BELARCHIVE_DATA_DIR")
    return Path(override) if override else user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    override = os.environ.get("BELARCHIVE_CONFIG_DIR")
    return Path(override) if override else user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Derived data that can be thrown away and made again (the word family table's terms,
    the lemma tables). ``BELARCHIVE_CACHE_DIR`` puts it elsewhere than the data folder: the
    tests share one per run, as a user's processes share theirs."""
    cache = os.environ.get("BELARCHIVE_CACHE_DIR")
    if cache:
        return Path(cache)
    override = os.environ.get("BELARCHIVE_DATA_DIR")
    return Path(override) / "cache" if override else user_cache_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    override = os.environ.get("BELARCHIVE_DATA_DIR")
    return Path(override) / "logs" if override else user_log_path(APP_NAME, appauthor=False)


def default_catalogue_path() -> Path:
    return data_dir() / f"Archive{CATALOGUE_SUFFIX}"
