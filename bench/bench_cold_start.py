"""How long a command-line start takes, from spawn to exit (issue 11's targets).

    .venv/bin/python -m bench.bench_cold_start [--program .venv/bin/belarchive] [--runs 7]

Makes a catalogue holding the sample chronicle in a scratch folder, then runs the program
as a user would (a new process each time, warm file cache): ``--version``, ``list`` and
``show`` of one event. Targets: ``--version`` under 150 ms, ``list`` under 400 ms. Point
``--program`` at ``dist/belarchive/belarchive`` to measure the bundle. Compiled bytecode
is allowed, as an installed copy has it (``PYTHONDONTWRITEBYTECODE`` is cleared).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from belarchive.config import sample_chronicle_path
from bench.synth import PASSPHRASE

TARGETS_MS = {"--version": 150, "list": 400}


def _run(program: str, args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([program, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--program", default=".venv/bin/belarchive")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env |= {"BELARCHIVE_PASSPHRASE": PASSPHRASE, "BELARCHIVE_NEW_PASSPHRASE": PASSPHRASE,
            "BELARCHIVE_LANG": "en"}  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        env["BELARCHIVE_DATA_DIR"] = env["XDG_CONFIG_HOME"] = scratch
        cat = str(Path(scratch) / "Sample.belarchive")
        subprocess.run([args.program, "init", cat], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.program, "import", "chronicle", "-C", cat, "--commit", "--brief",
                        str(sample_chronicle_path())], env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        listed = subprocess.run([args.program, "list", "-C", cat], env=env, check=True,
                                capture_output=True, text=True).stdout  # fmt: skip
        ids = re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", listed)
        first = ids[0] if ids else None
        commands = {"--version": ["--version"], "list": ["list", "-C", cat]}
        if first:
            commands["show"] = ["show", "-C", cat, first]
        load = os.getloadavg()[0]
        print(f"{args.program}, {args.runs} runs each, load {load:.2f}")
        for name, line in commands.items():
            _run(args.program, line, env)  # the file cache warm, bytecode written
            times = sorted(_run(args.program, line, env) for _ in range(args.runs))
            target = TARGETS_MS.get(name)
            verdict = f" (target < {target} ms)" if target else ""
            print(f"{name:10} min {times[0] * 1e3:5.0f} ms  median "
                  f"{statistics.median(times) * 1e3:5.0f} ms  max {times[-1] * 1e3:5.0f} ms"
                  f"{verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
