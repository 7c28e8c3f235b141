"""Fixtures for the Discord bot tests: an embedded runtime and a runner for async scenarios."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from bots.discord.bot import point_at
from core.config import Settings
from tests.bots.discord.fake_discord import FakeDiscord
from tests.bots.discord.harness import bot_settings

Scenario = Callable[[FakeDiscord, Settings], Awaitable[None]]


@pytest.fixture
def play(base_settings: Settings) -> Iterator[Callable[..., None]]:
    """Run `scenario(fake, settings)` against a fresh fake Discord."""

    def run(scenario: Scenario, **extra: Any) -> None:
        async def main() -> None:
            async with FakeDiscord() as fake:
                settings = bot_settings(base_settings, fake, **extra)
                await asyncio.wait_for(scenario(fake, settings), 50)  # a hang fails, fast

        asyncio.run(main())

    yield run
    point_at(Settings())  # discord.py's URLs are class attributes: aim them back at Discord
