"""Telegram buyers who pay with the Stripe link hear about it in their chat: the real app on
uvicorn gets signed webhooks, fulfils through the fake Stripe API, and its Telegram notifier posts
to the fake Bot API over HTTP. A buyer we cannot reach never costs a payment."""

from __future__ import annotations

import asyncio
import html
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from core.config import Settings
from core.notify import NOTICE_TEXT, Notice, NoticeKind
from core.notify.telegram import TelegramNotifier
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderView
from core.orders.service import OrderService
from core.orders.store import move
from core.payments.stripe import stripe_client
from core.payments.stripe_fulfilment import Fulfilment
from runtime import notifiers_for
from tests.conftest import free_port
from tests.fakes.stripe_api import FakeStripe
from tests.fakes.telegram_api import Call, FakeTelegram
from tests.orders.fixtures import wait_for
from tests.payments.conftest import post_event, stripe_settings
from tests.payments.helpers import checkout_from, ready_to_pay, status, wait_final
from tests.payments.steps import DOOMED_SEED
from tests.web.conftest import LiveServer
from web.app import create_app
from web.resources import Resources

COMPLETED = "checkout.session.completed"
UNPAID = {OrderStatus.DRAFT, OrderStatus.PREVIEW_READY, OrderStatus.AWAITING_PAYMENT}


class ThreadedTelegram:
    """The fake Bot API on its own event loop in a thread, for synchronous tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.fake: FakeTelegram | None = None

    def __enter__(self) -> FakeTelegram:
        self.thread.start()

        async def start() -> FakeTelegram:
            return await FakeTelegram().__aenter__()

        self.fake = asyncio.run_coroutine_threadsafe(start(), self.loop).result(timeout=30)
        return self.fake

    def __exit__(self, *exc: object) -> None:
        if self.fake is not None:
            asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        self.loop.close()


@pytest.fixture(scope="module")
def telegram() -> Iterator[FakeTelegram]:
    with ThreadedTelegram() as fake:
        yield fake


@pytest.fixture(scope="module")
def pay_settings(
    tmp_path_factory: pytest.TempPathFactory, fake_stripe: FakeStripe, telegram: FakeTelegram
) -> Settings:
    """Stripe on the fake, and a Telegram bot token whose Bot API is the fake."""
    return stripe_settings(tmp_path_factory.mktemp("tgpay"), fake_stripe,
                           telegram_token=telegram.token,
                           telegram_api_url=telegram.api_url)  # fmt: skip


@pytest.fixture(scope="module")
def app(pay_settings: Settings) -> FastAPI:
    """The app exactly as `petpixel serve` builds it: it registers its own notifiers."""
    return create_app(pay_settings)


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[LiveServer]:
    """The app on uvicorn with the notifiers its runtime built (no recording notifier)."""
    with LiveServer(app) as live:
        yield live


def telegram_buyer(svc: OrderService, photo: bytes, *, seed: int = 0) -> tuple[int, OrderView]:
    """A Telegram user (as the bot creates them) with an order whose preview is done."""
    chat_id = 100_000 + uuid.uuid4().int % 1_000_000_000
    user = svc.get_or_create_user(provider="telegram", external_id=str(chat_id))
    order = svc.create_order(user_id=user.id, photo=photo, choices={"seed": seed})
    with svc.db.session() as session:
        move(session, order.id, OrderStatus.PREVIEW_READY)
    return chat_id, svc.get_order(order_id=order.id)


def sent(telegram: FakeTelegram, chat_id: int) -> list[Call]:
    return telegram.called("sendMessage", chat_id)


def said(kind: NoticeKind) -> str:
    """A notice's text as it reaches Telegram (HTML-escaped)."""
    return html.escape(NOTICE_TEXT[kind], quote=False)


def pay_from_telegram(
    http: httpx.Client,
    svc: OrderService,
    settings: Settings,
    fake_stripe: FakeStripe,
    order_id: str,
) -> str:
    """The bot's Stripe link, paid on "Stripe", and the signed webhook delivered to the app."""
    session_id = checkout_from(svc, settings, "telegram", order_id)
    fake_stripe.pay(session_id)
    reply = post_event(http, fake_stripe.event(COMPLETED, session_id))
    assert reply.status_code == 200, reply.text
    assert reply.json()["outcome"] == "fulfilled"
    return session_id


