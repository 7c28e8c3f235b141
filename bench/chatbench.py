"""What the chat-bot benchmarks share: the photo they send and how samples are summarised."""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import platform
import statistics
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
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


def production_pacing(settings: Any, bot: str, runs: int) -> dict[str, Any]:
    """Settings that undo the test harness's faster values for `bot` ("telegram", "discord"):
    real sprite size, worker progress, watcher polls and edits; uploads allowed for every run."""
    return {
        "preview_sprite_size": settings.preview_sprite_size,
        "progress_interval_s": settings.progress_interval_s,
        f"{bot}_poll_interval_s": getattr(settings, f"{bot}_poll_interval_s"),
        f"{bot}_edit_interval_s": getattr(settings, f"{bot}_edit_interval_s"),
        f"{bot}_uploads_per_hour": runs + 5,
    }


def timings(start: float, ack: float, asked: float, gif: float) -> dict[str, float]:
    """One run's milliseconds: to the first answer, to the preview GIF, and GIF after the last
    choice (all on the fake server's clock)."""
    return {
        "ack": (ack - start) * 1000,
        "preview": (gif - start) * 1000,
        "preview_after_theme": (gif - asked) * 1000,
    }


Bench = Callable[[Any, Any, int], Awaitable[list[dict[str, float]]]]


def run(bench: Bench, results: Path, description: str) -> None:
    """The command line of a chat benchmark: `--runs N` runs of `bench(settings, runtime, runs)`
    on embedded defaults in a fresh data dir, summarised and written to `results` as JSON."""
    from core.config import Settings
    from runtime import open_runtime

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data")
        with open_runtime(settings, role="bot") as runtime:
            samples = asyncio.run(bench(settings, runtime, args.runs))
    result = {
        "runs": args.runs,
        "machine": platform.platform(),
        "python": platform.python_version(),
        "sprite_size": settings.preview_sprite_size or "style default",
        "results": summarise(samples),
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["results"], indent=2))
