#!/usr/bin/env bash
# Re-resolve belarchive's dependency ranges (pyproject.toml) in a fresh virtual environment
# and record the exact versions in packaging/constraints.txt, which bootstrap.sh, CI and the
# bundle build install with (`pip install -c packaging/constraints.txt`). Run it when a range
# in pyproject.toml changes or to take newer releases; then run CI and commit both files.
#
#   bash packaging/refresh-constraints.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q ".[dev,package]"
{
    echo "# Exact versions CI tested, for $("$tmp/venv/bin/python" --version) on $(uname -m)."
    echo "# Made by packaging/refresh-constraints.sh on $(date -u +%Y-%m-%d); do not edit by hand."
    "$tmp/venv/bin/python" -m pip freeze --exclude-editable | grep -v -i '^belarchive'
} > packaging/constraints.txt
echo "Wrote packaging/constraints.txt ($(grep -vc '^#' packaging/constraints.txt) packages)."
