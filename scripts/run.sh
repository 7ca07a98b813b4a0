#!/usr/bin/env bash
# The main job: the daily dispatch of the bundled Ordos-style park (46 firms, one day at
# 15 minutes): forecasts the firms' loads, PV and wind from the park's history, solves the
# dispatch, writes out/ordos-park/ (summary.json, schedule.csv, forecasts.csv, report.html,
# manifest.json + inputs/) and records the run in out/flexdispatch.sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product flexdispatch
.build/release/flexdispatch run datasets/ordos-park --out out/ordos-park "$@"
echo "results: out/ordos-park/summary.json, schedule.csv, forecasts.csv; report: out/ordos-park/report.html; run history: out/flexdispatch.sqlite"
