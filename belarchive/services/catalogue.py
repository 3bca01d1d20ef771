"""Open and create catalogues: a folder holding the database, index, files and backups."""

from __future__ import annotations

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
from belarchive.config import data_dir
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
from belarchive.services.catalogue_folder import (
    DB_NAME,
    SEALED_DB_NAME,
    SYSTEM_USER,
    backup_name,
    check_folder,
    is_sealed,
    operational_error,
    read_meta,
    write_meta,
)
from belarchive.services.changes import Change, OwnWrites
from belarchive.services.uow import UnitOfWork, load_user

if TYPE_CHECKING:
    from belarchive.services.accounts import Credentials
from belarchive.storage import engine as db_engine
from belarchive.storage import migrations
from belarchive.storage.engine import make_engine, online_backup, raw_connect
from belarchive.storage.filestore import FileStore, SealedFileStore
from belarchive.storage.folder_lock import writer_lock
from belarchive.storage.server import (
    ServerAddress,
    make_server_engine,
    read_server_meta,
    server_write_error,
)
from belarchive.storage.server_files import ServerFileStore

log = logging.getLogger(__name__)

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
        # A team catalogue's backups (pg_dump, services.team_backup) are worth keeping: in the
        # user's data folder, not in the cache that holds the rest of this desktop's copy.
        self.backups_dir = (
            path / "backups" if server is None else data_dir() / "team-backups" / path.name
        )
        self.files: FileStore
        if server is not None:
            self._use_server(server)
        else:
            self.reader = make_engine(self.db_path, writer=False, key=self.db_key)
            self.writer = make_engine(self.db_path, writer=True, key=self.db_key)
            self.files = (
                SealedFileStore(self.files_dir, key.files, key.names)
                if key
                else FileStore(self.files_dir)
            )
        if key is not None:
            # Imported here: the search index (Whoosh) costs every command ~30 ms to load.
            from belarchive.search import store as index_store

            index_store.use_key(path, key.index)
            # Logs and crash reports keep no plaintext while it is open.
            redaction.sealed_opened(path.resolve())
        self._write_lock = threading.RLock()
        self._listeners: list[Listener] = []
        self.meta = read_meta(path) if server is None else read_server_meta(self.reader)
        # Signed-in users' unlocked keys (services.accounts): in memory only, never written.
        self._signers: dict[str, Signer] = {}
        # Team catalogues: the server connection each other signed-in member writes through.
        self._member_writers: dict[str, Engine] = {}
        self.own_writes = OwnWrites()  # team catalogues: what the live feed must not announce
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
        check_folder(path, key)
        db = path / (SEALED_DB_NAME if key else DB_NAME)
        db_key = key.database if key else None
        conn = raw_connect(db, db_key)
        try:
            todo = migrations.pending(conn)
            if todo:
                backup = backup_name(path, f"pre-migration-v{migrations.current_version(conn)}")
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

    def require_folder(self) -> None:
        """Refuse, in the user's words, what only a catalogue folder can do yet."""
        if self.server is not None:
            raise CatalogueError(
                _(
                    "This is not supported on a team catalogue yet ({address}); see "
                    "docs/team-mode.md. Nothing was changed."
                ).format(address=self.server.shown())
            )

    def raw_connect(self) -> sqlite3.Connection:
        """A DB-API connection to this catalogue's database (maintenance, checks)."""
        self.require_folder()
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

    def password_changed(self, name: str, password: str) -> None:
        """A member's server password changed (services.accounts): their connections from
        now on use the new one."""
        assert self.server is not None
        if name != self.member:
            signer = self._signers.get(name)
            self.connect_member(name, password)
            if signer is not None:
                self.keep_signer(signer)
            return
        old = (self.reader, self.writer)
        self._use_server(self.server.as_member(name, password))
        for engine in old:
            engine.dispose()

    def _use_server(self, server: ServerAddress) -> None:
        """Engines on a team catalogue as the member ``server`` names, and its file store."""
        self.server = server
        self.reader = make_server_engine(server, writer=False)
        self.writer = make_server_engine(server, writer=True)
        # Archived copies live in the database: one pg_dump holds the whole archive.
        self.files = ServerFileStore(self.files_dir, self.reader)

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
                    mine = self.own_writes.expect(uow.first_seq, seq) if self.server else None
                    try:
                        session.commit()
                    except BaseException:
                        self.own_writes.drop(mine)
                        raise
            except OperationalError as exc:
                if self.server is not None:
                    raise server_write_error(self.server, exc) from exc
                raise operational_error(self.path, exc) from exc
            except SQLAlchemyError as exc:
                if self.server is not None:
                    raise server_write_error(self.server, exc) from exc
                raise CatalogueError(
                    _("The catalogue refused the change; nothing was written."), detail=str(exc)
                ) from exc
            change = uow.finish(seq)
            uow.result = change
            self._notify(change)

    def notify_listeners(self, change: Change) -> None:
        """Tell the listeners of a change made elsewhere (services.live)."""
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
