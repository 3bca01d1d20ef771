"""Data migrations run when a catalogue opens: each is audited, skipped once done, and
never stops the catalogue from opening (a read-only or busy catalogue catches up later)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from belarchive.errors import CatalogueError
from belarchive.services import audit
from belarchive.services.uow import audit_head_seq
from belarchive.storage import migrations

if TYPE_CHECKING:
    from belarchive.services.catalogue import Catalogue

log = logging.getLogger(__name__)

# meta key: the audit entry from which every entry must be signed (services.signed_audit).
SIGNING_META = "signing_since"


def run_all(cat: Catalogue) -> None:
    start_signing(cat)
    upgrade_gazetteer(cat)
    seal_unsealed(cat)


def start_signing(cat: Catalogue) -> None:
    """A data migration: an older catalogue records where its signed history begins.

    Entries before that point were written before belarchive signed anything and are
    reported as unsigned, never as forged (services.signed_audit).
    """
    from belarchive.services import signed_audit

    with cat.reader.connect() as conn:
        row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (SIGNING_META,)).first()
    if row is not None:
        return
    try:
        with cat.write_as_program() as uow:
            seq = audit_head_seq(uow) + 1
            uow.record(signed_audit.SIGNING_START, "catalogue", cat.catalogue_id,
                       after={"from_entry": seq})  # fmt: skip
            uow.session.connection().exec_driver_sql(
                audit.META_SET_SQL,
                (SIGNING_META, str(seq)),
            )
    except CatalogueError as exc:  # read-only or busy: started on a later open
        log.warning("signed history not started: %s", exc.message)


def seal_unsealed(cat: Catalogue) -> None:
    """A data migration for evidence seals (services.seals), run on open.

    A catalogue from before seals gets its events and sources sealed once, as they are
    now. After a schema upgrade every record is sealed again, since new columns change
    every row's hash: the upgrade itself is the audited reason, and the pre-migration
    backup keeps the old state. Both run under the program's name.
    """
    from belarchive.services import seals

    schema = str(migrations.LATEST_VERSION)
    with cat.reader.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (seals.META_KEY,)
        ).first()
    sealed_at = row[0] if row is not None else None
    if sealed_at == schema:
        return
    try:
        with cat.write_as_program() as uow:
            conn = uow.session.connection()
            run = seals.sqlalchemy_runner(conn)
            if sealed_at is None:
                events, sources = seals.unsealed(run)
                action = "evidence.seal_existing"
            else:
                events, sources = seals.all_records(run)
                action = "evidence.reseal_after_upgrade"
            uow.seal_also[0].update(events)  # sealed when the transaction ends
            uow.seal_also[1].update(sources)
            uow.record(action, "catalogue", cat.catalogue_id,
                       before={"schema": sealed_at},
                       after={"schema": schema, "events": len(events),
                              "sources": len(sources)})  # fmt: skip
            conn.exec_driver_sql(
                audit.META_SET_SQL,
                (seals.META_KEY, schema),
            )
    except CatalogueError as exc:  # read-only or busy: sealed on a later open
        log.warning("sealing evidence skipped: %s", exc.message)


def upgrade_gazetteer(cat: Catalogue) -> None:
    """A data migration: places of a newer bundled gazetteer join an older catalogue.

    Audited under a system name (no person did it); skipped when the catalogue already
    has this gazetteer, so opening stays a single read.
    """
    from belarchive.services import vocabulary

    with cat.reader.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (vocabulary.GAZETTEER_META,)
        ).first()
    if row is not None and row[0] == vocabulary.gazetteer_digest():
        return
    try:
        with cat.write_as_program() as uow:
            added = vocabulary.add_missing_places(uow)
            digest = vocabulary.gazetteer_digest()
            after = {"added": len(added), "digest": digest}
            uow.record("gazetteer.upgrade", "catalogue", cat.catalogue_id, after=after, lead=True)
    except CatalogueError as exc:  # read-only or busy: the catalogue still opens
        log.warning("gazetteer upgrade skipped: %s", exc.message)
