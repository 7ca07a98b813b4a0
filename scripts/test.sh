#!/usr/bin/env bash
# Runs the test suite (installs the system libraries first when missing).
# Tests that need ../shared (Netlib LP sets) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# HiGHS (PyPI highspy) for the cross-check tests; they skip with a message without it.
python3 -c "import highspy" 2>/dev/null || python3 -m pip install --quiet highspy >/dev/null 2>&1 || \
  echo "test: highspy not installable; HiGHS cross-checks will be skipped" >&2
swift test "$@"
