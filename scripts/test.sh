#!/usr/bin/env bash
# Runs the test suite (installs the system libraries first when missing).
# Tests that need ../shared (Netlib LP sets) skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift test "$@"
