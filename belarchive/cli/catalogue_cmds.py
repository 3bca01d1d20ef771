"""Catalogue-wide commands: init, users, vocabulary, backup/restore, integrity checks."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from belarchive.cli.common import add_common, catalogue_path, open_catalogue, out, table, user_name
from belarchive.services import audit, maintenance, users
from belarchive.services.catalogue import Catalogue
from belarchive.storage.detail import list_places, list_tags
from belarchive.storage.engine import raw_connect


def register(sub: Any) -> None:
    p = sub.add_parser("init", help="create a catalogue folder")
    p.add_argument("path", type=Path, nargs="?", help="NAME.belarchive folder (default: default)")
    p.add_argument("--user", "-u", default=None, help="the first user (an admin)")
    p.add_argument("--language", default="el", help="default language of texts (el, ru, be, en)")
    p.add_argument("--with-sample", action="store_true", help="import the bundled sample chronicle")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("user", help="list or add users")
    us = p.add_subparsers(dest="user_cmd", metavar="ACTION", required=True)
    q = us.add_parser("list", help="list users")
    add_common(q)
    q.set_defaults(handler=cmd_user_list)
    q = us.add_parser("add", help="add a user (admins only)")
    add_common(q, user=True)
    q.add_argument("name")
    q.add_argument("--role", required=True, choices=["archivist", "reviewer", "admin"])
    q.set_defaults(handler=cmd_user_add)

    p = sub.add_parser("tags", help="show the tag vocabulary")
    add_common(p)
    p.add_argument("--lang", default="en")
    p.set_defaults(handler=cmd_tags)
    p = sub.add_parser("places", help="show the gazetteer")
    add_common(p)
    p.set_defaults(handler=cmd_places)

    p = sub.add_parser("audit", help="audit log")
    a = p.add_subparsers(dest="audit_cmd", metavar="ACTION", required=True)
    q = a.add_parser("verify", help="check the hash chain; name the first altered entry")
    add_common(q)
    q.set_defaults(handler=cmd_audit_verify)

    p = sub.add_parser("files", help="archived copies")
    f = p.add_subparsers(dest="files_cmd", metavar="ACTION", required=True)
    q = f.add_parser("verify", help="re-hash every stored file")
    add_common(q)
    q.set_defaults(handler=cmd_files_verify)

    p = sub.add_parser("backup", help="copy the database consistently (online backup)")
    add_common(p, user=True)
    p.add_argument("-o", "--output", type=Path, default=None, help="file or folder")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="replace the database with a backup (keeps the current)")
    add_common(p)
    p.add_argument("backup_file", type=Path)
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser("check", help="database integrity + audit chain + file hashes")
    add_common(p)
    p.set_defaults(handler=cmd_check)


def cmd_init(args: argparse.Namespace) -> int:
    path = catalogue_path(argparse.Namespace(catalogue=args.path))
    cat = Catalogue.create(path, admin=user_name(args), language=args.language)
    out(f"Created catalogue {path} (admin: {user_name(args)}).")
    if args.with_sample:
        from belarchive.services.first_run import import_sample

        result = import_sample(cat, user_name(args))
        out(f"Imported the sample chronicle: {len(result.event_uuids)} events.")
    cat.close()
    return 0


def cmd_user_list(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        table(
            [(u.name, u.role, "yes" if u.active else "no") for u in users.list_users(cat)],
            ("name", "role", "active"),
        )
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        users.add_user(cat, user_name(args), args.name, args.role)
    out(f"Added {args.name} ({args.role}).")
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
    with open_catalogue(args) as cat:
        conn = raw_connect(cat.db_path)
        try:
            report = audit.verify_chain(conn)
        finally:
            conn.close()
    if report.ok:
        out(f"Audit log intact: {report.checked} entries, head {report.head_hash[:16]}…")
        return 0
    out(f"AUDIT LOG DAMAGED: {report.problem}")
    return 1


def cmd_files_verify(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        problems = maintenance.verify_files(cat)
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
        target = maintenance.backup(cat, user_name(args), args.output)
    out(f"Backup written to {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    kept = maintenance.restore(catalogue_path(args), args.backup_file, user_name(args))
    out(
        f"Restored from {args.backup_file}. The replaced database was kept as {kept}. "
        "The search index will be rebuilt on next open."
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with open_catalogue(args) as cat:
        report = maintenance.check(cat)
    out("Database: ok" if report.database_ok else "Database: DAMAGED")
    for msg in report.database_messages:
        out(f"  {msg}")
    if report.audit:
        out(
            f"Audit log: ok ({report.audit.checked} entries)"
            if report.audit.ok
            else f"Audit log: DAMAGED — {report.audit.problem}"
        )
    evidence = report.evidence_problems
    out(
        f"Evidence rows: ok ({report.evidence_checked} events and sources match their seals)"
        if not evidence
        else f"Evidence rows: {len(evidence)} differ from what the audit log recorded"
    )
    for problem in evidence[:50]:
        out(f"  {problem.message()}")
    if len(evidence) > 50:
        out(f"  … and {len(evidence) - 50} more")
    out(
        "Archived files: ok"
        if not report.file_problems
        else f"Archived files: {len(report.file_problems)} changed or missing"
    )
    for p in report.file_problems:
        out(f"  {p.problem}: {p.original_name} ({p.sha256})")
    return 0 if report.ok else 1
