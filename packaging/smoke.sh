#!/usr/bin/env bash
# Smoke-test a built bundle: version, a headless command on a fresh catalogue, and the GUI
# started offscreen for two seconds (it must still be running then, i.e. not have crashed).
set -euo pipefail
BIN="${1:-dist/belarchive/belarchive}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export BELARCHIVE_DATA_DIR="$TMP/data" BELARCHIVE_CONFIG_DIR="$TMP/config" BELARCHIVE_USER=smoke

"$BIN" --version
"$BIN" list
QT_QPA_PLATFORM=offscreen timeout 2 "$BIN" && status=0 || status=$?
if [[ $status -ne 124 ]]; then
    echo "smoke: the GUI exited early with status $status" >&2
    exit 1
fi
echo "smoke: GUI started and was still running after 2 s"
