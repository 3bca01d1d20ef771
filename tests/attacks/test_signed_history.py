"""Signed-in users and signed history (issue 10): the attacks the issue names, for real.

Each test works on a real catalogue in a temporary folder; the forgeries are made the way
an attacker holding the database file and the source code would: with the project's own
hash function, raw SQL and, where the attack needs one, a key of their own.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from support import PASSPHRASE

from belarchive.errors import (
    CatalogueError,
    IntegrityError,
    NotFoundError,
    SignInRefused,
    SignInRequired,
    ValidationError,
)
from belarchive.exporting.json_io import export_json
from belarchive.importing.json_io import import_json
from belarchive.security import keys
from belarchive.security.throttle import wait_after
from belarchive.services import accounts, anchors, audit, events, signed_audit, users, verification
from belarchive.services.catalogue import Catalogue
from belarchive.services.inputs import EventInput, SourceInput
from belarchive.services.sources import add_source, cite
from belarchive.storage.engine import raw_connect


def _verify(cat: Catalogue) -> audit.ChainReport:
    conn = raw_connect(cat.db_path)
    try:
        return audit.verify_chain(conn)
    finally:
        conn.close()


def _sql(cat: Catalogue, sql: str, *params: object) -> None:
    conn = sqlite3.connect(cat.db_path)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def _rechain(cat: Catalogue) -> None:
    """What the issue's attacker did: recompute every hash after an edit, rewrite the head."""
    conn = sqlite3.connect(cat.db_path)
    try:
        prev = audit.GENESIS_HASH
        rows = conn.execute(
            "SELECT seq, ts, user, action, entity_type, entity_id, before_json, after_json "
            "FROM auditentry ORDER BY seq"
        ).fetchall()
        for seq, ts, user, action, etype, eid, before, after in rows:
            digest = audit.entry_hash(prev, seq, ts, user, action, etype, eid, before, after)
            conn.execute(
                "UPDATE auditentry SET prev_hash=?, hash=? WHERE seq=?", (prev, digest, seq)
            )
            prev = digest
        conn.execute("UPDATE meta SET value=? WHERE key='audit_head'", (f"{len(rows)}:{prev}",))
        conn.commit()
    finally:
        conn.close()


def _verified_event(cat: Catalogue) -> str:
    """An event olga recorded and viktor verified (the four-eyes rule at work)."""
    uuid = events.create_event(cat, "olga", EventInput(title="Detentions in Minsk",
                                                       date="2020-11-08")).uuid  # fmt: skip
    src = add_source(cat, "olga", SourceInput(title="Viasna")).uuid
    cite(cat, "olga", uuid, src, locator="p. 1")
    verification.set_status(cat, "olga", uuid, "in_review")
    verification.set_status(cat, "viktor", uuid, "verified")
    return uuid


# -- the issue's own attack -------------------------------------------------------------------
def test_a_forged_and_rechained_decision_fails_verification(catalogue: Catalogue) -> None:
    uuid = _verified_event(catalogue)
    assert _verify(catalogue).ok
    # Move viktor's verification to olga and re-chain the whole log with our own function.
    _sql(catalogue, "UPDATE auditentry SET user='olga' WHERE action='event.status' "
                    "AND entity_id=? AND user='viktor'", uuid)  # fmt: skip
    _rechain(catalogue)
    report = _verify(catalogue)
    assert not report.ok
    assert "olga" in (report.problem or "") and "forged" in (report.problem or "")


def test_changing_only_a_payload_and_rechaining_breaks_every_later_signature(
    catalogue: Catalogue,
) -> None:
    _verified_event(catalogue)
    _sql(catalogue, "UPDATE auditentry SET after_json = replace(after_json, 'Minsk', 'Brest') "
                    "WHERE action = 'event.create'")  # fmt: skip
    _rechain(catalogue)
    report = _verify(catalogue)
    first = _first_seq(catalogue, "event.create")
    assert not report.ok and report.first_bad_seq == first


def test_a_stripped_signature_is_named(catalogue: Catalogue) -> None:
    _verified_event(catalogue)
    seq = _first_seq(catalogue, "event.status")
    _sql(catalogue, "UPDATE auditentry SET signature = NULL WHERE seq = ?", seq)
    report = _verify(catalogue)
    assert not report.ok and report.first_bad_seq == seq
    assert "not signed" in (report.problem or "")


