"""Discord bot benchmark: /pixelpet -> first answer (ack) and -> preview GIF, median of N runs.

Runs the real discord.py client on embedded defaults (SQLite, local storage, in-process worker,
default sprite size) against the fake Discord (REST + gateway) from tests/bots/discord. Each run
is a new member: /pixelpet with a photo and a name, then a style and a world as fast as a person
could click; times come from the fake's clock as each request reaches it. The ack is the
deferred "thinking" answer Discord needs within 3 s. Writes bench/results/discord.json.

    .venv/bin/python bench/discord_bench.py [--runs 20]
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "discord.json"

from bench.chatbench import cat_photo, production_pacing, run, timings  # noqa: E402
from bots.discord.bot import point_at  # noqa: E402
from core.config import Settings  # noqa: E402
from tests.bots.discord.fake_discord import FakeDiscord  # noqa: E402
from tests.bots.discord.harness import Member, bot_settings, running_bot  # noqa: E402


async def answered_at(fake: FakeDiscord, token: str, within: float = 30.0) -> float:
    """When the bot's first callback for interaction `token` reached the fake."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        for (method, path, _body), at in zip(fake.calls, fake.call_at, strict=True):
            if method == "POST" and path.endswith(f"/{token}/callback"):
                return at
        await asyncio.sleep(0.001)
    raise AssertionError("the bot never answered the command")


async def one_run(fake: FakeDiscord, uid: int, photo: bytes) -> dict[str, float]:
    member = Member(fake, uid, "Bench")
    start = time.monotonic()
    token = member.slash("pixelpet", image=photo, name="Bench")
    ack = await answered_at(fake, token)
    await member.sees("Pick a style")
    oid = member.order_id()
    member.select(f"pp:style:{oid}", "16bit")
    await member.sees("Where should")
    asked = time.monotonic()
    member.click(f"pp:theme:{oid}:park")
    gif = (await member.sees("Happy with it?", within=120))[0].at
    return timings(start, ack, asked, gif)


async def bench(settings: Settings, runtime: Any, runs: int) -> list[dict[str, float]]:
    photo = cat_photo()
    async with FakeDiscord() as fake:
        tuned = bot_settings(
            settings,
            fake,
            **production_pacing(settings, "discord", runs),
        )
        try:
            async with running_bot(tuned, runtime, fake):
                await one_run(fake, 20_000, photo)  # warm-up: imports, model load, caches
                return [await one_run(fake, 20_001 + i, photo) for i in range(runs)]
        finally:
            point_at(Settings())  # back to Discord's own URLs


if __name__ == "__main__":
    run(bench, RESULTS, __doc__.splitlines()[0])
