"""Bulk edits by name, run here for a few events and in a process of their own for many.

Why a process: a bulk edit of 10,000 events reads and writes row by row in SQLite, and
Python's sqlite3 lets go of the interpreter lock around every row and takes it back a few
microseconds later. CPython only asks a holder to let go when nobody else took the lock
during the last switch interval, and each of those retakings counts, so the window's thread
waited 150–290 ms at a time for the lock while a batch ran on the writer thread (measured
with ``bench/bench_bulk.py``; a shorter switch interval changed nothing). A child process has
a lock of its own: the writer thread only waits on a pipe.

The child gets what it needs through a pipe, never on its command line or in its
environment: the catalogue folder, the catalogue key of a sealed one, and the signed-in
user's private key (their entries are signed with it, exactly as in-process). It answers
with progress messages and then the result or the error; Cancel is a message the other way,
after which it rolls back like the in-process edit. Once committed, the child also brings
the search index up to date (if it is ready), and the window's index takes up that commit
instead of re-indexing the events itself. Team catalogues keep the writer thread: their
member's server connection is not handed to another process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from belarchive import errors
from belarchive.domain.values import Status
from belarchive.errors import BelarchiveError, CatalogueError
from belarchive.i18n import _, current_language, set_language
from belarchive.search import api as search_api
from belarchive.services import bulk_edit
from belarchive.services.bulk_edit import BulkResult, CancelFlag, Progress
from belarchive.services.catalogue import Catalogue
from belarchive.services.changes import Change

# From this many events on, a bulk edit runs apart (a child costs ~0.5 s to start).
APART_FROM = 1000
# The child's indexing after its commit: when it starts, and at which priority.
INDEXING_DELAY_S = 1.5
BACKGROUND_NICENESS = 5

OPERATIONS: dict[str, Callable[..., BulkResult]] = {
    "tag_events": bulk_edit.tag_events,
    "add_place": bulk_edit.add_place,
    "remove_place": bulk_edit.remove_place,
    "request_review": bulk_edit.request_review,
    "move_status": bulk_edit.move_status,
}
_STATUS_ARGS = ("source", "target")


@dataclass(frozen=True, slots=True)
class BulkOp:
    """One of ``OPERATIONS`` with its arguments as JSON values (statuses by their value)."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)


def perform(cat: Catalogue, user: str, uuids: Sequence[str], *, op: BulkOp,
            progress: Progress | None = None, cancel: CancelFlag | None = None,
            apart: bool | None = None) -> BulkResult:  # fmt: skip
    """Run ``op`` on ``uuids`` as ``user``; ``apart`` None decides by the batch's size.

    Apart, this returns once the child has committed; the child then indexes the batch
    while the window carries on, and this process's index takes up its commit when the child
    exits (searches meanwhile say that the batch is not searchable yet)."""
    if apart is None:
        apart = len(uuids) >= APART_FROM and not cat.is_team
    if not apart:
        return _here(cat, user, uuids, op, progress, cancel)
    index = search_api.existing_index(cat)
    if index is not None:
        index.pause_for_outside()
    try:
        result, indexing = _apart(cat, user, uuids, op, progress, cancel)
    except BaseException:
        if index is not None:
            index.resume_after_outside()
        raise
    if index is not None:
        if indexing is None:
            index.resume_after_outside()
        else:
            index.indexing_outside(len(result.changed))
            _follow(indexing, index.resume_after_outside)
    # Written by another process: this one's listeners (views, the search index) are told.
    cat.notify_listeners(Change(events=frozenset(result.changed), audit_seq=result.audit_seq))
    return result


def _here(cat: Catalogue, user: str, uuids: Sequence[str], op: BulkOp,
          progress: Progress | None, cancel: CancelFlag | None) -> BulkResult:  # fmt: skip
    args = {k: Status(v) if k in _STATUS_ARGS else v for k, v in op.args.items()}
    return OPERATIONS[op.name](cat, user, uuids, **args, progress=progress, cancel=cancel)


# -- the parent's side ----------------------------------------------------------------------
def _apart(cat: Catalogue, user: str, uuids: Sequence[str], op: BulkOp,
           progress: Progress | None, cancel: CancelFlag | None,
           ) -> tuple[BulkResult, BaseProcess | None]:  # fmt: skip
    """The result, and the child if it is still indexing what it committed."""
    cat.require_folder()
    signer = cat.signer_for(user)
    raw_key = signer.private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    request = {"path": str(cat.path), "secret": cat.key.secret if cat.key else None,
               "user": user, "signing_key": raw_key, "language": current_language(),
               "op": op.name, "args": op.args, "uuids": list(uuids)}  # fmt: skip
    # spawn, never fork: this process runs Qt's and the pool's threads. A frozen bundle
    # starts it too (packaging/launch.py calls freeze_support). Daemonic: closing the
    # window ends a child still indexing; the next start catches up from the audit log.
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    child = context.Process(target=_child, args=(theirs,), name="belarchive-bulk-edit",
                            daemon=True)  # fmt: skip
    child.start()
    theirs.close()
    indexing = False
    try:
        ours.send(request)
        answer = _wait(ours, child, progress, cancel)
        indexing = bool(answer.get("indexing"))
        return _result_of(answer), child if indexing else None
    finally:
        ours.close()
        if not indexing:
            _end(child, 30)


def _end(child: BaseProcess, seconds: float | None) -> None:
    child.join(seconds)
    if child.is_alive():
        child.kill()
        child.join()


