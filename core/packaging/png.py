"""Smaller PNGs with the same pixels: pixel art holds a handful of colours, so a palette PNG (each
colour's alpha in tRNS) carries it in far fewer bytes than RGBA. The sheet is on a slow link's
critical path (the first frame draws the pet), where each KB costs about 20 ms."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

MAX_COLOURS = 256  # a palette PNG's limit


def smallest_png(data: bytes) -> bytes:
    """`data` as a palette PNG when its pixels hold at most 256 RGBA colours and that is smaller;
    else `data` unchanged. Lossless: the result decodes to exactly the same RGBA pixels."""
    with Image.open(io.BytesIO(data)) as image:
        rgba = np.asarray(image.convert("RGBA"))
    height, width, _ = rgba.shape
    keys = np.ascontiguousarray(rgba).view("<u4").reshape(-1)
    colours, index, counts = np.unique(keys, return_inverse=True, return_counts=True)
    if len(colours) > MAX_COLOURS:
        return data
    # The commonest colour first (it deflates a little better): index i of `index` -> rank[i].
    order = np.argsort(-counts, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    table = colours[order].astype("<u4").view(np.uint8).reshape(-1, 4)  # R, G, B, A per colour
    indexed = Image.fromarray(rank[index].astype(np.uint8).reshape(height, width), mode="P")
    indexed.putpalette(table[:, :3].tobytes(), rawmode="RGB")
    buf = io.BytesIO()
    indexed.save(buf, format="PNG", optimize=True, transparency=table[:, 3].tobytes())
    smaller = buf.getvalue()
    with Image.open(io.BytesIO(smaller)) as check:
        same = np.array_equal(np.asarray(check.convert("RGBA")), rgba)
    return smaller if same and len(smaller) < len(data) else data
