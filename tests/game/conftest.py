"""Game fixtures: a hand-drawn pet sheet (atlas format), a packaged game, a local static server."""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from core.levels import generate_levels
from core.packaging import build_bundle, write_bundle
from tests.conftest import free_port

CELL = 40
ANIMATIONS = {"idle": 2, "walk": 4, "jump": 4, "special": 2, "hurt": 2}
PALETTE = ["#1a1c2c", "#f4f4f4", "#a0703c", "#6b4220", "#ef7d57", "#ffcd75"]
# Angle brackets, quotes and an ampersand: the name must come out escaped wherever it lands.
TRICKY_NAME = "<b>Rex</b> & \"Bo\" 'Jr'"


def draw_pet(draw: ImageDraw.ImageDraw, ox: int, oy: int, bob: int, leg: int) -> None:
    """A 32 px tall brown dog facing right, feet on the cell's row 38."""
    ink, white, fur, dark, nose = "#1a1c2c", "#f4f4f4", "#a0703c", "#6b4220", "#ef7d57"
    y = oy + bob
    draw.rectangle([ox + 6, y + 18, ox + 30, y + 32], fill=fur, outline=ink)
    draw.rectangle([ox + 20, y + 6, ox + 36, y + 22], fill=fur, outline=ink)
    draw.rectangle([ox + 21, y + 2, ox + 25, y + 8], fill=dark, outline=ink)
    draw.rectangle([ox + 30, y + 12, ox + 32, y + 14], fill=ink)
    draw.rectangle([ox + 35, y + 16, ox + 37, y + 18], fill=nose)
    draw.rectangle([ox + 10, y + 22, ox + 18, y + 28], fill=white)
    draw.rectangle([ox + 2, y + 16, ox + 6, y + 19], fill=dark, outline=ink)
    for i, lx in enumerate((ox + 8, ox + 14, ox + 22, ox + 28)):
        shift = leg if i % 2 == 0 else -leg
        draw.rectangle([lx + shift, oy + 32, lx + shift + 3, oy + 38], fill=dark, outline=ink)


def make_sheet() -> tuple[bytes, dict[str, Any]]:
    """sheet.png bytes and its version-1 atlas, one row per animation."""
    width = CELL * max(ANIMATIONS.values())
    sheet = Image.new("RGBA", (width, CELL * len(ANIMATIONS)))
    draw = ImageDraw.Draw(sheet)
    animations: dict[str, Any] = {}
    for row, (name, count) in enumerate(ANIMATIONS.items()):
        frames = []
        for col in range(count):
            bob = -2 if name == "jump" and col in (1, 2) else (col % 2 if name == "idle" else 0)
            draw_pet(draw, col * CELL, row * CELL, bob, (col % 2) * 2 - 1 if name == "walk" else 0)
            frames.append(
                {"x": col * CELL, "y": row * CELL, "w": CELL, "h": CELL, "duration_ms": 120}
            )
        animations[name] = {"loop": name in ("idle", "walk"), "frames": frames}
    buf = io.BytesIO()
    sheet.save(buf, format="PNG")
    atlas = {
        "version": 1,
        "image": "sheet.png",
        "frame_w": CELL,
        "frame_h": CELL,
        "anchor": {"x": 20, "y": 38},
        "palette": PALETTE,
        "animations": animations,
    }
    return buf.getvalue(), atlas


@pytest.fixture(scope="session")
def pet_sheet() -> tuple[bytes, dict[str, Any]]:
    return make_sheet()


def package(
    out: Path, *, name: str = TRICKY_NAME, theme: str = "park", count: int = 2, style: str = "16bit"
) -> Path:
    sheet_png, atlas = make_sheet()
    levels = generate_levels(seed=7, theme=theme, difficulty=2, count=count)
    bundle = build_bundle(
        sheet_png=sheet_png,
        atlas=atlas,
        levels=levels,
        pet_name=name,
        style=style,
        theme=theme,
        seed=7,
        palette=PALETTE,
    )
    write_bundle(bundle, out)
    return out


@dataclass
class Served:
    root: Path
    url: str


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@pytest.fixture(scope="session")
def served_game(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A packaged two-level park game served from a sub-folder, as a static host would."""
    root = tmp_path_factory.mktemp("site")
    package(root / "games" / "abc")
    yield from serve(root, "games/abc")


def serve(root: Path, sub: str) -> Iterator[Served]:
    """Serve `root` over HTTP until the generator is closed; yields the game at `sub`."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(root / sub, f"http://127.0.0.1:{server.server_port}/{sub}/")
    finally:
        server.shutdown()
        server.server_close()
