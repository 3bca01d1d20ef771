"""Backing up a team catalogue: PostgreSQL's own pg_dump, run from this desktop.

One dump holds the whole catalogue, its signed history and its archived copies (they are in
the database). services.maintenance.backup records the audit head first, as for a folder,
so the dump holds the record of its own making; an encrypted backup is the dump encrypted
for every active member, as a folder's is.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from belarchive.errors import CatalogueError
from belarchive.i18n import _
from belarchive.security import exchange
from belarchive.services.catalogue import Catalogue

DUMP_SUFFIX = ".pgdump"
TIMEOUT_S = 3600


def pg_dump() -> str | None:
    """The newest pg_dump on this desktop (Debian keeps each major version apart; a dump
    needs one at least as new as the server)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_dump"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return str(found[-1])
    return shutil.which("pg_dump")


def write_dump(cat: Catalogue, target: Path, recipients: list[Any] | None) -> None:
    """The dump, in PostgreSQL's custom format (``pg_restore`` reads it), written to
    ``target``; encrypted for ``recipients`` when given."""
    assert cat.server is not None
    exe = pg_dump()
    address = cat.server
    if exe is None:
        raise CatalogueError(
            _(
                "pg_dump is not installed on this desktop. Install the PostgreSQL client "
                "(Debian: apt install postgresql-client), or back up on the server: "
                "pg_dump -Fc {database} > {database}.pgdump"
            ).format(database=address.database)
        )
    url = address.url
    # Row-level security guards the verification history and the members (rules.sql); its
    # read policies show every row, and pg_dump must be told it may read through them.
    command = [exe, "--format=custom", "--enable-row-security", "--dbname", address.database,
               "--host", url.host or "localhost", "--port", str(url.port or 5432)]  # fmt: skip
    if url.username:
        command += ["--username", url.username]
    env = dict(os.environ)
    if url.password:  # in the environment, never on a command line others can read
        env["PGPASSWORD"] = url.password
    for key, value in url.query.items():  # sslmode and the like travel as libpq variables
        if isinstance(value, str) and re.fullmatch(r"[a-z_]+", key):
            env[f"PG{key.upper()}"] = value
    try:
        done = subprocess.run(command, capture_output=True, env=env, timeout=TIMEOUT_S,
                              check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CatalogueError(_("pg_dump could not run: {reason}").format(reason=exc)) from exc
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        raise CatalogueError(
            _("pg_dump failed: {reason}").format(reason=reason[0]),
            detail=done.stderr.decode("utf-8", "replace"),
        )
    data = done.stdout if recipients is None else exchange.encrypt(done.stdout, recipients)
    target.write_bytes(data)
