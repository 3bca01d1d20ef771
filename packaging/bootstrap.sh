#!/usr/bin/env bash
# Set up belarchive on a fresh Debian machine with Python 3.11: the system libraries Qt needs,
# a virtual environment in .venv, and the package with its pinned dependency ranges.
#
#   bash packaging/bootstrap.sh          # to run the app
#   bash packaging/bootstrap.sh --dev    # also test tools (pytest, pytest-qt, hypothesis, ruff)
#                                        # and poppler-utils (pdftotext/pdftoppm) for PDF tests,
#                                        # postgresql for the team-mode tests' own server
#
# Safe to run again: it installs only what is missing and skips pip when nothing changed.
set -euo pipefail

cd "$(dirname "$0")/.."
DEV=0
[ "${1:-}" = "--dev" ] && DEV=1

# Qt's xcb and offscreen platforms load these at run time; a minimal Debian lacks several.
APT_RUN=(libegl1 libgl1 libopengl0 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6
         libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
         libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
         fonts-dejavu-core)
# postgresql: the team-mode tests start a throwaway server of their own (tests/pg_cluster.py).
APT_DEV=(poppler-utils postgresql)

missing=()
wanted=("${APT_RUN[@]}")
[ "$DEV" = 1 ] && wanted+=("${APT_DEV[@]}")
python3 -c 'import ensurepip, venv' 2>/dev/null || wanted+=(python3-venv)
for pkg in "${wanted[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "Installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "belarchive needs Python 3.11 or newer; found $("$PY" --version)." >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv

extras="."
[ "$DEV" = 1 ] && extras=".[dev]"
stamp=".venv/.belarchive-installed"
# The exact versions CI tested (packaging/refresh-constraints.sh makes the file).
want="$(cat pyproject.toml packaging/constraints.txt | sha256sum | cut -c1-64) $extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log=".venv/pip-install.log"
    if ! { .venv/bin/python -m pip install --upgrade pip &&
           .venv/bin/python -m pip install -c packaging/constraints.txt -e "$extras"; } \
        >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "Installing belarchive's Python packages failed; the full log is in $log." >&2
        exit 1
    fi
    echo "$want" > "$stamp"
fi
