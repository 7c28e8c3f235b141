"""`petpixel serve` with a bot token: the bot runs inside the web app's process and runtime."""

from __future__ import annotations

from typing import Any

from cli.common import bot_companions
from core.config import Settings
from tests.bots.telegram.harness import User, serving_web, web_client
from tests.fakes.telegram_api import FakeTelegram
from web.app import create_app


def test_the_bot_runs_inside_the_web_app(play: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        web = create_app(settings, companions=bot_companions(settings, only="telegram"))
        async with serving_web(settings, web) as site:
            try:
                ann = User(fake, 701)
                ann.text("/start")
                await ann.says("Send me a photo of your pet")
                ann.photo(cat_jpeg)
                await ann.says("Pick a style")  # the order went into the web app's database
                async with web_client() as client:
                    health = await client.get(f"{site}/health")
                assert health.status_code == 200
                runtime = web.state.resources.runtime
                user = runtime.orders.get_or_create_user(provider="telegram", external_id="701")
                assert len(runtime.orders.list_orders(user_id=user.id)) == 1
            finally:
                await fake.release()  # the updater stops with the web app
        assert web.state.telegram is None
        assert fake.called("setMyCommands")

    play(scenario)
