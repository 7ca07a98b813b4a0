#!/usr/bin/env bash
# The main job. For now: solve the bundled park LP (datasets/lp/park-day.mps) with
# FlexDispatch's interior-point solver and write its solution to out/park-day/.
# (The park's daily dispatch replaces this once the park model lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product flexdispatch
mkdir -p out/park-day
.build/release/flexdispatch lp solve datasets/lp/park-day.mps --verbose \
  --write-solution out/park-day/solution.csv "$@"
echo "solution written to out/park-day/solution.csv"