def test_an_archivist_decision_signed_with_her_own_key_fails_the_role_check(
    catalogue: Catalogue,
) -> None:
    # olga holds her own key: she appends a "verified" entry she signed herself, bypassing
    # the rules in the services. The signature is hers, but the role is not a reviewer's.
    uuid = events.create_event(catalogue, "olga", EventInput(title="T", date="2020-11-08")).uuid
    signer = catalogue.signer_for("olga")
    conn = raw_connect(catalogue.db_path)
    try:
        seq, prev = audit.read_head(conn)
        decision = {"status": "verified"}
        pending = audit.PendingEntry("olga", "event.status", "event", uuid, after=decision)
        [entry] = audit.chain([pending], seq, prev, signer)
        conn.execute(audit.INSERT_SQL, entry.as_row())
        conn.execute(audit.META_SET_SQL, (audit.HEAD_KEY, f"{entry.seq}:{entry.hash}"))
        conn.commit()
    finally:
        conn.close()
    report = _verify(catalogue)
    assert not report.ok and report.first_bad_seq == entry.seq
    assert "archivist" in (report.problem or "") and "reviewer" in (report.problem or "")


def test_a_role_raised_in_the_user_table_is_not_believed(catalogue: Catalogue) -> None:
    _sql(catalogue, "UPDATE user SET role = 'reviewer' WHERE name = 'olga'")
    catalogue.forget_signer("olga")
    with pytest.raises(IntegrityError, match="role"):
        catalogue.sign_in("olga", PASSPHRASE)


def test_a_key_swapped_into_the_user_table_is_not_believed(catalogue: Catalogue) -> None:
    mallory = accounts.new_credentials("olga", "mallory's own passphrase")
    _sql(catalogue, "UPDATE user SET passphrase_hash=?, public_key=?, private_key_wrapped=? "
                    "WHERE name='olga'", mallory.passphrase_hash, mallory.signer.public_hex,
         mallory.wrapped_key)  # fmt: skip
    catalogue.forget_signer("olga")
    with pytest.raises(IntegrityError, match="signed history"):
        catalogue.sign_in("olga", "mallory's own passphrase")


# -- signing in -------------------------------------------------------------------------------
def test_writing_needs_the_authors_passphrase(catalogue: Catalogue) -> None:
    catalogue.forget_signer("viktor")
    with pytest.raises(SignInRequired, match="Sign in as viktor"):
        events.create_event(catalogue, "viktor", EventInput(title="T", date="2020"))
    with pytest.raises(SignInRefused, match="Wrong passphrase for viktor"):
        catalogue.sign_in("viktor", "not viktor's passphrase")
    with pytest.raises(NotFoundError, match="Unknown user 'mallory'"):
        catalogue.sign_in("mallory", PASSPHRASE)
    catalogue.sign_in("viktor", PASSPHRASE)
    events.create_event(catalogue, "viktor", EventInput(title="T", date="2020"))
    assert _verify(catalogue).ok


def test_repeated_wrong_passphrases_make_the_user_wait(catalogue: Catalogue) -> None:
    assert [wait_after(n) for n in range(1, 7)] == [0, 0, 2, 4, 8, 16]
    for _ in range(3):
        with pytest.raises(SignInRefused):
            catalogue.sign_in("vera", "wrong passphrase")
    # Now even the right passphrase waits: the refusal says how long, in one line.
    with pytest.raises(SignInRefused, match=r"try again in \d+ s") as info:
        catalogue.sign_in("vera", PASSPHRASE)
    assert "\n" not in info.value.message
    # Another process sees the same wait (it is kept beside the catalogue).
    with Catalogue.open(catalogue.path) as other, pytest.raises(SignInRefused, match="try again"):
        other.sign_in("vera", PASSPHRASE)


def test_too_short_a_passphrase_is_refused_and_nothing_is_added(catalogue: Catalogue) -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        users.add_user(catalogue, "anna", "ivan", "archivist", "short")
    assert "ivan" not in {u.name for u in users.list_users(catalogue)}


def test_a_damaged_key_is_told_apart_from_a_wrong_passphrase(catalogue: Catalogue) -> None:
    _sql(catalogue, "UPDATE user SET private_key_wrapped = '{\"format\": 1}' WHERE name='vera'")
    catalogue.forget_signer("vera")
    with pytest.raises(CatalogueError, match="cannot be opened") as info:
        catalogue.sign_in("vera", PASSPHRASE)
    assert "reset" in info.value.message and PASSPHRASE not in info.value.message