@pytest.mark.slow
def test_a_telegram_buyer_is_told_in_their_chat_when_the_stripe_payment_lands(
    http: httpx.Client, resources: Resources, pay_settings: Settings, fake_stripe: FakeStripe,
    telegram: FakeTelegram, cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = resources.service
    chat_id, order = telegram_buyer(svc, cat_jpeg)
    pay_from_telegram(http, svc, pay_settings, fake_stripe, order.id)

    # The webhook answers after its notices are out: the chat already has the message.
    [message] = sent(telegram, chat_id)
    assert message.params["text"] == said("payment_received")
    assert message.params["parse_mode"] == "HTML"
    assert status(svc, order.id) not in UNPAID

    # The game-ready message belongs to the bot's own watcher: the notifier adds nothing.
    assert wait_final(svc, order.id) == OrderStatus.READY
    wait_for(lambda: _marker(svc, f"ready:{order.id}"), what="the game-ready follow-up")
    assert [c.params["text"] for c in sent(telegram, chat_id)] == [said("payment_received")]


@pytest.mark.slow
def test_a_paid_build_that_gives_up_is_refunded_and_the_chat_hears_it(
    http: httpx.Client, resources: Resources, pay_settings: Settings, fake_stripe: FakeStripe,
    telegram: FakeTelegram, cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = resources.service
    chat_id, order = telegram_buyer(svc, cat_jpeg, seed=DOOMED_SEED)
    session_id = pay_from_telegram(http, svc, pay_settings, fake_stripe, order.id)
    assert wait_final(svc, order.id) == OrderStatus.FAILED
    telegram_wait(telegram, chat_id, count=2)
    assert [c.params["text"] for c in sent(telegram, chat_id)] == [
        said("payment_received"),
        said("build_failed"),
    ]
    intent = fake_stripe.sessions[session_id]["payment_intent"]
    assert [r for r in fake_stripe.refunds if r["payment_intent"] == intent]


def test_an_expired_telegram_checkout_is_told_in_the_chat(
    http: httpx.Client, resources: Resources, pay_settings: Settings, fake_stripe: FakeStripe,
    telegram: FakeTelegram, cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = resources.service
    chat_id, order = telegram_buyer(svc, cat_jpeg)
    session_id = checkout_from(svc, pay_settings, "telegram", order.id)
    fake_stripe.expire(session_id)
    reply = post_event(http, fake_stripe.event("checkout.session.expired", session_id))
    assert reply.json()["outcome"] == "checkout_expired"
    assert [c.params["text"] for c in sent(telegram, chat_id)] == [said("checkout_expired")]
    assert status(svc, order.id) == OrderStatus.PREVIEW_READY


@pytest.mark.slow
def test_a_buyer_without_a_telegram_chat_or_a_failing_bot_api_still_gets_paid_for(
    http: httpx.Client, resources: Resources, pay_settings: Settings, fake_stripe: FakeStripe,
    telegram: FakeTelegram, cat_jpeg: bytes,
) -> None:  # fmt: skip
    svc = resources.service
    before = len(telegram.called("sendMessage"))
    stranger = ready_to_pay(svc, cat_jpeg)  # a web user, though the checkout says "telegram"
    pay_from_telegram(http, svc, pay_settings, fake_stripe, stranger.id)
    assert len(telegram.called("sendMessage")) == before  # nobody to message
    assert status(svc, stranger.id) not in UNPAID

    chat_id, order = telegram_buyer(svc, cat_jpeg)
    telegram.fail_next("sendMessage")  # the Bot API answers 502 Bad Gateway
    pay_from_telegram(http, svc, pay_settings, fake_stripe, order.id)
    assert len(sent(telegram, chat_id)) == 1  # tried once, not retried (it may have landed)
    assert status(svc, order.id) not in UNPAID
    assert wait_final(svc, stranger.id) == OrderStatus.READY
    assert wait_final(svc, order.id) == OrderStatus.READY


@pytest.mark.slow
def test_an_unreachable_bot_api_never_undoes_a_payment(
    resources: Resources, pay_settings: Settings, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    svc = resources.service
    dead = pay_settings.model_copy(
        update={"telegram_api_url": f"http://127.0.0.1:{free_port()}/bot"}
    )
    fulfilment = Fulfilment(settings=dead, orders=svc, client=stripe_client(dead),
                            notifiers=notifiers_for(dead, svc))  # fmt: skip
    _, order = telegram_buyer(svc, cat_jpeg)
    session_id = checkout_from(svc, dead, "telegram", order.id)
    fake_stripe.pay(session_id)
    assert fulfilment.fulfill_checkout(session_id).result == "fulfilled"
    assert status(svc, order.id) not in UNPAID
    assert wait_final(svc, order.id) == OrderStatus.READY


def test_the_notifier_escapes_text_adds_a_link_button_and_leaves_game_ready_to_the_bot(
    resources: Resources, pay_settings: Settings, telegram: FakeTelegram, cat_jpeg: bytes
) -> None:
    svc = resources.service
    chat_id, order = telegram_buyer(svc, cat_jpeg)
    assert pay_settings.telegram_token is not None
    notifier = TelegramNotifier(token=pay_settings.telegram_token, orders=svc,
                                api_url=pay_settings.telegram_api_url)  # fmt: skip
    url = "http://petpixel.test/o/abc?x=1&y=2"
    base: dict[str, Any] = {"channel": "telegram", "user_id": order.user_id, "order_id": order.id}
    notifier.notify(Notice(kind="payment_review", text="<b>Rex & Co</b> paid", url=url, **base))
    notifier.notify(Notice(kind="game_ready", text="ready", url=url, **base))
    notifier.close()
    [message] = sent(telegram, chat_id)
    assert message.params["text"] == "&lt;b&gt;Rex &amp; Co&lt;/b&gt; paid"
    [[button]] = message.params["reply_markup"]["inline_keyboard"]
    assert button["url"] == url
    assert telegram.refused == []

    wrong_token = TelegramNotifier(token="999:WRONG", orders=svc, api_url=telegram.api_url)
    wrong_token.notify(Notice(kind="payment_received", text="hi", **base))  # 401: logged only
    wrong_token.close()
    assert len(sent(telegram, chat_id)) == 1


def telegram_wait(telegram: FakeTelegram, chat_id: int, *, count: int) -> None:
    wait_for(lambda: len(sent(telegram, chat_id)) >= count, what=f"{count} messages in the chat")


def _marker(svc: OrderService, key: str) -> bool:
    from sqlalchemy import select

    from core.orders.tables import PaymentEvent

    with svc.db.session() as db:
        return db.scalar(select(PaymentEvent.id).where(PaymentEvent.event_id == key)) is not None


def test_without_a_token_no_telegram_notifier_is_registered(
    tmp_path: Path, fake_stripe: FakeStripe, resources: Resources
) -> None:
    plain = stripe_settings(tmp_path, fake_stripe)
    notifiers = notifiers_for(plain, resources.service)
    assert set(notifiers._by_channel) == {"web"}
    notice = Notice(kind="payment_received", channel="telegram", user_id="u", order_id="o",
                    text="x")  # fmt: skip
    notifiers.send(notice)  # the status page: nothing raised


@pytest.mark.slow
def test_a_redis_worker_tells_the_telegram_chat_about_the_refund(
    tmp_path: Path, fake_stripe: FakeStripe, telegram: FakeTelegram, redis_url: str,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    """`petpixel worker` (runtime.worker_app) registers the Telegram notifier itself."""
    from celery.contrib.testing.worker import start_worker

    from core.db import migrate
    from runtime import open_runtime, worker_app

    settings = stripe_settings(tmp_path, fake_stripe, redis_url=redis_url,
                               database_url=f"sqlite:///{tmp_path / 'shared.db'}",
                               telegram_token=telegram.token,
                               telegram_api_url=telegram.api_url)  # fmt: skip
    migrate(settings.resolved_database_url)
    worker = worker_app(settings)  # as `petpixel worker` builds it: follow-ups included
    with (
        open_runtime(settings, role="cli") as rt,
        start_worker(
            worker,
            pool="solo",
            perform_ping_check=False,
            queues=[settings.default_queue],
            loglevel="WARNING",
        ),
    ):
        chat_id, order = telegram_buyer(rt.orders, cat_jpeg, seed=DOOMED_SEED)
        session_id = checkout_from(rt.orders, settings, "telegram", order.id)
        fake_stripe.pay(session_id)
        assert rt.fulfilment is not None  # the same as the web process's
        assert rt.fulfilment.fulfill_checkout(session_id).result == "fulfilled"
        assert wait_final(rt.orders, order.id) == OrderStatus.FAILED
        telegram_wait(telegram, chat_id, count=2)
    assert [c.params["text"] for c in sent(telegram, chat_id)] == [
        said("payment_received"),
        said("build_failed"),
    ]


def test_reconcile_tells_the_telegram_buyer_as_the_webhook_would(
    tmp_path: Path, fake_stripe: FakeStripe, telegram: FakeTelegram, cat_jpeg: bytes
) -> None:
    """A Stripe payment whose webhook never came: `petpixel payments reconcile` fulfils it, and
    the buyer who paid from Telegram hears about it in the chat (the runtime's notifiers)."""
    from typer.testing import CliRunner

    from cli.main import app as cli
    from runtime import open_runtime
    from tests.payments.test_reconcile import STAMP, env_of

    settings = stripe_settings(tmp_path, fake_stripe, telegram_token=telegram.token,
                               telegram_api_url=telegram.api_url)  # fmt: skip
    with open_runtime(settings, role="cli") as rt:
        chat_id, order = telegram_buyer(rt.orders, cat_jpeg)
        session_id = checkout_from(rt.orders, settings, "telegram", order.id)
    fake_stripe.pay(session_id)
    env = {**env_of(settings), "PETPIXEL_TELEGRAM_TOKEN": telegram.token,
           "PETPIXEL_TELEGRAM_API_URL": telegram.api_url}  # fmt: skip
    now = datetime.now(UTC)  # the fake's clock runs a little ahead: a window around now
    window = ["--since", f"{now - timedelta(hours=1):{STAMP}}",
              "--until", f"{now + timedelta(minutes=5):{STAMP}}"]  # fmt: skip
    result = CliRunner().invoke(cli, ["payments", "reconcile", *window], env=env)
    assert result.exit_code == 0, result.output
    assert "Fixed 1 order(s)" in result.output
    telegram_wait(telegram, chat_id, count=1)
    assert [c.params["text"] for c in sent(telegram, chat_id)] == [said("payment_received")]
