#!/usr/bin/env bash
# Build the one-folder bundle dist/belarchive/ with PyInstaller, then smoke-test it.
#
#   packaging/build.sh            # uses .venv/ of the checkout (created by the usual setup)
#   PYTHON=/path/python packaging/build.sh
#
# Output: dist/belarchive/belarchive (the program) and its libraries beside it. build/ and
# dist/ are git-ignored. The smoke test runs the bundle headless (--version, list) and opens
# the GUI offscreen for a moment; set SKIP_SMOKE=1 to skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

"$PYTHON" -m pip install --quiet -c packaging/constraints.txt "pyinstaller>=6.5,<7"
# The bundle carries compiled translations (.mo, git-ignored); a broken one stops the build.
"$PYTHON" packaging/translations.py compile
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/belarchive.spec

echo "bundle: $(du -sh dist/belarchive | cut -f1) in dist/belarchive"
if [[ "${SKIP_SMOKE:-0}" != "1" ]]; then
    packaging/smoke.sh dist/belarchive/belarchive
fi
