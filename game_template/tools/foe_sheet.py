"""Contact sheet of the enemies, bosses, bush tile and treats, as the game draws them (dev time).

For every theme and style (full colour, Game Boy, PICO-8) one strip of level drawn by the real
modules (foe_sheet.mjs: Background, TileSet, Renderer.things, Effects): each enemy type walking
(both frames, both ways), stunned and in the air; the theme's boss walking, winding up (with its
"!"), in each attack of its plan, dazed, hit and in its defeat beat; the bush tile, a platform,
treats and score pop-ups. Written at 1x and at 4x (nearest neighbour), to look at with an image
viewer; needs Playwright and Debian's Chromium.

    .venv/bin/python game_template/tools/foe_sheet.py /tmp/foes-sheet [--themes park,snow]
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import io
import json
import os
import threading
from pathlib import Path

from PIL import Image

TEMPLATE = Path(__file__).resolve().parents[1]
STYLES = ("16bit", "gameboy", "pico8")
THEMES = ("park", "beach", "snow", "city", "space")
ZOOM = 4

PAGE = "([style, themes]) => import('/tools/foe_sheet.mjs').then((m) => m.sheet(style, themes))"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No request log."""


def render(themes: tuple[str, ...]) -> dict[str, dict[str, Image.Image]]:
    """style -> theme -> its 1x strip."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(TEMPLATE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/"
    out: dict[str, dict[str, Image.Image]] = {}
    chromium = os.environ.get("PETPIXEL_CHROMIUM", "/usr/bin/chromium")
    try:
        with sync_playwright() as pw:
            args = ["--headless", "--no-sandbox"]
            browser = pw.chromium.launch(executable_path=chromium, args=args)
            for style in STYLES:
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(url)
                strips = page.evaluate(PAGE, [style, list(themes)])
                if errors:
                    raise SystemExit(json.dumps(errors))
                out[style] = {
                    name: Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1]))).convert(
                        "RGB"
                    )
                    for name, data in strips.items()
                }
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return out


def stack(images: list[Image.Image], gap: int = 2) -> Image.Image:
    width = max(im.width for im in images)
    sheet = Image.new("RGB", (width, sum(im.height + gap for im in images) - gap), (40, 40, 40))
    y = 0
    for im in images:
        sheet.paste(im, (0, y))
        y += im.height + gap
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("prefix", help="output path prefix, e.g. /tmp/foes-sheet")
    parser.add_argument("--themes", default=",".join(THEMES))
    args = parser.parse_args()
    themes = tuple(args.themes.split(","))
    strips = render(themes)
    for style, by_theme in strips.items():
        one = stack([by_theme[t] for t in themes])
        one.save(f"{args.prefix}-{style}-1x.png")
        for name, im in by_theme.items():
            big = im.resize((im.width * ZOOM, im.height * ZOOM), Image.Resampling.NEAREST)
            big.save(f"{args.prefix}-{style}-{name}-4x.png")
    print(args.prefix)  # noqa: T201


if __name__ == "__main__":
    main()
