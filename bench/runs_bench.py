"""Verified runs benchmark: how long the Python twin takes to check a run, and how many runs one
core accepts a second.

1. Replay time of a 60-second run (3600 frames) on every theme, a plain level and the boss arena:
   random inputs (right-heavy, jumps, special) with lives enough to play all 3600 frames; the
   median of several replays, in ms.
2. The bot's winning traces (node game_template/tools/bot.mjs) of each theme's two levels, each
   submitted through RunService.submit to a SQLite database (duplicate check, replay, insert,
   ranks):
   runs accepted per second on one core (one thread), and the median time per submission.
Writes bench/results/runs.json.

    .venv/bin/python bench/runs_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from core.db import Database, migrate  # noqa: E402
from core.levels import THEMES, generate_levels  # noqa: E402
from core.levels.game import JUMP, LEFT, RIGHT, SPECIAL, Game, mask_of  # noqa: E402
from core.levels.physics import load_physics  # noqa: E402
from core.orders.lifecycle import OrderStatus  # noqa: E402
from core.orders.tables import Game as GameRow  # noqa: E402
from core.runs import RunClaim, RunService  # noqa: E402
from core.storage import LocalStorage  # noqa: E402
from tests.orders.factories import add_game, add_order  # noqa: E402

FRAMES = 3600


def random_inputs(rng: random.Random) -> list[int]:
    masks: list[int] = []
    while len(masks) < FRAMES:
        mask = (RIGHT if rng.random() < 0.7 else 0) | (LEFT if rng.random() < 0.15 else 0)
        mask |= (JUMP if rng.random() < 0.45 else 0) | (SPECIAL if rng.random() < 0.1 else 0)
        masks += [mask] * rng.randint(1, 30)
    return masks[:FRAMES]


def replay_ms(
    level: dict[str, Any], physics: dict[str, Any], masks: list[int]
) -> tuple[float, int]:
    start = time.perf_counter()
    game = Game(level, physics)
    game.lives = 10**6  # play all 3600 frames: a death respawns
    played = 0
    for mask in masks:
        if game.status != "playing":
            break
        game.step(mask)
        played += 1
    return (time.perf_counter() - start) * 1000, played


def bot(level: dict[str, Any], workdir: Path) -> list[list[int]]:
    path = workdir / f"{level['theme']}-{level['index']}.json"
    path.write_text(json.dumps(level))
    out = subprocess.run(["node", "game_template/tools/bot.mjs", str(path)], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    return [[int(n), mask_of(keys)] for n, keys in json.loads(out.stdout)["inputs"]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    physics = load_physics()
    rng = random.Random(60)
    replays: dict[str, Any] = {}
    all_ms: list[float] = []
    levels = {
        theme: generate_levels(seed=3, theme=theme, difficulty=3, count=2)
        for theme in sorted(THEMES)
    }
    for theme, pair in levels.items():
        for level in pair:
            masks = random_inputs(rng)
            times = []
            for _ in range(args.repeat):
                ms, played = replay_ms(level, physics, masks)
                times.append(ms)
            median = statistics.median(times)
            all_ms.append(median)
            replays[f"{theme}{'-boss' if level['boss'] else ''}"] = {
                "frames": played,
                "median_ms": round(median, 2),
                "enemies": sum(
                    e["type"] in ("walker", "flyer", "jumper") for e in level["entities"]
                ),
            }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'runs.db'}"
        migrate(url)
        db = Database(url)
        storage = LocalStorage(work / "storage", "http://files.test")
        settings = Settings(data_dir=work / "data", runs_per_game_per_minute=0)
        claims = []
        for theme, pair in levels.items():
            key = f"games/{theme}/game.0123456789.json"
            storage.put(key, json.dumps({"levels": pair, "physics": physics}).encode(),
                        content_type="application/json")  # fmt: skip
            game_id = add_game(db, add_order(db, status=OrderStatus.READY), code=f"Bench{theme}")
            with db.session() as session:
                row = session.get(GameRow, game_id)
                assert row is not None
                row.assets = {"game.0123456789.json": key}
            for level in pair:
                inputs = bot(level, work)
                done = Game(level, physics)
                for count, mask in inputs:
                    for _ in range(count):
                        done.step(mask)
                claims.append(
                    (
                        f"Bench{theme}",
                        RunClaim(
                            level=level["index"],
                            frames=sum(n for n, _ in inputs),
                            inputs=inputs,
                            score=done.score,
                            status=done.status,
                        ),
                    )
                )
        service = RunService(settings=settings, db=db, storage=storage)
        per_run = []
        start = time.perf_counter()
        accepted = 0
        for i in range(args.repeat):
            for code, claim in claims:
                t0 = time.perf_counter()
                service.submit(code=code, claim=claim, anon_id=f"bench-player-{i:04d}-{code}")
                per_run.append((time.perf_counter() - t0) * 1000)
                accepted += 1
                with db.session() as session:  # the same trace again next round: forget this one
                    from sqlalchemy import delete

                    from core.orders.tables import Run

                    session.execute(delete(Run))
        elapsed = time.perf_counter() - start
        db.dispose()
    frames = [c.frames for _, c in claims]
    result = {
        "machine": {"python": platform.python_version(),
                    "cpu": platform.processor() or platform.machine()},
        "replay_60s": {"frames": FRAMES, "median_ms_per_level": replays,
                       "median_ms": round(statistics.median(all_ms), 2),
                       "max_ms": round(max(all_ms), 2)},
        "submit": {"runs": accepted, "bot_run_frames": {"min": min(frames), "max": max(frames),
                                                         "median": statistics.median(frames)},
                   "median_ms": round(statistics.median(per_run), 2),
                   "p95_ms": round(sorted(per_run)[int(0.95 * len(per_run)) - 1], 2),
                   "accepted_per_s_one_core": round(accepted / elapsed, 1)},
    }  # fmt: skip
    out = ROOT / "bench" / "results" / "runs.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
