"""`petpixel serve` with a Discord token: the bot runs inside the web app's process and runtime."""

from __future__ import annotations

from typing import Any

from cli.common import bot_companions
from core.config import Settings
from tests.bots.discord.fake_discord import FakeDiscord
from tests.bots.discord.harness import Member
from tests.bots.telegram.harness import serving_web, web_client
from web.app import create_app


def test_the_bot_runs_inside_the_web_app(play: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        web = create_app(settings, companions=bot_companions(settings, only="discord"))
        async with serving_web(settings, web) as site:
            ann = Member(fake, 701)
            ann.slash("pixelpet", image=cat_jpeg)
            await ann.sees("Pick a style")  # the order went into the web app's database
            async with web_client() as client:
                assert (await client.get(f"{site}/health")).status_code == 200
            runtime = web.state.resources.runtime
            user = runtime.orders.get_or_create_user(provider="discord", external_id="701")
            assert len(runtime.orders.list_orders(user_id=user.id)) == 1
            assert web.state.discord is not None
        assert web.state.discord is None
        assert {c["name"] for c in fake.synced} == {
            "pixelpet", "mygames", "help", "privacy", "delete"
        }  # fmt: skip
        (pixelpet,) = [c for c in fake.synced if c["name"] == "pixelpet"]
        image, name = pixelpet["options"]
        assert (image["name"], image["type"], image["required"]) == ("image", 11, True)
        assert (name["name"], name["required"], name["max_length"]) == ("name", False, 40)

    play(scenario)
