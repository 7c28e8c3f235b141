"""Commands and unexpected input, over real HTTP with the real PTB Application."""

from __future__ import annotations

from typing import Any

from core.config import Settings
from tests.bots.telegram.harness import User, running_bot
from tests.fakes.telegram_api import FakeTelegram


def test_start_help_privacy_and_command_menu(play: Any, runtime: Any) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 101)
            ann.text("/start")
            await ann.says("Send me a photo of your pet")
            ann.text("/help")
            await ann.says("/mygames")
            ann.text("/privacy")
            await ann.says("/delete")
        commands = fake.called("setMyCommands")[0].params["commands"]
        assert {c["command"] for c in commands} >= {"new", "mygames", "delete", "privacy"}
        assert not {c["command"] for c in commands} & {"challenge", "leaderboard"}  # games off

    play(scenario)


def test_unexpected_input_gets_a_friendly_answer(play: Any, runtime: Any) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 102)
            ann.send(
                sticker={
                    "file_id": "s1",
                    "file_unique_id": "s1",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            )
            await ann.says("Cute sticker")
            ann.send(
                video={
                    "file_id": "v1",
                    "file_unique_id": "v1",
                    "width": 1,
                    "height": 1,
                    "duration": 3,
                }
            )
            await ann.says("still photo")
            ann.text("here is my cat")
            await ann.says("I need a photo of your pet")
            ann.document(b"%PDF-1.4 not an image", "application/pdf", "cat.pdf")
            await ann.says("isn't a photo I can read")
            ann.send(location={"latitude": 1.0, "longitude": 2.0})
            await ann.says("/help")
        assert not fake.called("sendMessage", 102)[0].params.get("text", "").startswith("Oops")

    play(scenario)


def test_referral_deep_link_is_recorded(play: Any, runtime: Any) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 103)
            ann.text("/start ref_friend42")
            await ann.says("A friend sent you here")
            await ann.says("Send me a photo of your pet")

    play(scenario)
    from sqlalchemy import text

    with runtime.db.session() as session:
        rows = session.execute(text("SELECT data FROM events WHERE type = 'telegram.referral'"))
        assert "friend42" in str(rows.all())


def test_network_errors_are_retried(play: Any, runtime: Any) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            fake.fail_next("sendMessage", 2)  # two 502s, then Telegram is back
            ann = User(fake, 104)
            ann.text("/help")
            await ann.says("/mygames")
        assert len(fake.called("sendMessage", 104)) == 3

    play(scenario)
