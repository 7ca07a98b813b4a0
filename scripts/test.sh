#!/usr/bin/env bash
# Runs the test suite (installs the system libraries first when missing), with its real
# peers: HiGHS (PyPI highspy) for cross-checks, a PostgreSQL server on loopback for the run
# history, headless Chromium for the report. Tests whose peer is missing skip with a message;
# tests that need ../shared (Netlib LP sets, park scenarios) skip when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -c "import highspy" 2>/dev/null || python3 -m pip install --quiet highspy >/dev/null 2>&1 || \
  echo "test: highspy not installable; HiGHS cross-checks will be skipped" >&2
source scripts/test-services.sh
trap stop_test_services EXIT
swift test "$@"
