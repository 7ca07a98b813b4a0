#!/usr/bin/env bash
# Test peers for `swift test` (sourced by scripts/test.sh): installs Debian's PostgreSQL,
# Chromium and Mosquitto when missing, paho-mqtt, pymodbus and pysunspec2 (PyPI) in .venv-peers/, starts a throw-away PostgreSQL cluster on 127.0.0.1 and
# exports FLEXDISPATCH_TEST_POSTGRES_URL; the tests that need a peer skip with a message
# when it could not be provided. `stop_test_services` (trap on exit) removes the cluster.
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
want=()
dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed" || want+=(postgresql)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
[ -x /usr/sbin/mosquitto ] || want+=(mosquitto)
if [ ${#want[@]} -gt 0 ]; then
  echo "test: installing ${want[*]}" >&2
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${want[@]}" >/dev/null; } ||
    echo "test: could not install ${want[*]}; the tests that need them will be skipped" >&2
fi
# Python peers in their own virtual environment (listed in .gitignore).
if [ ! -x .venv-peers/bin/python ] || ! .venv-peers/bin/python -c "import paho.mqtt, pymodbus, sunspec2" 2>/dev/null; then
  { python3 -m venv .venv-peers &&
    .venv-peers/bin/pip install --quiet "paho-mqtt>=2,<3" "pymodbus==3.16.1" "pysunspec2==1.3.7"; } >/dev/null 2>&1 ||
    echo "test: could not set up .venv-peers (paho-mqtt, pymodbus, pysunspec2); the MQTT and SunSpec peer tests will be skipped" >&2
fi
[ -x .venv-peers/bin/python ] && export FLEXDISPATCH_TEST_PYTHON="$PWD/.venv-peers/bin/python"
# openadr3-client needs Python >= 3.12: the machine's pyenv carries one besides the default python3.
if [ ! -x .venv-openadr/bin/python ] || ! .venv-openadr/bin/python -c "import openadr3_client" 2>/dev/null; then
  py312=""
  for c in python3.13 python3.12 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py312="$c"; break; fi
  done
  if [ -n "$py312" ]; then
    { "$py312" -m venv .venv-openadr && .venv-openadr/bin/pip install --quiet -r Tests/Peers/requirements-openadr.txt; } >/dev/null 2>&1 ||
      echo "test: could not set up .venv-openadr (openadr3-client); the OpenADR peer test will be skipped" >&2
  else
    echo "test: no Python >= 3.12 found for openadr3-client; the OpenADR peer test will be skipped" >&2
  fi
fi
[ -x .venv-openadr/bin/python ] && export FLEXDISPATCH_TEST_OPENADR_PYTHON="$PWD/.venv-openadr/bin/python"
# s2-python pins its own websockets: its own virtual environment.
if [ ! -x .venv-s2/bin/python ] || ! .venv-s2/bin/python -c "import s2python" 2>/dev/null; then
  pys2="${py312:-}"
  if [ -z "$pys2" ]; then
    for c in python3.13 python3.12 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 python3; do
      if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then pys2="$c"; break; fi
    done
  fi
  { [ -n "$pys2" ] && "$pys2" -m venv .venv-s2 && .venv-s2/bin/pip install --quiet -r Tests/Peers/requirements-s2.txt; } >/dev/null 2>&1 ||
    echo "test: could not set up .venv-s2 (s2-python); the S2 peer test will be skipped" >&2
fi
[ -x .venv-s2/bin/python ] && export FLEXDISPATCH_TEST_S2_PYTHON="$PWD/.venv-s2/bin/python"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
FD_PG_DIR=""
if [ -n "$pg_bin" ]; then
  FD_PG_DIR=$(mktemp -d /tmp/fd-pg.XXXXXX)
  FD_PG_PORT=$((20000 + RANDOM % 20000))
  as_user=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$FD_PG_DIR"; as_user=(runuser -u postgres --); fi
  if "${as_user[@]}" "$pg_bin/initdb" -D "$FD_PG_DIR/data" -A trust -U flexdispatch >/dev/null 2>&1 &&
     "${as_user[@]}" "$pg_bin/pg_ctl" -D "$FD_PG_DIR/data" -l "$FD_PG_DIR/log" -w \
       -o "-p $FD_PG_PORT -k $FD_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
    export FLEXDISPATCH_TEST_POSTGRES_URL="postgres://flexdispatch@127.0.0.1:$FD_PG_PORT/postgres"
    echo "test: PostgreSQL on 127.0.0.1:$FD_PG_PORT" >&2
  else
    echo "test: PostgreSQL did not start (see $FD_PG_DIR/log); its tests will be skipped" >&2
  fi
fi
stop_test_services() {
  if [ -n "$FD_PG_DIR" ] && [ -d "$FD_PG_DIR/data" ]; then
    "${as_user[@]}" "$pg_bin/pg_ctl" -D "$FD_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$FD_PG_DIR"
  fi
}
