#!/usr/bin/env bash
# A fuzzing campaign over the readers of user files (scenario folder, MPS, history CSV):
# the property tests of Tests/FuzzTests with CASES cases each (default 20000) instead of
# the few hundred `swift test` runs. Prints the test runner's summary; a failing case is
# reported with its input and the seed to replay it.
#   bash scripts/fuzz.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
FLEXDISPATCH_FUZZ_CASES="${1:-20000}" swift test --filter FuzzTests
