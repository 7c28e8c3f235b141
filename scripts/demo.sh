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
# The sample: a tabby from the development photos (CC BY 3.0, Heikki Siltala; tests/data/pets/SOURCES.md).
SAMPLE="tests/data/pets/cat-07-sitting-tabby-busy-bg.jpg"
PHOTO="${1:-$SAMPLE}"
.venv/bin/petpixel sprite "$PHOTO" --style 16bit --out out/sprite
.venv/bin/petpixel game "$PHOTO" --name Tabby --style 16bit --levels 3 --theme park --out out/game
echo
echo "Sprite sheet and preview: out/sprite/ (sheet.png, preview.gif)"
echo "Static game: out/game/index.html (serve the folder with any static server)"
if [ "$SERVE" = 1 ]; then
  echo "Starting the web app; open the URL below, upload a photo, and play. Ctrl-C stops it."
  exec .venv/bin/petpixel serve --host "${PETPIXEL_HOST:-127.0.0.1}" --port "${PETPIXEL_PORT:-8000}"
fi
