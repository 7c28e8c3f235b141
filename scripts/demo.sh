#!/usr/bin/env bash
# The README's main command: set up, turn the sample cat photo into a sprite and a game under out/,
# then serve the whole product on embedded defaults (SQLite, local storage, in-process jobs, free payments).
# Usage: scripts/demo.sh [--no-serve] [PHOTO]
set -euo pipefail
cd "$(dirname "$0")/.."
SERVE=1
if [ "${1:-}" = "--no-serve" ]; then SERVE=0; shift; fi
bash scripts/setup.sh
mkdir -p out
PHOTO="${1:-out/sample-cat.jpg}"
if [ ! -f "$PHOTO" ]; then
  # skimage ships a real cat photo ("Chelsea") that works offline.
  .venv/bin/python -c "import sys; from PIL import Image; from skimage import data; \
Image.fromarray(data.chelsea()).save(sys.argv[1], quality=92)" "$PHOTO"
fi
.venv/bin/petpixel sprite "$PHOTO" --style 16bit --out out/sprite
.venv/bin/petpixel game "$PHOTO" --name Chelsea --style 16bit --levels 3 --theme park --out out/game
echo
echo "Sprite sheet and preview: out/sprite/ (sheet.png, preview.gif)"
echo "Static game: out/game/index.html (serve the folder with any static server)"
if [ "$SERVE" = 1 ]; then
  echo "Starting the web app; open the URL below, upload a photo, and play. Ctrl-C stops it."
  exec .venv/bin/petpixel serve --host "${PETPIXEL_HOST:-127.0.0.1}" --port "${PETPIXEL_PORT:-8000}"
fi
