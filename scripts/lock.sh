#!/usr/bin/env bash
# Refreshes the image's lock files from pyproject.toml: exact versions and sha256 hashes of every
# wheel PyPI has for them, resolved for the image's Python (3.11, Linux x86_64).
#   requirements.lock      runtime dependencies and the `sentry` extra (PETPIXEL_SENTRY_DSN works in
#                          the image), + setuptools to build the project without an index
#   requirements-gpu.lock  the `ml` extra for the gpu target (torch with CUDA, diffusers), pinned to
#                          the same versions as requirements.lock where they overlap
# Usage: scripts/lock.sh [--upgrade]   (then rebuild the image and run the container test)
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
TOOLS="${XDG_CACHE_HOME:-$HOME/.cache}/petpixel/lock-tools"
if [ ! -x "$TOOLS/bin/uv" ]; then
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
COMMON=(--quiet --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28
        --index-url https://pypi.org/simple --no-header --emit-index-url "$@")
# The build backend of pyproject.toml's [build-system], so the builder installs the project offline.
# backports-strenum: uv ignores Requires-Python upper bounds, and 1.3.1 refuses Python 3.11.
printf 'setuptools>=77\nbackports-strenum<1.3.1\n' > /tmp/petpixel-build.in
"$TOOLS/bin/uv" pip compile pyproject.toml --extra sentry /tmp/petpixel-build.in "${COMMON[@]}" \
  -o requirements.lock
"$TOOLS/bin/uv" pip compile pyproject.toml --extra ml -c requirements.lock "${COMMON[@]}" \
  --no-emit-package setuptools -o requirements-gpu.lock
rm -f /tmp/petpixel-build.in
echo "requirements.lock: $(grep -c '==' requirements.lock) packages;" \
  "requirements-gpu.lock: $(grep -c '==' requirements-gpu.lock) packages"