def test_changing_a_passphrase_keeps_the_key_and_a_reset_gives_a_new_one(
    catalogue: Catalogue,
) -> None:
    before = catalogue.signer_for("olga").public_hex
    accounts.change_passphrase(catalogue, "olga", "olga's new passphrase")
    catalogue.forget_signer("olga")
    with pytest.raises(SignInRefused):
        catalogue.sign_in("olga", PASSPHRASE)
    assert catalogue.sign_in("olga", "olga's new passphrase").public_hex == before
    events.create_event(catalogue, "olga", EventInput(title="Before the reset", date="2020"))
    # olga forgot it: an admin resets it, which makes her a new key.
    accounts.reset_passphrase(catalogue, "anna", "olga", "olga's third passphrase")
    assert not catalogue.is_signed_in("olga")
    after = catalogue.sign_in("olga", "olga's third passphrase").public_hex
    assert after != before
    events.create_event(catalogue, "olga", EventInput(title="After the reset", date="2020"))
    report = _verify(catalogue)  # entries under both keys verify
    assert report.ok and report.signatures and report.signatures.unsigned_before_signing == 0


def test_only_an_admin_resets_a_passphrase(catalogue: Catalogue) -> None:
    from belarchive.errors import PermissionDenied

    with pytest.raises(PermissionDenied, match="Only an admin"):
        accounts.reset_passphrase(catalogue, "viktor", "olga", "viktor chose this")
    assert _verify(catalogue).ok


def test_no_key_material_in_reprs_or_messages(catalogue: Catalogue) -> None:
    signer = catalogue.signer_for("olga")
    raw = signer.private_key.private_bytes_raw().hex()
    assert raw not in repr(signer) and raw not in str(signer)
    conn = sqlite3.connect(catalogue.db_path)
    try:
        dumped = "\n".join(str(r) for r in conn.execute("SELECT * FROM user"))
        dumped += "\n".join(str(r) for r in conn.execute("SELECT * FROM auditentry"))
    finally:
        conn.close()
    assert raw not in dumped and PASSPHRASE not in dumped


# -- older catalogues -------------------------------------------------------------------------
def test_an_older_catalogue_reports_old_entries_as_unsigned_not_forged(tmp_path: Path) -> None:
    import shutil

    fixture = Path(__file__).resolve().parents[2] / "db" / "fixtures" / "schema-v5"
    shutil.copytree(fixture, tmp_path / "old.belarchive")
    with Catalogue.open(tmp_path / "old.belarchive") as cat:
        report = _verify(cat)
        assert report.ok and report.signatures is not None
        old = report.signatures.unsigned_before_signing
        assert old > 0 and report.signatures.signed == 0
        assert not accounts.has_passphrase(cat, "viktor")
        # viktor's first sign-in chooses his passphrase and registers his key, self-signed.
        cat.sign_in("viktor", "viktor chooses this")
        uuid = events.create_event(cat, "viktor", EventInput(title="New", date="2021")).uuid
        report = _verify(cat)
        assert report.ok and report.signatures is not None
        assert report.signatures.unsigned_before_signing == old
        assert report.signatures.signed >= 2  # his key registration and his event
        # Stripping his signature now is caught: signing began at the upgrade.
        seq = _first_seq(cat, "event.create", uuid)
        _sql(cat, "UPDATE auditentry SET signature = NULL WHERE seq = ?", seq)
        assert _verify(cat).first_bad_seq == seq


# -- anchors ----------------------------------------------------------------------------------
def test_an_anchor_proves_the_history_up_to_it(catalogue: Catalogue, tmp_path: Path) -> None:
    _verified_event(catalogue)
    with catalogue.reader.connect() as conn:
        anchor = anchors.write_anchor(conn, catalogue.catalogue_id, tmp_path / "anchor.json")
    saved = anchors.read_anchor(tmp_path / "anchor.json")
    assert saved == anchor and saved["head"]["signature"]
    events.create_event(catalogue, "olga", EventInput(title="Later", date="2021"))
    with catalogue.reader.connect() as conn:
        assert "unchanged" in anchors.check_anchor(conn, catalogue.catalogue_id, saved)
    # Cutting off the newest entries (and fixing the head in meta) leaves the chain itself
    # intact; only the anchor can tell.
    anchored = saved["head"]["seq"]
    _sql(catalogue, "DELETE FROM auditentry WHERE seq >= ?", anchored)
    conn = raw_connect(catalogue.db_path)
    seq, digest = audit.read_head(conn)
    conn.close()
    _sql(catalogue, "UPDATE meta SET value=? WHERE key='audit_head'", f"{seq}:{digest}")
    assert _verify(catalogue).ok
    with catalogue.reader.connect() as conn, pytest.raises(IntegrityError, match="removed"):
        anchors.check_anchor(conn, catalogue.catalogue_id, saved)


