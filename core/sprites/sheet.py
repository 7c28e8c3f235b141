"""Pack the animation frames into one sheet PNG and describe it with the version 2 atlas."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from PIL import Image

from core.sprites.animate import ANIMATIONS, LOOPS, Frame

ATLAS_VERSION = 2
Hitbox = tuple[int, int, int, int]  # x, y, w, h in cell pixels


def build_sheet(
    animations: Mapping[str, Sequence[Frame]],
    palette: Sequence[str],
    *,
    species: str = "other",
    hitbox: Hitbox | None = None,
) -> tuple[Image.Image, dict[str, Any]]:
    """The sheet image and its atlas (see docs/CONTRACTS.md, "Sprite atlas").

    Without a hitbox (the "as photographed" sprite) the box of the first idle frame is used.
    """
    fw, fh = cell_size(animations)
    sheet, entries = _pack(animations, shelf_rows({n: len(animations[n]) for n in ANIMATIONS}))
    anchor = _anchor(animations)
    box = hitbox or idle_box(animations, anchor["y"])
    atlas = {
        "version": ATLAS_VERSION,
        "image": "sheet.png",
        "frame_w": fw,
        "frame_h": fh,
        "anchor": anchor,
        "species": species,
        "visible_height": visible_height(animations, anchor["y"]),
        "hitbox": dict(zip(("x", "y", "w", "h"), box, strict=True)),
        "palette": list(palette),
        "animations": {name: entries[name] for name in ANIMATIONS},
    }
    return sheet, atlas


def _idle_rows_cols(animations: Mapping[str, Sequence[Frame]]) -> tuple[np.ndarray, np.ndarray]:
    alpha = np.asarray(animations["idle"][0].image.getchannel("A"))
    return np.nonzero(alpha.any(axis=1))[0], np.nonzero(alpha.any(axis=0))[0]


def visible_height(animations: Mapping[str, Sequence[Frame]], ground: int) -> int:
    """Pixels from the ground line to the top of the first idle frame."""
    rows, _ = _idle_rows_cols(animations)
    return int(ground - rows.min()) if rows.size else 0


def idle_box(animations: Mapping[str, Sequence[Frame]], ground: int) -> Hitbox:
    """The first idle frame's opaque box, down to the ground line."""
    rows, cols = _idle_rows_cols(animations)
    if not rows.size:
        return 0, 0, 1, 1
    x0, y0 = int(cols.min()), int(rows.min())
    return x0, y0, int(cols.max()) + 1 - x0, max(1, ground - y0)


def _pack(
    animations: Mapping[str, Sequence[Frame]], rows: list[list[str]]
) -> tuple[Image.Image, dict[str, Any]]:
    """Paste the frames shelf by shelf; return the sheet and each animation's atlas entry."""
    fw, fh = cell_size(animations)
    columns = max(sum(len(animations[n]) for n in row) for row in rows)
    sheet = Image.new("RGBA", (columns * fw, len(rows) * fh), (0, 0, 0, 0))
    entries: dict[str, Any] = {}
    for r, row in enumerate(rows):
        col = 0
        for name in row:
            rects = []
            for frame in animations[name]:
                x, y = col * fw, r * fh
                sheet.paste(frame.image, (x, y))
                rects.append({"x": x, "y": y, "w": fw, "h": fh, "duration_ms": frame.duration_ms})
                col += 1
            entries[name] = {"loop": LOOPS[name], "frames": rects}
    return sheet, entries


def cell_size(animations: Mapping[str, Sequence[Frame]]) -> tuple[int, int]:
    """The one frame size every animation shares; a mismatch is a bug upstream, so it raises."""
    missing = [name for name in ANIMATIONS if not animations.get(name)]
    if missing:
        raise ValueError(f"animations missing or empty: {', '.join(missing)}")
    sizes = {frame.image.size for name in ANIMATIONS for frame in animations[name]}
    if len(sizes) != 1:
        raise ValueError(f"frames must share one cell size, got {sorted(sizes)}")
    return sizes.pop()


def shelf_rows(counts: Mapping[str, int]) -> list[list[str]]:
    """First-fit shelves as wide as the longest animation: short ones share a row."""
    width = max(counts.values())
    rows: list[list[str]] = []
    for name, count in counts.items():
        row = next((r for r in rows if sum(counts[n] for n in r) + count <= width), None)
        if row is None:
            rows.append([name])
        else:
            row.append(name)
    return rows


def _anchor(animations: Mapping[str, Sequence[Frame]]) -> dict[str, int]:
    """The frames' own anchor, else the bottom centre of the first idle frame's pixels."""
    first = animations["idle"][0]
    if first.anchor is not None:
        return {"x": first.anchor[0], "y": first.anchor[1]}
    alpha = np.asarray(first.image.getchannel("A"))
    ys, xs = np.nonzero(alpha)
    if ys.size == 0:
        return {"x": first.image.width // 2, "y": first.image.height}
    return {"x": int(xs.min() + xs.max() + 1) // 2, "y": int(ys.max()) + 1}
