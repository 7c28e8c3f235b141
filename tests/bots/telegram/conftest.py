"""Fixtures for the Telegram bot tests: an embedded runtime and a runner for async scenarios."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from core.config import Settings
from tests.bots.telegram.harness import bot_settings
from tests.conftest import free_port
from tests.fakes.telegram_api import FakeTelegram
from workers.runtime import open_runtime

Scenario = Callable[[FakeTelegram, Settings], Awaitable[None]]


@pytest.fixture
def base_settings(settings: Settings) -> Settings:
    """Tiny sprites, no progress throttling in the worker, and links on a free local port (the
    port `serving_web` serves the web app on, so a test can open the links the bot hands out)."""
    values = {
        "preview_sprite_size": 32,
        "progress_interval_s": 0.0,
        "public_url": f"http://127.0.0.1:{free_port()}",
    }
    return settings.model_copy(update=values)


@pytest.fixture
def runtime(base_settings: Settings) -> Iterator[Any]:
    """The real service stack on embedded defaults (SQLite, local files, worker thread)."""
    with open_runtime(base_settings) as rt:
        yield rt


@pytest.fixture
def play(base_settings: Settings) -> Callable[..., None]:
    """Run `scenario(fake, settings)` against a fresh fake Bot API server."""

    def run(scenario: Scenario, **extra: Any) -> None:
        async def main() -> None:
            async with FakeTelegram() as fake:
                await scenario(fake, bot_settings(base_settings, fake, **extra))

        asyncio.run(main())

    return run