def _follow(child: BaseProcess, then: Callable[[], None]) -> None:
    """Call ``then`` on a thread of its own once ``child`` has finished indexing (or died)."""

    def wait() -> None:
        try:
            _end(child, None)
        finally:
            then()

    threading.Thread(target=wait, name="belarchive-bulk-indexing", daemon=True).start()


def _wait(pipe: Connection, child: BaseProcess, progress: Progress | None,
          cancel: CancelFlag | None) -> dict[str, Any]:  # fmt: skip
    """Progress until the answer; the user's Cancel passed on (checked ten times a second)."""
    asked_to_cancel = False
    while True:
        if not asked_to_cancel and cancel is not None and cancel():
            pipe.send("cancel")
            asked_to_cancel = True
        try:
            if not pipe.poll(0.1):
                if child.is_alive():
                    continue
                raise EOFError
            message = pipe.recv()
        except (EOFError, OSError):  # the child died without an answer: nothing committed
            return {"error": {"type": "CatalogueError", "detail": f"exit code {child.exitcode}",
                              "message": _("The bulk edit stopped before it finished; no "
                                           "event was changed.")}}  # fmt: skip
        if "progress" in message:
            if progress is not None:
                progress(*message["progress"])
            continue
        return dict(message)


def _result_of(answer: dict[str, Any]) -> BulkResult:
    if "result" in answer:
        r = answer["result"]
        return BulkResult(tuple(r["changed"]), int(r["unchanged"]), int(r["reopened"]),
                          int(r["audit_seq"]))  # fmt: skip
    raise _error_of(answer["error"])


def _error_of(e: dict[str, Any]) -> BelarchiveError:
    """The child's error as the same kind, so the window says what it says in-process."""
    kind = getattr(errors, str(e.get("type")), None)
    message, detail = str(e.get("message", "")), e.get("detail") or None
    if kind is errors.StaleVersionError:
        return errors.StaleVersionError(message, current_version=0, changed_by=None)
    if isinstance(kind, type) and issubclass(kind, BelarchiveError):
        try:
            return kind(message, detail) if kind is not errors.Cancelled else kind(message)
        except TypeError:  # a kind built otherwise: said as a catalogue error
            pass
    return CatalogueError(message, detail=detail)


# -- the child's side -----------------------------------------------------------------------
def _child(pipe: Connection) -> None:
    from belarchive.security.catalogue_keys import CatalogueKey

    request = pipe.recv()
    set_language(request["language"])

    asked: list[bool] = []

    def cancelled() -> bool:  # once asked, it stays asked
        if not asked and pipe.poll() and pipe.recv() == "cancel":
            asked.append(True)
        return bool(asked)

    secret = request["secret"]
    try:
        cat = Catalogue(Path(request["path"]), CatalogueKey(secret) if secret else None)
    except Exception as exc:
        pipe.send(_error_answer(exc))
        return
    try:
        _answer(cat, request, pipe, cancelled)
    finally:
        cat.close()


def _answer(cat: Catalogue, request: dict[str, Any], pipe: Connection,
            cancelled: Callable[[], bool]) -> None:  # fmt: skip
    """Run the edit and send its result or error; then index what it changed, after the
    window has its answer: the bulk edit is done for the user once committed."""
    try:
        result = _run_request(cat, request, pipe, cancelled)
    except Exception as exc:
        pipe.send(_error_answer(exc))
        return
    indexing = bool(result.changed) and cat.index_dir.exists()
    pipe.send({"result": {"changed": list(result.changed), "unchanged": result.unchanged,
                          "reopened": result.reopened, "audit_seq": result.audit_seq},
               "indexing": indexing})  # fmt: skip
    if indexing:
        # Re-indexing thousands of events in the window's process held its thread
        # 100-150 ms at a time. The window's index takes up this commit when we exit.
        # Background work: it starts once the window has re-read the changed list (~1.5 s
        # on two cores), at a slightly lower priority. Started at once, it made the window's
        # thread wait up to 66-125 ms in that re-read, against 41-69 ms after. Niceness 19
        # starved it on a busy machine (194 s instead of 20 with two other busy processes).
        time.sleep(INDEXING_DELAY_S)
        if hasattr(os, "nice"):
            os.nice(BACKGROUND_NICENESS)
        # The index is written by Whoosh's worker processes, which a daemonic process may
        # not start. This one is daemonic so that closing the window ends it; its workers
        # then end too (whoosh_patches.watch_parent).
        multiprocessing.current_process().daemon = False
        search_api.index_for(cat).catch_up_elsewhere()


def _error_answer(exc: Exception) -> dict[str, Any]:
    """The error as the window re-raises it (``_error_of``); never a traceback there."""
    if isinstance(exc, BelarchiveError):
        return {"error": {"type": type(exc).__name__, "message": exc.message,
                          "detail": exc.detail}}  # fmt: skip
    failed = _("The bulk edit failed; no event was changed.")
    return {"error": {"type": "CatalogueError", "message": failed,
                      "detail": f"{type(exc).__name__}: {exc}"}}  # fmt: skip


def _run_request(cat: Catalogue, request: dict[str, Any], pipe: Connection,
                 cancelled: Callable[[], bool]) -> BulkResult:  # fmt: skip
    from belarchive.security.keys import Signer

    key = Ed25519PrivateKey.from_private_bytes(request["signing_key"])
    cat.keep_signer(Signer(request["user"], key))
    op = BulkOp(request["op"], request["args"])
    return _here(cat, request["user"], request["uuids"], op,
                 lambda done, total: pipe.send({"progress": [done, total]}),
                 cancelled)  # fmt: skip
