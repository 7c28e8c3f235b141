#!/usr/bin/env bash
# The README's test command: set up (with dev tools), install Debian Chromium if missing, lint, run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --dev
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
# The container stack test (tests/container; skipped on a laptop without podman, required in CI):
# podman with runc, debootstrap for its base image. It points CONTAINERS_CONF at
# deploy/podman/containers.conf itself; no system file is changed.
if [ "${CI:-}" = true ] && ! { command -v podman && command -v runc && command -v debootstrap; } >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq podman runc debootstrap >/dev/null
fi
# promtool (Debian's prometheus package) checks and unit-tests deploy/prometheus/alerts.yml.
if [ "${CI:-}" = true ] && ! command -v promtool >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy core runtime bots web workers cli
.venv/bin/python -m pytest "$@"
