"""The payment-notice DM (sent from web and worker processes), the CLI and compose wiring."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from core.config import Settings
from core.notify import NOTICE_TEXT, Notice
from core.notify.discord import DiscordNotifier, message_for
from runtime import notifiers_for
from tests.bots.discord.fake_discord import FakeDiscord


def _notice(kind: str, user_id: str, url: str | None = None) -> Notice:
    return Notice(kind=kind, channel="discord", user_id=user_id, order_id="o1",  # type: ignore[arg-type]
                  text=NOTICE_TEXT[kind], url=url)  # fmt: skip


def test_notifier_sends_a_dm(runtime: Any) -> None:
    """payment_received reaches the buyer's DM; game_ready is the watcher's; strangers are
    skipped; a dead API is logged, never raised."""
    user = runtime.orders.get_or_create_user(provider="discord", external_id="501")
    stranger = runtime.orders.create_user(display_name="web only")

    async def main() -> None:
        async with FakeDiscord() as fake:
            notifier = DiscordNotifier(token=fake.token, orders=runtime.orders,
                                       api_url=fake.api_url)  # fmt: skip
            for notice in (
                _notice("payment_received", user.id, "https://example.com/o/1"),
                _notice("game_ready", user.id, "https://example.com/g/x"),
                _notice("payment_failed", stranger.id),
            ):
                await asyncio.to_thread(notifier.notify, notice)
            notifier.close()
            (dm,) = fake.to(501)
            assert dm.via == "channel"
            assert dm.content == NOTICE_TEXT["payment_received"]
            assert dm.components[0]["components"][0]["url"] == "https://example.com/o/1"
            paths = [p for _m, p, _b in fake.calls]
            assert paths == ["/users/@me/channels", "/channels/502/messages"]  # DM = id + 1
        dead = DiscordNotifier(token="t", orders=runtime.orders, api_url=fake.api_url)
        await asyncio.to_thread(dead.notify, _notice("payment_received", user.id))  # no raise

    asyncio.run(main())


def test_message_and_registration(settings: Settings, runtime: Any) -> None:
    body = message_for(_notice("payment_failed", "u"))
    assert body["allowed_mentions"] == {"parse": []}
    assert "components" not in body
    with_token = settings.model_copy(update={"discord_token": "x"})
    registered = notifiers_for(with_token, runtime.orders)
    assert type(registered._by_channel["discord"]).__name__ == "DiscordNotifier"
    assert "discord" not in notifiers_for(settings, runtime.orders)._by_channel


def test_cli_needs_a_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cli.main import app

    monkeypatch.delenv("PETPIXEL_DISCORD_TOKEN", raising=False)
    monkeypatch.setenv("PETPIXEL_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["bot", "discord"])
    assert result.exit_code == 2
    assert "discord_token_missing" in result.output


def test_a_wrong_token_is_refused(settings: Settings, runtime: Any) -> None:
    import discord

    from bots.discord.bot import point_at, running
    from tests.bots.discord.harness import bot_settings

    async def main() -> None:
        async with FakeDiscord() as fake:
            wrong = bot_settings(settings, fake, discord_token="not-the-token")
            with pytest.raises(discord.LoginFailure):
                async with running(wrong, runtime):
                    pass

    try:
        asyncio.run(main())
    finally:
        point_at(Settings())
