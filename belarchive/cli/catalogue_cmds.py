"""Catalogue-wide commands: init, users, vocabulary, backup/restore, integrity checks."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from belarchive.cli.common import (
    add_common,
    ask_new_passphrase,
    ask_passphrase,
    catalogue_arg,
    catalogue_path,
    open_catalogue,
    out,
    sign_in,
    table,
    unlock_for,
    user_name,
)
from belarchive.errors import NotFoundError, ValidationError
from belarchive.i18n import _, ngettext
from belarchive.security.keys import fingerprint
from belarchive.services import accounts, anchors, audit, maintenance, signed_audit, sources, users
from belarchive.services.catalogue import Catalogue
from belarchive.services.catalogue_folder import write_meta
from belarchive.services.unlocking import Unlock
from belarchive.storage.detail import list_places, list_tags


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init",
        help="create a catalogue folder",
        description="Create a catalogue. The first user is its admin and chooses a passphrase "
        "(asked twice, or $BELARCHIVE_PASSPHRASE). Example: belarchive init Minsk.belarchive "
        "-u anna",
    )
    p.add_argument("path", type=catalogue_arg, nargs="?",
                   help="NAME.belarchive folder (default: default), or an empty PostgreSQL "
                   "database for a team catalogue: postgresql://user@host/database")  # fmt: skip
    p.add_argument("--user", "-u", default=None, help="the first user (an admin)")
    p.add_argument("--language", default="el", help="default language of texts (el, ru, be, en)")
    p.add_argument("--with-sample", action="store_true", help="import the bundled sample chronicle")
    p.add_argument("--encrypt", action="store_true",
                   help="seal it: everything in the folder encrypted, opened with a member's "
                   "passphrase; a recovery key is printed once")  # fmt: skip
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser(
        "encrypt",
        help="seal an existing catalogue: encrypt everything in its folder (admins only)",
        description="Encrypts the database (SQLCipher), the archived copies, the search index "
        "and the backups, in a copy beside the catalogue that replaces it once checked. "
        "Every member with a signing key opens it with their own passphrase. Close the "
        "catalogue in other windows first. Example: belarchive encrypt -C Minsk.belarchive "
        "-u anna",
    )
    add_common(p, user=True)
    p.set_defaults(handler=cmd_encrypt)

    p = sub.add_parser("user", help="users, their passphrases and signing keys")
    us = p.add_subparsers(dest="user_cmd", metavar="ACTION", required=True)
    q = us.add_parser("list", help="list users, their roles and key fingerprints")
    add_common(q)
    q.set_defaults(handler=cmd_user_list)
    q = us.add_parser(
        "add",
        help="add a user (admins only)",
        description="Add a user with a first passphrase ($BELARCHIVE_NEW_PASSPHRASE or asked "
        "twice) and a new signing key. Example: belarchive user add vera --role reviewer",
    )
    add_common(q, user=True)
    q.add_argument("name", help="the new user's name")
    q.add_argument("--role", required=True, choices=["archivist", "reviewer", "admin"],
                   help="what they may do")  # fmt: skip
    q.set_defaults(handler=cmd_user_add)
    q = us.add_parser(
        "key",
        help="print a user's public key, to receive encrypted exports",
        description="Prints the user's public key as an 'ssh-ed25519' line. A partner passes "
        "it to 'belarchive export json --encrypt-for' to encrypt an export that only this "
        "user can open. Example: belarchive user key pavel",
    )
    add_common(q)
    q.add_argument("name", help="whose key")
    q.set_defaults(handler=cmd_user_key)
    q = us.add_parser(
        "passphrase",
        help="change your own passphrase (your key stays the same)",
        description="The current passphrase comes from $BELARCHIVE_PASSPHRASE or a prompt, "
        "the new one from $BELARCHIVE_NEW_PASSPHRASE or a prompt.",
    )
    add_common(q, user=True)
    q.set_defaults(handler=cmd_user_passphrase)
    q = us.add_parser(
        "reset",
        help="give someone a new passphrase and key (admins only)",
        description="For a user who forgot their passphrase: they get a new one "
        "($BELARCHIVE_NEW_PASSPHRASE or asked twice) and a new key; what they signed before "
        "stays verifiable. Example: belarchive user reset olga -u anna",
    )
    add_common(q, user=True)
    q.add_argument("name", help="whose passphrase to reset")
    q.set_defaults(handler=cmd_user_reset)

    p = sub.add_parser("tags", help="show the tag vocabulary")
    add_common(p)
    p.add_argument("--lang", default="en")
    p.set_defaults(handler=cmd_tags)
    p = sub.add_parser("places", help="show the gazetteer")
    add_common(p)
    p.set_defaults(handler=cmd_places)

    p = sub.add_parser("audit", help="audit log")
    a = p.add_subparsers(dest="audit_cmd", metavar="ACTION", required=True)
    q = a.add_parser(
        "verify",
        help="check the chain, every signature and every signer's role",
        description="Check every audit entry: the hash chain, its author's signature, that the "
        "key is the author's and that they held the needed role; names the first entry that "
        "fails. With --anchor, also prove the anchored entry is still there unchanged.",
    )
    add_common(q)
    q.add_argument("--anchor", type=Path, default=None, help="an anchor file to check against")
    q.set_defaults(handler=cmd_audit_verify)
    q = a.add_parser(
        "anchor",
        help="write the signed audit head to a file kept elsewhere",
        description="Keep the file away from the catalogue (a USB stick, a partner); later, "
        "'audit verify --anchor FILE' proves the history up to it was not rewritten.",
    )
    add_common(q)
    q.add_argument("-o", "--output", type=Path, required=True, help="the anchor file to write")
    q.set_defaults(handler=cmd_audit_anchor)

    p = sub.add_parser("files", help="archived copies")
    f = p.add_subparsers(dest="files_cmd", metavar="ACTION", required=True)
    q = f.add_parser("verify", help="re-hash every stored file")
    add_common(q)
    q.set_defaults(handler=cmd_files_verify)

    p = sub.add_parser("backup", help="copy the database consistently (online backup)")
    add_common(p, user=True)
    p.add_argument("-o", "--output", type=Path, default=None, help="file or folder")
    p.add_argument("--encrypt", action="store_true",
                   help="encrypt the copy for every member: any of them opens it with their "
                   "passphrase, nobody else can read it")  # fmt: skip
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="replace the database with a backup (keeps the current)")
    add_common(p)
    p.add_argument("backup_file", type=Path)
    p.add_argument("--user", "-u", default=None,
                   help="the member who opens an encrypted backup (their passphrase)")  # fmt: skip
    p.add_argument("--recovery-key", type=Path, default=None, metavar="FILE",
                   help="a file holding the recovery key (AGE-SECRET-KEY-1…), instead of a "
                   "member's passphrase")  # fmt: skip
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser(
        "recovery-key",
        help="make the recovery key that also opens encrypted backups (admins only)",
        description="Prints a new recovery key once: write it on paper and keep it apart from "
        "the laptop. Encrypted backups made from now on open with it too, should every "
        "member's passphrase be lost. Example: belarchive recovery-key -u anna",
    )
    add_common(p, user=True)
    p.set_defaults(handler=cmd_recovery_key)
    p = sub.add_parser("check", help="database integrity + audit chain + file hashes")
    add_common(p)
    p.set_defaults(handler=cmd_check)


def cmd_init(args: argparse.Namespace) -> int:
    if isinstance(args.path, str):
        return _init_team(args)
    path = catalogue_path(argparse.Namespace(catalogue=args.path))
    admin = user_name(args)
    passphrase = ask_new_passphrase(
        _("Choose a passphrase for {admin}").format(admin=admin), "BELARCHIVE_PASSPHRASE"
    )
    cat = Catalogue.create(path, admin=admin, passphrase=passphrase, language=args.language,
                           sealed=args.encrypt)  # fmt: skip
    created = (
        _("Created sealed catalogue {path} (admin: {admin}).")
        if args.encrypt
        else _("Created catalogue {path} (admin: {admin}).")
    )
    out(created.format(path=path, admin=admin))
    if args.encrypt:
        from belarchive.services import backup_files

        _print_recovery_key(backup_files.add_recovery_key(cat, admin), sealed=True)
    if args.with_sample:
        from belarchive.services.first_run import import_sample

        result = import_sample(cat, user_name(args))
        n = len(result.event_uuids)
        out(ngettext("Imported the sample chronicle: {n} event.",
                     "Imported the sample chronicle: {n} events.", n).format(n=n))  # fmt: skip
    cat.close()
    return 0


def _init_team(args: argparse.Namespace) -> int:
    """A team catalogue: its first admin is whoever the address signs in to the server."""
    from belarchive.services.team import create_team

    if args.encrypt:
        raise ValidationError(
            _(
                "--encrypt seals a catalogue folder; a team catalogue is protected by its server "
                "(TLS to it, its disk, its backups: docs/team-mode.md). Nothing was created."
            )
        )
    passphrase = ask_new_passphrase(
        _("Choose the passphrase that unlocks your signing key"), "BELARCHIVE_PASSPHRASE"
    )
    cat = create_team(args.path, passphrase=passphrase, language=args.language)
    try:
        assert cat.server is not None and cat.member is not None
        out(_("Created team catalogue {address} (admin: {admin}).").format(
            address=cat.server.shown(), admin=cat.member))  # fmt: skip
        if args.with_sample:
            from belarchive.services.first_run import import_sample

            result = import_sample(cat, cat.member)
            n = len(result.event_uuids)
            out(ngettext("Imported the sample chronicle: {n} event.",
                         "Imported the sample chronicle: {n} events.", n).format(n=n))  # fmt: skip
    finally:
        cat.close()
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        rows = [
            (u.name, u.role, "yes" if u.active else "no",
             fingerprint(u.public_key) if u.public_key else "(at first sign-in)")
            for u in users.list_users(cat)
        ]  # fmt: skip
    table(rows, ("name", "role", "active", "signing key"))
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        first = ask_new_passphrase(_("First passphrase for {name}").format(name=args.name))
        users.add_user(cat, user_name(args), args.name, args.role, first)
    out(
        _("Added {name} ({role}); give them their first passphrase in person.").format(
            name=args.name, role=args.role
        )
    )
    return 0


def cmd_user_key(args: argparse.Namespace) -> int:
    from belarchive.security.exchange import recipient_line

    with open_catalogue(args) as cat, cat.reader.connect() as conn:
        key = signed_audit.identity_in_history(conn, args.name).key
    if key is None:
        raise NotFoundError(
            _("{name} has no key yet (a user gets one at first sign-in).").format(name=args.name)
        )
    out(recipient_line(key, args.name))
    return 0


def cmd_user_passphrase(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:  # signs in with the current passphrase
        name = user_name(args)
        new = ask_new_passphrase(_("New passphrase for {name}").format(name=name))
        accounts.change_passphrase(cat, name, new)
    out(_("Passphrase changed for {name}; the signing key is the same.").format(name=name))
    return 0


def cmd_user_reset(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        new = ask_new_passphrase(_("New passphrase for {name}").format(name=args.name))
        signer = accounts.reset_passphrase(cat, user_name(args), args.name, new)
    out(
        _("{name} has a new passphrase and a new key ({fingerprint}).").format(
            name=args.name, fingerprint=fingerprint(signer.public_hex)
        )
    )
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat, cat.session() as s:
        rows = [
            (k, p or "", labels.get(args.lang) or labels.get("en", k), "yes" if r else "")
            for k, p, labels, r in list_tags(s)
        ]
    table(rows, ("key", "parent", "label", "repression"))
    return 0


def cmd_places(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat, cat.session() as s:
        rows = [
            (p.key, p.display_name, " / ".join(n for ns in p.names.values() for n in ns))
            for p in list_places(s)
        ]
    table(rows, ("key", "name", "variants"))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    anchor = anchors.read_anchor(args.anchor) if args.anchor else None
    with open_catalogue(args) as cat:
        with cat.check_connection() as conn:
            report = audit.verify_chain(conn)
        if not report.ok:
            out(_("AUDIT LOG DAMAGED: {problem}").format(problem=report.problem))
            return 1
        out(
            _("Audit log intact: {checked} entries, head {head_hash}…").format(
                checked=report.checked, head_hash=report.head_hash[:16]
            )
        )
        for line in signature_lines(report):
            out(f"  {line}")
        with cat.reader.connect() as sa_conn:
            imported = signed_audit.verify_imported(sa_conn)
            if imported.problem:
                out(_("IMPORTED HISTORY DAMAGED: {problem}").format(problem=imported.problem))
                return 1
            if imported.signed or imported.unsigned:
                out(
                    _(
                        "  history imported from other catalogues: {signed} signatures checked, "
                        "{unsigned} entries unsigned"
                    ).format(signed=imported.signed, unsigned=imported.unsigned)
                )
            if anchor is not None:
                checked = anchors.check_anchor(sa_conn, cat.catalogue_id, anchor)
                out(_("  anchor: {result}").format(result=checked))
    return 0


def signature_lines(report: audit.ChainReport) -> list[str]:
    s = report.signatures
    if s is None:
        return []
    lines = [f"{s.signed} entries signed by their authors, keys and roles checked"]
    if s.by_program:
        lines.append(f"{s.by_program} entries by the program itself (data migrations, restores)")
    if s.unsigned_before_signing:
        lines.append(
            f"{s.unsigned_before_signing} entries unsigned: written before this catalogue "
            f"began signing (entry {s.signing_began_at})"
        )
    return lines


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat, cat.reader.connect() as conn:
        anchor = anchors.write_anchor(conn, cat.catalogue_id, args.output)
        cat.meta[anchors.META_LAST_ANCHOR] = anchor["written_at"]
        write_meta(cat.path, cat.meta)
    head = anchor["head"]
    out(
        _("Anchor written to {output}: entry {seq}, {hash}…").format(
            output=args.output, seq=head["seq"], hash=head["hash"][:16]
        )
    )
    out(_("Keep it away from the catalogue; check with: belarchive audit verify --anchor FILE"))
    return 0


def cmd_files_verify(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        problems = sources.verify_files(cat)
    for p in problems:
        out(f"{p.problem.upper()}: {p.original_name} ({p.sha256})")
    out(
        "All archived files match their hashes."
        if not problems
        else f"{len(problems)} archived file(s) changed or missing."
    )
    return 1 if problems else 0


def cmd_backup(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        target = maintenance.backup(cat, user_name(args), args.output, encrypt=args.encrypt)
    written = (
        _("Backup written to {target} (encrypted for the catalogue's members)")
        if args.encrypt
        else _("Backup written to {target}")
    )
    out(written.format(target=target))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from belarchive.services import backup_files

    signer, recovery = None, None
    if args.recovery_key is not None:
        try:
            recovery = Path(args.recovery_key).read_text(encoding="utf-8")
        except OSError as exc:
            raise ValidationError(
                _("Cannot read {file}: {reason}.").format(
                    file=args.recovery_key, reason=exc.strerror
                )
            ) from exc
    path, name = catalogue_path(args), user_name(args)
    unlock = Unlock(recovery_key=recovery) if recovery else unlock_for(path, name)
    if recovery is None and backup_files.is_encrypted(args.backup_file):  # a member's key
        with Catalogue.open(path, unlock) as cat:
            if not cat.is_signed_in(name):
                sign_in(cat, name)
            signer = cat.signer_for(name)
    kept = maintenance.restore(path, args.backup_file, name, signer, recovery, unlock)
    out(
        _(
            "Restored from {backup_file}. The replaced database was kept as {kept}. The search "
            "index will be rebuilt on next open."
        ).format(backup_file=args.backup_file, kept=kept)
    )
    return 0


def cmd_recovery_key(args: argparse.Namespace) -> int:
    from belarchive.services import backup_files

    with open_catalogue(args) as cat:
        secret = backup_files.add_recovery_key(cat, user_name(args))
        sealed = cat.sealed
    _print_recovery_key(secret, sealed)
    return 0


def _print_recovery_key(secret: str, sealed: bool) -> None:
    out(_("Recovery key (shown once; write it down and keep it away from this computer):"))
    out("")
    out(f"    {secret}")
    out("")
    out(
        _(
            "Encrypted backups made from now on also open with it: belarchive restore FILE "
            "--recovery-key KEYFILE"
        )
    )
    if sealed:
        out(_("It also opens this sealed catalogue, should every member's passphrase be lost."))


def cmd_encrypt(args: argparse.Namespace) -> int:
    from belarchive.services import sealing

    path, admin = catalogue_path(args), user_name(args)
    given = os.environ.get("BELARCHIVE_PASSPHRASE")
    passphrase = (
        given
        if given is not None
        else ask_passphrase(_("Passphrase for {admin}: ").format(admin=admin))
    )
    report = sealing.seal_existing(
        path, admin, passphrase, step=lambda s: out(_("Sealing: {step}…").format(step=s))
    )
    out(ngettext("Sealed {path}: {n} archived copy encrypted.",
                 "Sealed {path}: {n} archived copies encrypted.", report.files)
        .format(path=path, n=report.files))  # fmt: skip
    out(_("Members who open it with their own passphrase: {names}.")
        .format(names=", ".join(sorted(report.members))))  # fmt: skip
    if report.without_key:
        out(_("No key yet (reset their passphrase to let them in: belarchive user reset NAME): "
              "{names}").format(names=", ".join(sorted(report.without_key))))  # fmt: skip
    if not report.recovery_key:
        out(
            _(
                "There is no recovery key: make one now (belarchive recovery-key), or the "
                "catalogue is lost with the last member's passphrase."
            )
        )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        report = maintenance.check(cat)
    for line in report.summary():
        out(line)
    return 0 if report.ok else 1
