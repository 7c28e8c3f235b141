"""What the chat-bot benchmarks share: the photo they send and how samples are summarised."""

from __future__ import annotations

import io
import statistics
from typing import Any

# Issue 6's targets for a chat bot: first reply (ack) and the preview GIF, median of the runs.
TARGETS_MS = {"ack": 300, "preview": 3000}


def cat_photo() -> bytes:
    """scikit-image's Chelsea as a JPEG, like a phone photo (offline, no download)."""
    import numpy as np
    from PIL import Image
    from skimage import data

    buf = io.BytesIO()
    Image.fromarray(np.asarray(data.chelsea())).save(buf, format="JPEG", quality=92)
    return buf.getvalue()


def summarise(samples: list[dict[str, float]]) -> dict[str, Any]:
    """Median, p90 and max per measure, and whether each target's median is met."""
    out: dict[str, Any] = {}
    for key in samples[0]:
        values = sorted(s[key] for s in samples)
        out[key] = {
            "median_ms": round(statistics.median(values), 1),
            "p90_ms": round(values[int(0.9 * (len(values) - 1))], 1),
            "max_ms": round(values[-1], 1),
        }
    for key, target in TARGETS_MS.items():
        out[key]["target_ms"] = target
        out[key]["meets_target"] = out[key]["median_ms"] < target
    return out
