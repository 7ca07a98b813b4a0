#!/usr/bin/env bash
# Installs the Debian libraries FlexDispatch links against, when they are missing:
# OpenBLAS (CBLAS), LAPACKE, SuiteSparse (CHOLMOD), zlib, SQLite (the run history) and
# libmosquitto (the MQTT adapter). Uses
# sudo when not root.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libsuitesparse-dev zlib1g-dev libsqlite3-dev libmosquitto-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