def test_an_edited_anchor_or_a_foreign_one_is_refused(catalogue: Catalogue, tmp_path: Path) -> None:
    path = tmp_path / "anchor.json"
    with catalogue.reader.connect() as conn:
        anchors.write_anchor(conn, catalogue.catalogue_id, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["catalogue_id"] = "another"
    with catalogue.reader.connect() as conn, pytest.raises(IntegrityError, match="another"):
        anchors.check_anchor(conn, catalogue.catalogue_id, data)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="not an anchor"):
        anchors.read_anchor(path)
    path.write_text('{"format": "belarchive-audit-anchor", "head": {"seq": "x"}}', "utf-8")
    with pytest.raises(ValidationError, match="damaged"):
        anchors.read_anchor(path)


# -- signatures travel with exported history --------------------------------------------------
def test_signatures_survive_export_and_import_and_still_verify(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    _verified_event(catalogue)
    export_json(catalogue, tmp_path / "all.json")
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert doc["version"] == 2 and doc["header"]["audit_head"]["signature"]
    assert {k["user"] for k in doc["header"]["public_keys"]} >= {"anna", "olga", "viktor"}
    assert all(h["signature"] for h in doc["history"])
    other = Catalogue.create(tmp_path / "Partner.belarchive", admin="pavel", passphrase=PASSPHRASE)
    try:
        import_json(other, "pavel", tmp_path / "all.json")
        with other.reader.connect() as conn:
            report = signed_audit.verify_imported(conn)
        assert report.problem is None and report.signed == len(doc["history"])
        # A forged signature in the receiving catalogue is named by its check.
        _sql(other, "UPDATE importedhistory SET signature = ? WHERE id = "
                    "(SELECT min(id) FROM importedhistory)", "00" * 64)  # fmt: skip
        with other.reader.connect() as conn:
            problem = signed_audit.verify_imported(conn).problem
        assert problem is not None and "forged" in problem
    finally:
        other.close()


def test_keys_are_what_the_log_registered(catalogue: Catalogue) -> None:
    with catalogue.reader.connect() as conn:
        registered = signed_audit.registered_keys(conn, catalogue.catalogue_id)
        for name in ("anna", "olga", "viktor", "vera"):
            assert (
                signed_audit.identity_in_history(conn, name).key
                == catalogue.signer_for(name).public_hex
            )
    assert {k["user"] for k in registered} == {"anna", "olga", "viktor", "vera"}
    assert keys.fingerprint(registered[0]["public_key"]).count(" ") == 3


def _first_seq(cat: Catalogue, action: str, entity: str | None = None) -> int:
    conn = sqlite3.connect(cat.db_path)
    try:
        sql = "SELECT min(seq) FROM auditentry WHERE action = ?"
        params: tuple[str, ...] = (action,)
        if entity is not None:
            sql += " AND entity_id = ?"
            params += (entity,)
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("where", ["early", "late"])
def test_signatures_checked_on_other_cores_still_name_the_first_forgery(
    catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A long log's signatures are checked in batches by worker processes (the pool is
    started here from 10 entries on, in batches of 7): the verdict and the entry named must
    be those of the one-by-one check, whichever batch finishes first."""
    from belarchive.security import batch_verify

    for i in range(30):
        events.create_event(catalogue, "olga", EventInput(title=f"Event {i}", date="2020-11"))
    monkeypatch.setattr(batch_verify, "WORKERS_FROM", 10)
    monkeypatch.setattr(batch_verify, "BATCH", 7)
    conn = sqlite3.connect(catalogue.db_path)
    try:
        seqs = [r[0] for r in conn.execute(
            "SELECT seq FROM auditentry WHERE signature IS NOT NULL ORDER BY seq")]  # fmt: skip
    finally:
        conn.close()
    clean = _verify(catalogue)
    assert clean.ok and clean.checked >= len(seqs) > 30
    target = seqs[5] if where == "early" else seqs[-3]
    # Another valid-looking signature (entry 1's) put on the target entry: only the
    # Ed25519 check can tell.
    _sql(catalogue, "UPDATE auditentry SET signature = (SELECT signature FROM auditentry "
                    "WHERE seq = ?) WHERE seq = ?", seqs[0], target)  # fmt: skip
    report = _verify(catalogue)
    assert not report.ok and report.first_bad_seq == target
    assert "not signed with" in (report.problem or "")
