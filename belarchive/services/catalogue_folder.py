"""A catalogue folder on disk: its names, its ``catalogue.json``, the checks before opening
it, and what a failed write to it means (services.catalogue opens and writes it)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import OperationalError

from belarchive.errors import CatalogueError, is_disk_full
from belarchive.i18n import _
from belarchive.security import catalogue_keys
from belarchive.security.catalogue_keys import CatalogueKey
from belarchive.services import unlocking
from belarchive.storage import engine as db_engine
from belarchive.storage import migrations
from belarchive.storage.engine import looks_like_sqlite, raw_connect

DB_NAME = "catalogue.sqlite"
# A sealed catalogue's database; DB_NAME is then a plain stub that tells older versions of
# belarchive, in their own words, that a newer version is needed (storage.engine).
SEALED_DB_NAME = "catalogue.sealed"
# The name under which the program's own data migrations are audited (never a person).
SYSTEM_USER = "belarchive-system"
META_NAME = "catalogue.json"


def operational_error(path: Path, exc: OperationalError) -> CatalogueError:
    text = str(exc.orig) if exc.orig else str(exc)
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return CatalogueError(
            _(
                "Cannot write to the catalogue at {path}: no permission or the disk is "
                "read-only. Nothing was changed."
            ).format(path=path),
            detail=text,
        )
    if "locked" in text or "busy" in text:
        return CatalogueError(
            _(
                "The catalogue is busy (another program is writing); try again. Nothing was "
                "changed."
            ),
            detail=text,
        )
    if is_disk_full(exc):
        return CatalogueError(
            _(
                "The disk holding {path} is full; nothing was changed and the catalogue is "
                "intact. Free some space and try again."
            ).format(path=path),
            detail=text,
        )
    return CatalogueError(
        _("The catalogue could not be written; nothing was changed."), detail=text
    )


def write_meta(path: Path, meta: dict[str, str]) -> None:
    """catalogue.json, replaced whole (never half-written)."""
    tmp = path / f".{META_NAME}.tmp"
    tmp.write_text(json.dumps(meta, indent=2), encoding="utf-8")
    os.replace(tmp, path / META_NAME)


def read_meta(path: Path) -> dict[str, str]:
    try:
        return dict(json.loads((path / META_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def is_sealed(path: Path) -> bool:
    return catalogue_keys.is_sealed(Path(path)) or db_engine.is_sealed_stub(Path(path) / DB_NAME)


def check_folder(path: Path, key: CatalogueKey | None = None) -> None:
    if not path.exists():
        raise CatalogueError(
            _("No catalogue at {path}. Create one with: belarchive init {path}").format(path=path)
        )
    if not path.is_dir():
        raise CatalogueError(
            _("{path} is a file, not a catalogue folder (NAME.belarchive/).").format(path=path)
        )
    if key is not None:
        unlocking.check_sealed_database(path / SEALED_DB_NAME, key)
        return
    db = path / DB_NAME
    if not db.exists():
        raise CatalogueError(
            _("{path} is not a belarchive catalogue (it has no {name}).").format(
                path=path, name=DB_NAME
            )
        )
    if not looks_like_sqlite(db):
        raise CatalogueError(
            _("{file} is not an SQLite database: the file is damaged or foreign.").format(file=db)
        )
    for target in (path, db):
        if not os.access(target, os.R_OK | os.W_OK):
            raise CatalogueError(
                _(
                    "No permission to read and write {path}. Ask for write access or copy the "
                    "catalogue somewhere writable."
                ).format(path=target)
            )
    conn = raw_connect(db)
    try:
        tables, version = migrations.read_schema(conn)
    except sqlite3.DatabaseError as exc:
        if is_disk_full(exc) or _io_error_on_full_disk(db, exc):
            raise CatalogueError(
                _(
                    "The disk holding {path} is full: the catalogue cannot be opened until some "
                    "space is freed (SQLite needs a little room for its journal). Nothing was "
                    "changed; the catalogue is intact."
                ).format(path=path),
                detail=str(exc),
            ) from exc
        raise CatalogueError(
            _("{file} cannot be read: the file is damaged.").format(file=db), detail=str(exc)
        ) from exc
    finally:
        conn.close()
    migrations.require_catalogue(
        tables,
        version,
        _("{file} is an SQLite database but not a belarchive catalogue.").format(file=db),
    )


def _io_error_on_full_disk(db: Path, exc: BaseException) -> bool:
    """SQLite reports a WAL or shared-memory file it cannot grow as a plain 'disk I/O
    error'; with almost no space left, that is the full disk, not damage."""
    if "disk I/O error" not in str(exc):
        return False
    try:
        return shutil.disk_usage(db.parent).free < 1 << 20
    except OSError:
        return False


def backup_name(path: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    (path / "backups").mkdir(exist_ok=True)
    return path / "backups" / f"{label}-{stamp}.sqlite"
