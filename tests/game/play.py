"""Drive a packaged game in Chromium with real key events, frame-exactly, on a fake clock."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().parents[2] / "game_template"
KEY_FOR = {"L": "ArrowLeft", "R": "ArrowRight", "J": "Space", "S": "KeyX"}
FRAME_MS = 16  # the fake clock fires requestAnimationFrame every 16 ms: at most one sim step each


def bot_trace(
    level: dict[str, Any], workdir: Path, physics: dict[str, Any] | None = None
) -> list[tuple[int, str]]:
    """The rules engineer's A* bot: run-length input runs that finish `level` in the real sim
    (with the game's own physics, e.g. its hero's hitbox, when given)."""
    path = workdir / f"level{level['index']}.json"
    path.write_text(json.dumps(level))
    args = [str(TEMPLATE / "tools" / "bot.mjs"), str(path)]
    if physics is not None:
        (workdir / "physics.json").write_text(json.dumps(physics))
        args += ["--physics", str(workdir / "physics.json")]
    out = subprocess.run(["node", *args], capture_output=True, text=True, check=True, timeout=120)
    return [(int(n), str(keys)) for n, keys in json.loads(out.stdout)["inputs"]]


def watched_page(context: Any, *, console: bool = False) -> Any:
    """A new page of `context` whose `errors` list collects uncaught page errors (and, with
    `console`, console errors too), for tests to assert there were none."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    if console:
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    return page


def state(page: Any) -> dict[str, Any]:
    return dict(page.evaluate("() => ({...window.PETPIXEL})"))


def advance_to(page: Any, frame: int) -> int:
    """Run the fake clock until the sim has done exactly `frame` steps of this level."""
    done = int(page.evaluate("window.PETPIXEL.frame"))
    while done < frame:
        page.clock.run_for((frame - done) * FRAME_MS)
        done = int(page.evaluate("window.PETPIXEL.frame"))
    return done


def replay(
    page: Any, runs: list[tuple[int, str]], every: int | None = None
) -> list[dict[str, Any]]:
    """Hold each run's keys (real keydown/keyup events) for exactly its number of sim frames, until
    the level is no longer being played. With `every`, also returns the hook's state every `every`
    sim frames."""
    held: set[str] = set()
    samples: list[dict[str, Any]] = []
    target = int(page.evaluate("window.PETPIXEL.frame"))
    playing = True
    for count, keys in runs:
        want = {KEY_FOR[k] for k in keys}
        for key in sorted(held - want):
            page.keyboard.up(key)
        for key in sorted(want - held):
            page.keyboard.down(key)
        held = want
        left = count
        while playing and left > 0:
            step = min(every or left, left)
            target += step
            left -= step
            if advance_to(page, target) != target:
                playing = False
                break
            now = state(page) if every else {"status": page.evaluate("window.PETPIXEL.status")}
            if every:
                samples.append(now)
            playing = now["status"] == "playing"
        if not playing:
            break
    for key in held:
        page.keyboard.up(key)
    return samples


def open_paused(page: Any, url: str) -> None:
    """Load the game with time frozen, then let it idle past the title screen's input grace."""
    page.clock.install(time=0)
    page.clock.pause_at(1000)
    page.goto(url)
    page.wait_for_function("() => window.PETPIXEL !== undefined")
    page.clock.run_for(600)


def pixel_variance(png: bytes) -> float:
    import io

    import numpy as np
    from PIL import Image

    return float(np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.float64).var())
