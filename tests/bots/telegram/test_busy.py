"""A deployment past its work budget (core.orders.budget) says so in the chat, in core's words."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from core.orders.budget import busy_message
from runtime import open_runtime
from tests.bots.telegram.harness import User, running_bot
from tests.fakes.telegram_api import FakeTelegram


def test_a_busy_deployment_says_when_to_come_back(
    play: Any, base_settings: Settings, cat_jpeg: bytes
) -> None:
    capped = base_settings.model_copy(update={"max_uploads_per_minute": 1})
    with open_runtime(capped, role="bot") as rt:  # one upload a minute from everyone together

        async def scenario(fake: FakeTelegram, settings: Settings) -> None:
            async with running_bot(settings, rt, fake):
                ann, bob = User(fake, 401), User(fake, 402)
                ann.photo(cat_jpeg)
                await ann.says("Pick a style")
                bob.photo(cat_jpeg)  # someone else, a moment later
                await bob.says(busy_message(60))  # "...Please try again in 1 minute."
            assert "Oops" not in " ".join(fake.texts(402))

        play(scenario)
        assert len(rt.orders.list_orders(user_id=_user_of(rt, 402))) == 0


def _user_of(rt: Any, chat: int) -> str:
    return str(rt.orders.get_or_create_user(provider="telegram", external_id=str(chat)).id)
