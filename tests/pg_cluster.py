"""A throwaway PostgreSQL cluster for the test run: initdb + pg_ctl from Debian's packages.

The cluster lives in a fresh folder under the system's temp dir, listens on a loopback port
chosen at start and on a socket in that folder, authenticates every connection with
scram-sha-256 (as a team's server would), and is stopped and deleted at the end. PostgreSQL
refuses to run as root, so when the tests run as root the server runs as the ``postgres``
system user that Debian's package creates. ``packaging/bootstrap.sh --dev`` installs the
package; without it the tests that need a server fail with a message that says so.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "ci_superuser"


def server_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian keeps each major apart)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if not found:
        raise RuntimeError(
            "The PostgreSQL server is not installed; the team-mode tests start one of their "
            "own. Run: bash packaging/bootstrap.sh --dev (it installs Debian's postgresql)."
        )
    return found[-1].parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    root: Path
    port: int
    password: str
    run_as: str | None
    # Tests keep the server small; the benchmark runs it at PostgreSQL's default (128MB).
    shared_buffers: str = "64MB"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def address(self, database: str, user: str, password: str) -> str:
        """The address a user types: postgresql://user:password@host:port/db."""
        return (
            f"postgresql://{quote(user, safe='')}:{quote(password, safe='')}"
            f"@127.0.0.1:{self.port}/{database}"
        )

    def superuser_address(self) -> str:
        return self.address("postgres", SUPERUSER, self.password)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(server_bin_dir() / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            text=True,
            user=self.run_as,
            cwd=self.root,
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "stop")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            # A test cluster need not survive a power cut; it must start and write fast.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections=60 -c shared_buffers={self.shared_buffers}"
        )
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster(shared_buffers: str = "64MB") -> Cluster:
    run_as = "postgres" if os.geteuid() == 0 else None
    root = Path(tempfile.mkdtemp(prefix="belarchive-pg-"))
    password = secrets.token_urlsafe(16)
    pwfile = root / "superuser-password"
    pwfile.write_text(password + "\n")
    if run_as is not None:
        shutil.chown(root, run_as)
        shutil.chown(pwfile, run_as)
    cluster = Cluster(root, _free_port(), password, run_as, shared_buffers)
    try:
        cluster._run(
            "initdb", "-D", str(cluster.data_dir), "-U", SUPERUSER, f"--pwfile={pwfile}",
            "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        cluster.start()
    except subprocess.CalledProcessError as exc:
        log = root / "server.log"
        detail = log.read_text() if log.exists() else ""
        cluster.remove()
        raise RuntimeError(f"Could not start a test PostgreSQL: {exc.stderr}\n{detail}") from exc
    return cluster
