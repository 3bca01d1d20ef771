"""The default catalogue: created on first run and filled from the bundled sample chronicle."""

from __future__ import annotations

import logging
from collections.abc import Callable

from belarchive.config import default_catalogue_path, sample_chronicle_path
from belarchive.domain.values import Role
from belarchive.services import users
from belarchive.services.accounts import DEMO_PASSPHRASE
from belarchive.services.catalogue import Catalogue
from belarchive.services.catalogue_folder import write_meta
from belarchive.services.importing import ImportResult, commit_chronicle, preview_chronicle

log = logging.getLogger(__name__)

SAMPLE_YEAR = 2020
# Demo colleagues, so that the four-eyes rule can be tried at once: the sample is imported
# by the archivist, and the reviewer (or the admin) can verify it.
DEMO_USERS = (("archivist", Role.ARCHIVIST), ("reviewer", Role.REVIEWER))


def create_default_catalogue(admin: str) -> Catalogue:
    """Create the (empty) default catalogue with its first users. Fast: no import here."""
    path = default_catalogue_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    cat = Catalogue.create(path, admin=admin, passphrase=DEMO_PASSPHRASE, language="el")
    existing = {u.name for u in users.list_users(cat)}
    for name, role in DEMO_USERS:
        if name not in existing:
            users.add_user(cat, admin, name, role, DEMO_PASSPHRASE)
    mark_demo(cat)
    return cat


def mark_demo(cat: Catalogue) -> None:
    """Say in catalogue.json that its users start with the demo passphrase, so the app can
    sign them in at once and tell them to choose their own (the passphrase is still checked)."""
    cat.meta["demo_passphrase"] = DEMO_PASSPHRASE
    write_meta(cat.path, cat.meta)


def import_sample(
    cat: Catalogue,
    user: str = "archivist",
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportResult:
    """Import the bundled Greek chronicle (year 2020) as ``user``; idempotent."""
    known = {u.name for u in users.list_users(cat)}
    acting = user if user in known else next(iter(sorted(known)))
    preview = preview_chronicle(
        cat,
        sample_chronicle_path(),
        year=SAMPLE_YEAR,
        language="el",
        progress=progress,
        cancel=cancel,
    )
    if not cat.is_signed_in(acting):
        cat.sign_in(acting, DEMO_PASSPHRASE)
    result = commit_chronicle(cat, acting, preview, progress=progress, cancel=cancel)
    log.info("sample chronicle: %d events imported", len(result.event_uuids))
    return result


def ensure_default_catalogue(admin: str) -> Catalogue:
    """Open the default catalogue, creating it and importing the sample on first use."""
    path = default_catalogue_path()
    if path.exists():
        return Catalogue.open(path)
    cat = create_default_catalogue(admin)
    import_sample(cat, "archivist")
    return cat
