"""Telegram bot benchmark: photo -> first reply (ack) and photo -> preview GIF, median of N runs.

Runs the real PTB Application on embedded defaults (SQLite, local storage, in-process worker,
default sprite size) against the fake Bot API server from tests/fakes, with the flood-control
limiter off (the fake has no flood limits). Each run is a new user: photo, then style, name and
theme as fast as a user could tap; times come from the fake's clock as each request reaches it.
Targets: ack < 300 ms, preview < 3 s. Writes bench/results/telegram.json.

    .venv/bin/python bench/telegram_bench.py [--runs 20]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "telegram.json"

from bench.chatbench import cat_photo, production_pacing, run, timings  # noqa: E402
from core.config import Settings  # noqa: E402
from tests.bots.telegram.harness import User, bot_settings, running_bot  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402


async def one_run(fake: FakeTelegram, uid: int, photo: bytes) -> dict[str, float]:
    user = User(fake, uid)
    start = time.monotonic()
    user.photo(photo)
    ack = (await user.says("Got your photo"))[0].at
    await user.says("Pick a style")
    user.click("style:16bit")
    await user.says("What's your pet's name")
    user.text("Bench")
    await user.says("adventure?")
    asked = time.monotonic()
    user.click("theme:park")
    gif = (await user.says("Here's", within=120))[0].at
    return timings(start, ack, asked, gif)


async def bench(settings: Settings, runtime: Any, runs: int) -> list[dict[str, float]]:
    photo = cat_photo()
    async with FakeTelegram() as fake:
        tuned = bot_settings(
            settings,
            fake,
            **production_pacing(settings, "telegram", runs),
        )
        async with running_bot(tuned, runtime, fake):
            await one_run(fake, 10_000, photo)  # warm-up: imports, model load, caches
            return [await one_run(fake, 10_001 + i, photo) for i in range(runs)]


if __name__ == "__main__":
    run(bench, RESULTS, __doc__.splitlines()[0])
