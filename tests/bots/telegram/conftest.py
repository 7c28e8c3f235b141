"""Fixtures for the Telegram bot tests: an embedded runtime and a runner for async scenarios."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from core.config import Settings
from tests.bots.telegram.harness import bot_settings
from tests.fakes.telegram_api import FakeTelegram

Scenario = Callable[[FakeTelegram, Settings], Awaitable[None]]


@pytest.fixture
def play(base_settings: Settings) -> Callable[..., None]:
    """Run `scenario(fake, settings)` against a fresh fake Bot API server."""

    def run(scenario: Scenario, **extra: Any) -> None:
        async def main() -> None:
            async with FakeTelegram() as fake:
                await scenario(fake, bot_settings(base_settings, fake, **extra))

        asyncio.run(main())

    return run
