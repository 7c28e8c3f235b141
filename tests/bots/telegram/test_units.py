"""The bot's small parts: progress edits, persistence, Stars checks, limits, the fake (names:
tests/core)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from telegram import Bot
from telegram.error import BadRequest

from bots.telegram.app import file_url
from bots.telegram.keyboards import data
from bots.telegram.persistence import DatabasePersistence
from bots.telegram.progress import ProgressMessage
from core.botstate import BotStateStore
from core.chatlimits import Limits
from core.config import Settings
from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderChoices, OrderView
from core.payments.telegram_stars import check_payable, invoice_payload, order_id_of
from core.telegram_webhook import path_token
from tests.fakes.telegram_api import FakeTelegram


def test_callback_data_is_capped_at_64_bytes() -> None:
    assert data("style", "16bit") == "style:16bit"
    with pytest.raises(ValueError, match="64 bytes"):
        data("style", "é" * 40)


def test_file_url_is_derived_from_the_api_url() -> None:
    assert file_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert file_url("https://api.example/bot/") == "https://api.example/file/bot"


def test_webhook_path_token_depends_on_the_secret() -> None:
    assert path_token("a") != path_token("b")
    assert len(path_token("a")) == 32


def test_upload_limit_is_a_sliding_hour() -> None:
    now = [0.0]
    limits = Limits(uploads_per_hour=2, max_active=1, clock=lambda: now[0])
    assert limits.take_upload(1)
    assert limits.take_upload(1)
    assert not limits.take_upload(1)
    assert limits.take_upload(2)  # other users are not affected
    now[0] = 3600.0
    assert limits.take_upload(1)


def _order(status: OrderStatus, package: str | None = "classic") -> OrderView:
    now = datetime.now(UTC)
    return OrderView(
        "o1", "tok", "u1", status, package, 499, "usd", None, OrderChoices(), 0, now, now
    )


def test_stars_pre_checkout_checks(settings: Settings) -> None:
    ok = _order(OrderStatus.AWAITING_PAYMENT)
    stars = settings.telegram_stars_classic
    assert check_payable(settings, ok, total_amount=stars, currency="XTR") is None
    assert "price" in str(check_payable(settings, ok, total_amount=stars + 1, currency="XTR"))
    assert "price" in str(check_payable(settings, ok, total_amount=stars, currency="USD"))
    paid = _order(OrderStatus.PAID)
    assert "already paid" in str(check_payable(settings, paid, total_amount=stars, currency="XTR"))
    assert order_id_of(invoice_payload("abc")) == "abc"
    with pytest.raises(Exception, match="does not belong"):
        order_id_of("something else")


def test_persistence_round_trip(tmp_path: Any) -> None:
    db = Database(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        store = BotStateStore(db)

        async def scenario() -> None:
            first = DatabasePersistence(store)
            await first.update_user_data(42, {"state": "name", "order_id": "o1"})
            await first.update_conversation("order", (42, 42), "style")
            again = DatabasePersistence(BotStateStore(db))
            assert await again.get_user_data() == {42: {"state": "name", "order_id": "o1"}}
            assert await again.get_conversations("order") == {(42, 42): "style"}
            await again.update_conversation("order", (42, 42), None)
            await again.drop_user_data(42)
            assert await again.get_conversations("order") == {}
            assert await again.get_user_data() == {}

        asyncio.run(scenario())
    finally:
        db.dispose()


def test_progress_message_never_sends_an_edit_that_changes_nothing() -> None:
    async def scenario() -> None:
        async with FakeTelegram() as fake:
            async with Bot(fake.token, base_url=fake.api_url) as bot:
                sent = await bot.send_message(5, "0%")
                clock = [0.0]
                progress = ProgressMessage(
                    bot, 5, sent.message_id, text="0%", min_interval=1.0, clock=lambda: clock[0]
                )
                assert not await progress.update("0%")  # same text: no call at all
                assert await progress.update("10%")
                assert not await progress.update("20%")  # within the interval
                clock[0] = 1.5
                assert not await progress.update("10%")
                assert await progress.update("30%")
                assert await progress.update("done", final=True)
                with pytest.raises(BadRequest, match="not modified"):
                    await bot.edit_message_text("done", chat_id=5, message_id=sent.message_id)
            edits = [c.params["text"] for c in fake.called("editMessageText")]
            assert edits == ["10%", "30%", "done", "done"]

    asyncio.run(scenario())


def test_fake_refuses_long_callback_data() -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    async def scenario() -> None:
        async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.api_url) as bot:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="y" * 65)]])
            with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
                await bot.send_message(5, "hi", reply_markup=markup)

    asyncio.run(scenario())


def test_style_examples_show_every_style_differently() -> None:
    import io

    import numpy as np
    from PIL import Image

    from bots.telegram.examples import GAP, SCALE, TILE, style_sheet
    from core.pixelart.styles import STYLES

    names = tuple(STYLES)
    sheet = np.asarray(Image.open(io.BytesIO(style_sheet(names))).convert("RGB"))
    assert sheet.shape[1] <= len(names) * (TILE * SCALE + GAP) + GAP
    background = sheet[0, 0]
    columns = np.nonzero((sheet != background).any(axis=(0, 2)))[0]
    starts = [columns[0], *columns[1:][np.diff(columns) > 1]]
    assert len(starts) == len(names)  # one drawing per style, side by side
    tiles = [sheet[:, x : x + TILE * SCALE // 2].tobytes() for x in starts]
    assert len(set(tiles)) == len(names)  # and no two styles look the same
