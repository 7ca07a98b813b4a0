#!/usr/bin/env bash
# Runs the test suite (installs the system libraries first when missing), with its real
# peers: HiGHS (PyPI highspy) for cross-checks, a PostgreSQL server on loopback for the run
# history, headless Chromium for the report. A suite or test whose peer is missing, or that
# needs ../shared (Netlib LP sets, park scenarios, forecast series) when it is absent, is
# skipped and prints `SKIP <name>: <reason>`; the last lines count those skips. With CI=true
# (where ../shared and every peer are provided) any skip fails the run.
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
python3 -c "import jsonschema" 2>/dev/null || python3 -m pip install --quiet jsonschema >/dev/null 2>&1 || \
  echo "test: jsonschema not installable; the summary.json schema test will be skipped" >&2
source scripts/test-services.sh
skip_log=""
test_tmp=""
trap 'stop_test_services; rm -f "$skip_log"; [ -z "$test_tmp" ] || rm -rf "$test_tmp" || true' EXIT
skip_log=$(mktemp /tmp/fd-test-skips.XXXXXX)
# What the tests and the compiler write to the temporary directory (the tests' scratch
# folders, lock files and MPS files, the driver's temporary files) goes into one folder of
# this run, removed at the end. Readable by all like /tmp itself: a peer that drops its
# privileges (Mosquitto, started as root, reads its certificates as its own user) must
# still reach the files a test leaves there for it.
test_tmp=$(mktemp -d /tmp/fd-tests.XXXXXX)
chmod 0755 "$test_tmp"
export TMPDIR="$test_tmp"

# swift test with its output untouched (standard output and standard error stay apart);
# a copy of standard error, where the SKIP lines go, is kept for the count.
run_swift_test() {
  { swift test "$@" 2>&1 1>&3 3>&- | tee -a "$skip_log" >&2 3>&-; } 3>&1
}

peers='ServerTLSTests|OpenADRWebhookTests|SignalsCommandTests|MQTTTests|SunSpecTests|FeedServiceTests|ParkSimulationTests|OpenADRTests|S2Tests|S2SecurityTests|VTNSecurityTests|GridToDevicesTests|VENReplayTests|OpenADRFaultTests|FeedServiceOnceTests|FeedIsolationMQTTTests|IdleConnectionTests|VTNQuotaTests'
status=0
if [ $# -gt 0 ]; then
  run_swift_test "$@" || status=$?
else
  run_swift_test --skip "$peers" || status=$?
  if [ "$status" -eq 0 ]; then run_swift_test --skip-build --filter "$peers" || status=$?; fi
fi

# The documentation of the library products (DocC catalogues): a broken symbol link, an
# undocumented parameter or any other DocC warning fails the run.
if [ "$status" -eq 0 ]; then
  for target in DataFiles LinearAlgebra LinearProgramming Forecasting ParkModel Storage RunHistory Measurements Reporting OpenADRAPI Adapters FlexDispatch; do
    swift package --disable-sandbox generate-documentation --target "$target" --warnings-as-errors >/tmp/fd-docc-$$.log 2>&1 || {
      grep -E '(error|warning):' /tmp/fd-docc-$$.log | head -40 >&2 || true
      echo "test: the documentation of $target does not build cleanly" >&2
      status=1
    }
  done
  rm -f /tmp/fd-docc-$$.log
  [ "$status" -eq 0 ] && echo "test: documentation built without warnings" >&2
fi

# The example packages (Examples/<name>/, each depending on this package by path): each is
# built and run, and must exit 0. They share one build folder, so the package's own
# targets and dependencies are compiled once. Only on a full run (no arguments).
if [ "$status" -eq 0 ] && [ $# -eq 0 ]; then
  for example in Examples/*/; do
    name=$(basename "$example")
    if ! (cd "$example" && swift build --scratch-path ../../.build-examples >/tmp/fd-example-$$.log 2>&1); then
      grep -E 'error:' /tmp/fd-example-$$.log | head -20 >&2 || tail -20 /tmp/fd-example-$$.log >&2
      echo "test: example $name does not build" >&2
      status=1
    elif ! (cd "$example" && swift run --skip-build --scratch-path ../../.build-examples "$name" >/tmp/fd-example-$$.log 2>&1); then
      tail -20 /tmp/fd-example-$$.log >&2
      echo "test: example $name exited with an error" >&2
      status=1
    else
      echo "test: example $name built and ran" >&2
    fi
  done
  # The example of every DocC getting-started article, built and run.
  ./scripts/doc-examples.sh || status=1
  # A program built on the adapters alone links none of the numeric core.
  bin=$(cd Examples/AdapterOnly && swift build --scratch-path ../../.build-examples --show-bin-path || true)/AdapterOnly
  if [ ! -x "$bin" ]; then
    echo "test: no AdapterOnly binary at $bin" >&2
    status=1
  elif ! libraries=$(ldd "$bin"); then
    echo "test: ldd cannot list the libraries of $bin" >&2
    status=1
  elif printf '%s\n' "$libraries" | grep -Ei 'cholmod|openblas|lapack|libblas'; then
    echo "test: the adapter-only program links the numeric core (above)" >&2
    status=1
  else
    echo "test: the adapter-only program links neither OpenBLAS, LAPACK nor CHOLMOD (ldd)" >&2
  fi
  rm -f /tmp/fd-example-$$.log
fi

skips=$(grep -E '^SKIP [^:]+: ' "$skip_log" | sort -u || true)
count=$(printf '%s' "$skips" | grep -c '^SKIP' || true)
if [ "$count" -eq 0 ]; then
  echo "test: 0 suites skipped" >&2
else
  echo "test: $count suites skipped:" >&2
  printf '%s\n' "$skips" | sed 's/^/  /' >&2
  if [ "${CI:-}" = "true" ] && [ "$status" -eq 0 ]; then
    echo "test: CI provides ../shared and every peer, so no suite may be skipped there" >&2
    status=1
  fi
fi
exit "$status"
