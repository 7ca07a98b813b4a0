#!/usr/bin/env bash
# The main job: the daily dispatch of the bundled Ordos-style park (46 firms, one day at
# 15 minutes). Writes out/ordos-park/summary.json and schedule.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product flexdispatch
.build/release/flexdispatch run datasets/ordos-park --out out/ordos-park "$@"
echo "results: out/ordos-park/summary.json, out/ordos-park/schedule.csv"
