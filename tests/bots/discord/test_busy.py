"""A deployment past its work budget (core.orders.budget) says so in Discord, in core's words."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from core.orders.budget import busy_message
from runtime import open_runtime
from tests.bots.discord.fake_discord import FakeDiscord
from tests.bots.discord.harness import Member, running_bot


def test_a_busy_deployment_says_when_to_come_back(
    play: Any, base_settings: Settings, cat_jpeg: bytes
) -> None:
    capped = base_settings.model_copy(update={"max_uploads_per_minute": 1})
    with open_runtime(capped, role="bot") as rt:  # one upload a minute from everyone together

        async def scenario(fake: FakeDiscord, settings: Settings) -> None:
            async with running_bot(settings, rt, fake):
                ann, bob = Member(fake, 501), Member(fake, 502, name="Bob")
                ann.slash("pixelpet", image=cat_jpeg)
                await ann.sees("Pick a style")
                bob.slash("pixelpet", image=cat_jpeg)  # someone else, a moment later
                await bob.sees(busy_message(60))  # "...Please try again in 1 minute."
            assert "Oops" not in " ".join(s.content for s in fake.to(502))

        play(scenario)
