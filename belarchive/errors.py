"""Errors a user can understand: a one-line message, plus optional technical detail."""

from __future__ import annotations


class BelarchiveError(Exception):
    """Base of every error shown to a user. ``message`` is one clear sentence."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail

    def __str__(self) -> str:
        return self.message


class ValidationError(BelarchiveError):
    """Input that does not make sense (a bad date, min > max, an unknown tag...)."""


class NotFoundError(BelarchiveError):
    """A named thing (event, user, tag, place, file) does not exist."""


class PermissionDenied(BelarchiveError):
    """The user's role or the verification rules forbid the action."""


class SignInRequired(PermissionDenied):
    """A write was attempted as a user who has not signed in with their passphrase."""


class SignInRefused(PermissionDenied):
    """A wrong passphrase, or a wait imposed after several wrong ones."""


class StaleVersionError(BelarchiveError):
    """Someone saved the record after this copy was loaded; nothing was overwritten."""

    def __init__(self, message: str, *, current_version: int, changed_by: str | None) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.changed_by = changed_by


class CatalogueError(BelarchiveError):
    """The catalogue folder or database cannot be opened, created or written."""


class SchemaTooNewError(CatalogueError):
    """The catalogue was written by a newer belarchive."""


class SealedCatalogue(CatalogueError):
    """A sealed (encrypted) catalogue was opened without a member's passphrase."""


class ResourceMissing(BelarchiveError):
    """A file belarchive ships (vocabulary, schema step, desktop file) is missing or unreadable."""


class IntegrityError(BelarchiveError):
    """The audit chain, a stored file or the database failed a check."""


class ImportError_(BelarchiveError):
    """An imported file cannot be read or understood (name avoids the builtin)."""


class SearchQueryError(BelarchiveError):
    """A search query is malformed; the message says where."""


class SearchTooCostly(SearchQueryError):
    """A well-formed query whose complete answer would take too long (a long phrase of very
    common words); the message says what to change. A quick, partial answer still works."""


class ExportError(BelarchiveError):
    """A dossier or export cannot be produced with the given options."""


class Cancelled(BelarchiveError):
    """Long work stopped because the user asked it to."""

    def __init__(self, message: str = "Cancelled.") -> None:
        super().__init__(message)


def is_disk_full(exc: BaseException) -> bool:
    """A full disk (or quota), as the OS or SQLite reports it: told apart from damage, so
    the user frees space instead of fearing for the catalogue."""
    import errno

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        text = str(getattr(seen, "orig", None) or seen)
        if "database or disk is full" in text or "No space left on device" in text:
            return True
        seen = seen.__cause__ or seen.__context__
    return False
