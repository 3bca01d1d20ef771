"""Open and create catalogues: a folder holding the database, index, files and backups."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from belarchive import __version__
from belarchive.domain.models import User
from belarchive.domain.values import Role
from belarchive.errors import (
    CatalogueError,
    SignInRequired,
    is_disk_full,
)
from belarchive.i18n import _
from belarchive.security import catalogue_keys, redaction
from belarchive.security.catalogue_keys import CatalogueKey
from belarchive.security.keys import Signer
from belarchive.security.throttle import Throttle
from belarchive.services import founding, unlocking, validation
from belarchive.services.changes import Change
from belarchive.services.uow import UnitOfWork, load_user

if TYPE_CHECKING:
    from belarchive.services.accounts import Credentials
from belarchive.storage import engine as db_engine
from belarchive.storage import migrations
from belarchive.storage.engine import looks_like_sqlite, make_engine, online_backup, raw_connect
from belarchive.storage.filestore import FileStore, SealedFileStore
from belarchive.storage.folder_lock import writer_lock
from belarchive.storage.server import (
    ServerAddress,
    make_server_engine,
    read_server_meta,
    server_write_error,
)

log = logging.getLogger(__name__)

DB_NAME = "catalogue.sqlite"
# A sealed catalogue's database; DB_NAME is then a plain stub that tells older versions of
# belarchive, in their own words, that a newer version is needed (storage.engine).
SEALED_DB_NAME = "catalogue.sealed"
# The name under which the program's own data migrations are audited (never a person).
SYSTEM_USER = "belarchive-system"
META_NAME = "catalogue.json"
Listener = Callable[[Change], None]


class Catalogue:
    """An open catalogue. Reads may run on any thread; writes are serialised by a lock."""

    def __init__(
        self, path: Path, key: CatalogueKey | None = None, server: ServerAddress | None = None
    ) -> None:
        # A team catalogue (``server``) lives on a PostgreSQL server; ``path`` is then this
        # desktop's own folder for it in the user cache: its search index, sign-in throttle.
        self.path = path
        self.server = server
        # The server's name for whoever this connection signs in (team catalogues only).
        self.member: str | None = None
        self.key = key
        self.db_key = key.database if key else None
        # A team catalogue has no database file: a path in a folder that does not exist makes
        # any code that would still open one fail instead of creating an empty database.
        self.db_path = (
            path / (SEALED_DB_NAME if key else DB_NAME)
            if server is None
            else path / "on-the-server" / DB_NAME
        )
        self.index_dir = path / "index"
        self.files_dir = path / "files"
        self.backups_dir = path / "backups"
        self.files = (
            SealedFileStore(self.files_dir, key.files, key.names)
            if key
            else FileStore(self.files_dir)
        )
        if server is None:
            self.reader = make_engine(self.db_path, writer=False, key=self.db_key)
            self.writer = make_engine(self.db_path, writer=True, key=self.db_key)
        else:
            self.reader = make_server_engine(server, writer=False)
            self.writer = make_server_engine(server, writer=True)
        if key is not None:
            # Imported here: the search index (Whoosh) costs every command ~30 ms to load.
            from belarchive.search import store as index_store

            index_store.use_key(path, key.index)
            # Logs and crash reports keep no plaintext while it is open.
            redaction.sealed_opened(path.resolve())
        self._write_lock = threading.RLock()
        self._listeners: list[Listener] = []
        self.meta = _read_meta(path) if server is None else read_server_meta(self.reader)
        # Signed-in users' unlocked keys (services.accounts): in memory only, never written.
        self._signers: dict[str, Signer] = {}
        # Team catalogues: the server connection each other signed-in member writes through.
        self._member_writers: dict[str, Engine] = {}
        self.throttle = Throttle(path)

    # -- opening ----------------------------------------------------------------------------
    @classmethod
    def create(
        cls, path: Path, *, admin: str, passphrase: str, language: str = "el", sealed: bool = False
    ) -> Catalogue:
        """A new catalogue at ``path``, built whole in a folder beside it and then renamed,
        so a failure leaves nothing behind that a second attempt would refuse. The admin
        chooses their passphrase now and is returned signed in. A ``sealed`` catalogue is
        encrypted from its first byte (security.catalogue_keys)."""
        from belarchive.services.accounts import new_credentials

        path = Path(path)
        admin = validation.user_name(admin)
        founder = new_credentials(admin, passphrase)
        key = CatalogueKey.generate() if sealed else None
        if key is not None:
            db_engine.sqlcipher()  # refuse at once where SQLCipher is missing
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise CatalogueError(
                _("{path} already exists and is not empty; choose a new folder.").format(path=path)
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            building = Path(tempfile.mkdtemp(prefix=f".{path.name}.creating-", dir=path.parent))
        except OSError as exc:
            raise CatalogueError(
                _("Cannot create a catalogue at {path}: {reason}.").format(
                    path=path, reason=exc.strerror
                )
            ) from exc
        try:
            cls._build(building, founder, language, key)
            if path.exists():
                path.rmdir()  # the empty folder the user chose
            os.rename(building, path)
        except BaseException as exc:
            shutil.rmtree(building, ignore_errors=True)
            if is_disk_full(exc):
                raise CatalogueError(
                    _("The disk holding {parent} is full; nothing was left behind.").format(
                        parent=path.parent
                    ),
                    detail=str(exc),
                ) from exc
            if isinstance(exc, (OSError, sqlite3.DatabaseError, SQLAlchemyError)):
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise CatalogueError(
                    _(
                        "Cannot create a catalogue at {path}: {reason}; nothing was left behind."
                    ).format(path=path, reason=reason),
                    detail=str(exc),
                ) from exc
            raise
        cat = cls(path, key)
        cat.keep_signer(founder.signer)
        return cat

    @classmethod
    def _build(
        cls, folder: Path, founder: Credentials, language: str, key: CatalogueKey | None
    ) -> None:
        for sub in ("index", "files", "backups"):
            (folder / sub).mkdir()
        if key is not None:
            db_engine.write_sealed_stub(folder / DB_NAME)
        conn = raw_connect(
            folder / (SEALED_DB_NAME if key else DB_NAME), key.database if key else None
        )
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            migrations.apply(conn, migrations.pending(conn))
        finally:
            conn.close()
        meta = {
            "catalogue_id": str(uuid.uuid4()),
            "default_language": language,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "created_with": __version__,
        }
        write_meta(folder, meta)
        if key is not None:
            signer = founder.signer
            entry = catalogue_keys.member_entry(key, signer.user, signer.public_hex,
                                                founder.wrapped_key)  # fmt: skip
            catalogue_keys.write(folder, meta["catalogue_id"], [entry], None)
        cat = cls(folder, key)
        try:
            with cat._write_lock:
                founding.found(cat.writer, founder, meta)
        finally:
            cat.close()

    @classmethod
    def open(cls, path: Path, unlock: unlocking.Unlock | None = None) -> Catalogue:
        """Open the catalogue at ``path``; a sealed one needs ``unlock`` (a member's name
        and passphrase, who is then signed in, or the recovery key)."""
        path = Path(path)
        opened = unlocking.unlocked(path, unlock, sealed=is_sealed(path))
        key, member = opened if opened else (None, None)
        _check_folder(path, key)
        db = path / (SEALED_DB_NAME if key else DB_NAME)
        db_key = key.database if key else None
        conn = raw_connect(db, db_key)
        try:
            todo = migrations.pending(conn)
            if todo:
                backup = _backup_name(path, f"pre-migration-v{migrations.current_version(conn)}")
                conn.close()
                online_backup(db, backup, db_key)
                conn = raw_connect(db, db_key)
                migrations.apply(conn, todo)
                log.info("catalogue %s migrated to schema %s", path, migrations.LATEST_VERSION)
        except db_engine.database_errors(OSError) as exc:
            if is_disk_full(exc):
                raise CatalogueError(
                    _(
                        "The disk holding {path} is full: the catalogue could not be upgraded (a "
                        "backup is made first). Free some space and open it again; nothing was "
                        "changed, the catalogue is intact."
                    ).format(path=path),
                    detail=str(exc),
                ) from exc
            if isinstance(exc, OSError):
                raise CatalogueError(
                    _("Cannot prepare {path} for opening: {reason}. Nothing was changed.").format(
                        path=path, reason=exc.strerror or exc
                    ),
                    detail=str(exc),
                ) from exc
            raise CatalogueError(
                _(
                    "{db} cannot be read as a catalogue database (damaged or foreign file); "
                    "nothing was changed."
                ).format(db=db),
                detail=str(exc),
            ) from exc
        finally:
            conn.close()
        for sub in ("index", "files", "backups"):
            (path / sub).mkdir(exist_ok=True)
        cat = cls(path, key)
        from belarchive.services import data_migrations

        try:
            data_migrations.run_all(cat)
            if key is not None and unlock is not None and unlock.user and unlock.sign_in:
                unlocking.sign_in_member(cat, unlock, member)
        except BaseException:
            cat.close()
            raise
        return cat

    @property
    def sealed(self) -> bool:
        return self.key is not None

    @property
    def is_team(self) -> bool:
        return self.server is not None

    @property
    def label(self) -> str:
        """How messages name this catalogue: its folder, or its server address."""
        return self.server.shown() if self.server else str(self.path)

    @contextmanager
    def check_connection(self) -> Iterator[Any]:
        """A connection for long reads and checks (storage.sqlrun runs SQL on either kind):
        a plain sqlite3 one for a folder, a pooled SQLAlchemy one for a team catalogue."""
        if self.server is not None:
            with self.reader.connect() as conn:
                yield conn
            return
        raw = self.raw_connect()
        try:
            yield raw
        finally:
            raw.close()

    def raw_connect(self) -> sqlite3.Connection:
        """A DB-API connection to this catalogue's database (maintenance, checks)."""
        if self.server is not None:
            raise CatalogueError(
                _(
                    "This is not supported on a team catalogue yet ({address}); see "
                    "docs/team-mode.md. Nothing was changed."
                ).format(address=self.server.shown())
            )
        return raw_connect(self.db_path, self.db_key)

    # -- working ----------------------------------------------------------------------------
    @property
    def catalogue_id(self) -> str:
        return str(self.meta.get("catalogue_id", ""))

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def session(self) -> Session:
        """A read session (use as a context manager). Never commit through it."""
        return Session(self.reader, expire_on_commit=False)

    # -- who is signed in --------------------------------------------------------------------
    def sign_in(self, name: str, passphrase: str) -> Signer:
        from belarchive.services import accounts

        return accounts.sign_in(self, name, passphrase)

    def keep_signer(self, signer: Signer) -> None:
        self._signers[signer.user] = signer

    def forget_signer(self, name: str | None = None) -> None:
        """Sign ``name`` out (everyone when None): their key leaves memory."""
        names = list(self._signers) if name is None else [name]
        for each in names:
            self._signers.pop(each, None)
            engine = self._member_writers.pop(each, None)
            if engine is not None:
                engine.dispose()

    def connect_member(self, name: str, password: str) -> None:
        """A team catalogue: sign ``name`` in to the server too, with their own connection
        for their writes, so the server knows who writes each row (one secret unlocks both:
        the passphrase is also the server password, services.users keeps them equal)."""
        assert self.server is not None
        if name == self.member:
            return
        engine = make_server_engine(self.server.as_member(name, password), writer=True)
        try:
            with engine.connect():
                pass
        except SQLAlchemyError as exc:
            engine.dispose()
            raise server_write_error(self.server.as_member(name, ""), exc) from exc
        self.forget_signer(name)
        self._member_writers[name] = engine

    def is_signed_in(self, name: str) -> bool:
        return name in self._signers

    def signer_for(self, name: str) -> Signer:
        signer = self._signers.get(name)
        if signer is None:
            with self.session() as session:
                load_user(session, name)  # an unknown or deactivated user is told so
            raise SignInRequired(
                _(
                    "Sign in as {name} first: changes are signed with the author's key, which "
                    "their passphrase unlocks (scripts set BELARCHIVE_PASSPHRASE)."
                ).format(name=name)
            )
        return signer

    @contextmanager
    def write(self, user_name: str) -> Iterator[UnitOfWork]:
        """One transaction as ``user_name``, who must be signed in; on success the audit
        chain grows by entries they signed, and listeners run."""
        with self.write_as(self.signer_for(user_name)) as uow:
            yield uow

    @contextmanager
    def write_as(self, signer: Signer) -> Iterator[UnitOfWork]:
        with self._transaction(lambda session: load_user(session, signer.user), signer) as uow:
            yield uow

    def write_as_program(self, name: str = "") -> AbstractContextManager[UnitOfWork]:
        """A transaction the program makes on its own (a data migration, a restore), audited
        under ``name`` — the acting person, who may not be a user of the restored
        database — or the program's own name; never under anyone else's."""
        label = name or SYSTEM_USER
        return self._transaction(
            lambda _s: User(name=label, role=Role.ADMIN, created_at=datetime.now(UTC))
        )

    @contextmanager
    def _transaction(
        self, acting: Callable[[Session], User], signer: Signer | None = None
    ) -> Iterator[UnitOfWork]:
        # The folder lock keeps writers of other processes out while a multi-step
        # operation (a restore) runs; SQLite's own lock covers single transactions.
        writer = self._member_writers.get(signer.user, self.writer) if signer else self.writer
        with self._write_lock, writer_lock(self.path):
            try:
                with Session(writer, expire_on_commit=False) as session:
                    uow = UnitOfWork(session, acting(session), signer)
                    yield uow
                    seq = uow.flush_audit()
                    session.commit()
            except OperationalError as exc:
                if self.server is not None:
                    raise server_write_error(self.server, exc) from exc
                raise _operational(self.path, exc) from exc
            except SQLAlchemyError as exc:
                if self.server is not None:
                    raise server_write_error(self.server, exc) from exc
                raise CatalogueError(
                    _("The catalogue refused the change; nothing was written."), detail=str(exc)
                ) from exc
            change = uow.finish(seq)
            uow.result = change
            self._notify(change)

    def _notify(self, change: Change) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:  # a listener (e.g. the index) must never undo a committed write
                log.exception("change listener failed")

    def close(self) -> None:
        self.forget_signer()
        self.reader.dispose()
        self.writer.dispose()
        if self.key is not None:
            from belarchive.search import store as index_store

            index_store.use_key(self.path, None)
            redaction.sealed_closed(self.path.resolve())
            self.key = None  # closing twice must not release another opening's

    def __enter__(self) -> Catalogue:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _operational(path: Path, exc: OperationalError) -> CatalogueError:
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


def _read_meta(path: Path) -> dict[str, str]:
    try:
        return dict(json.loads((path / META_NAME).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def is_sealed(path: Path) -> bool:
    return catalogue_keys.is_sealed(Path(path)) or db_engine.is_sealed_stub(Path(path) / DB_NAME)


def _check_folder(path: Path, key: CatalogueKey | None = None) -> None:
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


def _backup_name(path: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    (path / "backups").mkdir(exist_ok=True)
    return path / "backups" / f"{label}-{stamp}.sqlite"
