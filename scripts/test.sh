#!/usr/bin/env bash
# Runs the test suite (installs the system libraries first when missing), with its real
# peers: HiGHS (PyPI highspy) for cross-checks, a PostgreSQL server on loopback for the run
# history, headless Chromium for the report. Tests whose peer is missing skip with a message;
# tests that need ../shared (Netlib LP sets, park scenarios) skip when it is absent.
#
# Two passes: the suites that talk to protocol peers (MQTT, Modbus/SunSpec, OpenADR, S2 and
# the park simulation) run after the rest, on their own. Their servers (Hummingbird, the
# S2 handshake with its fixed 5 s deadline) answer on Swift's cooperative threads, which
# the CPU-heavy suites would otherwise occupy on a 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -c "import highspy" 2>/dev/null || python3 -m pip install --quiet highspy >/dev/null 2>&1 || \
  echo "test: highspy not installable; HiGHS cross-checks will be skipped" >&2
source scripts/test-services.sh
trap stop_test_services EXIT
peers='ServerTLSTests|OpenADRWebhookTests|SignalsCommandTests|MQTTTests|SunSpecTests|FeedServiceTests|ParkSimulationTests|OpenADRTests|S2Tests|GridToDevicesTests|VENReplayTests|OpenADRFaultTests|FeedServiceOnceTests'
if [ $# -gt 0 ]; then
  swift test "$@"
else
  swift test --skip "$peers"
  swift test --skip-build --filter "$peers"
fi
