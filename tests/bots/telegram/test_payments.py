"""Telegram Stars: invoice, pre-checkout checks, one payment per charge id, refund on failure."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.builds import default_steps
from runtime import open_runtime
from tests.bots.telegram.flows import photo_to_preview
from tests.bots.telegram.harness import User, running_bot, serving_web, web_client
from tests.fakes.stripe_api import FakeStripe, sign
from tests.fakes.telegram_api import FakeTelegram

WEBHOOK_SECRET = "whsec_telegram_test"


def _answers(fake: FakeTelegram) -> list[tuple[str, str]]:
    return [
        (str(c.params["ok"]).lower(), str(c.params.get("error_message", "")))
        for c in fake.called("answerPreCheckoutQuery")
    ]


async def _invoice(fake: FakeTelegram, ann: User, photo: bytes) -> dict[str, Any]:
    await photo_to_preview(ann, photo)
    ann.click("pv:ok")
    await ann.says("Pick your game")
    ann.click("pkg:classic")
    return (await fake.wait_for("sendInvoice", chat_id=ann.id))[0].params


STARS = {"telegram_checkout": "stars"}


@pytest.fixture
def runtime(base_settings: Settings) -> Iterator[Any]:
    """The real stack with Telegram Stars as the bot's checkout (runtime.checkout("telegram"))."""
    with open_runtime(base_settings.model_copy(update=STARS), role="bot") as rt:
        yield rt


def test_stars_payment_is_recorded_once(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 301)
            invoice = await _invoice(fake, ann, cat_jpeg)
            assert invoice["currency"] == "XTR"
            assert invoice["prices"][0]["amount"] == 250
            payload = invoice["payload"]
            ann.pre_checkout(payload, 999)  # not the invoiced price
            await fake.wait_for("answerPreCheckoutQuery")
            ann.pre_checkout(payload, 250)
            await fake.wait_for("answerPreCheckoutQuery", count=2)
            update_id = ann.paid(payload, 250, "charge-1")
            await ann.says("Payment received")
            fake.push_again(update_id)  # Telegram redelivers the same update
            ann.paid(payload, 250, "charge-1")  # or the same charge comes in a new update
            await ann.says("game is ready")
            ann.pre_checkout(payload, 250)  # a late second attempt to pay
            await fake.wait_for("answerPreCheckoutQuery", count=3)
        async with running_bot(settings, runtime, fake):  # restarted: no memory of the charge
            await fake.delivered(ann.paid(payload, 250, "charge-1"))
        # Application.stop() (above) finished processing every fetched update.
        answers = _answers(fake)
        assert answers[0][0] == "false"
        assert "price" in answers[0][1]
        assert answers[1] == ("true", "")
        assert answers[2][0] == "false"
        assert "already paid" in answers[2][1]
        assert len([t for t in fake.texts(301) if "Payment received" in t]) == 1
        with runtime.db.session() as session:
            paid = session.execute(text("SELECT count(*) FROM events WHERE type = 'order.paid'"))
            assert paid.scalar() == 1

    play(scenario, telegram_checkout="stars")


def _no_levels(**_kwargs: Any) -> list[dict[str, Any]]:
    raise InvalidRequest("We could not build levels for this game.", code="levels_failed")


@pytest.fixture
def failing_runtime(base_settings: Settings) -> Iterator[Any]:
    """The real stack, except that level generation fails: a paid build that cannot finish."""
    steps = default_steps()
    broken = type(steps)(steps.make_sprite, _no_levels, steps.build_bundle)
    with open_runtime(base_settings.model_copy(update=STARS), role="bot", steps=broken) as rt:
        yield rt


def test_failed_paid_build_refunds_the_stars(
    play: Any, failing_runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, failing_runtime, fake):
            ann = User(fake, 302)
            payload = (await _invoice(fake, ann, cat_jpeg))["payload"]
            ann.pre_checkout(payload, 250)
            await fake.wait_for("answerPreCheckoutQuery")
            ann.paid(payload, 250, "charge-2")
            await ann.says("could not build levels")
            await ann.says("refunded your 250 Stars")
        refunds = fake.called("refundStarPayment")
        assert len(refunds) == 1
        assert refunds[0].params["telegram_payment_charge_id"] == "charge-2"
        assert str(refunds[0].params["user_id"]) == "302"
        with failing_runtime.db.session() as session:  # recorded once, by core's refund guard
            sql = "SELECT count(*) FROM processed_payment_events WHERE event_id LIKE 'refund:%'"
            assert session.execute(text(sql)).scalar() == 1

    play(scenario, telegram_checkout="stars")


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


def _stripe(fake: FakeStripe) -> dict[str, Any]:
    """Settings for Stripe Checkout through the fake (the runtime, the bot and the web app)."""
    return {
        "payments_backend": "stripe", "stripe_secret_key": fake.api_key,
        "stripe_webhook_secret": WEBHOOK_SECRET, "stripe_api_base": fake.url,
        "stripe_max_network_retries": 0,
    }  # fmt: skip


@pytest.fixture
def stripe_runtime(base_settings: Settings, fake_stripe: FakeStripe) -> Iterator[Any]:
    """The real stack with Stripe Checkout (the real `stripe` library) pointed at the fake."""
    stripe_checkout = {"telegram_checkout": "stripe", **_stripe(fake_stripe)}
    with open_runtime(base_settings.model_copy(update=stripe_checkout), role="bot") as rt:
        yield rt


def test_stripe_link_checkout_builds_after_the_webhook(
    play: Any, stripe_runtime: Any, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    """PETPIXEL_TELEGRAM_CHECKOUT=stripe: a pay button, then the signed webhook starts the build."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, stripe_runtime, fake), serving_web(settings) as site:
            ann = User(fake, 303)
            await photo_to_preview(ann, cat_jpeg)
            ann.click("pv:ok")
            offer = (await ann.says("Pick your game"))[0]
            labels = [b["text"] for row in offer.params["reply_markup"]["inline_keyboard"]
                      for b in row]  # fmt: skip
            assert any("4.99 USD" in label for label in labels)
            ann.click("pkg:classic")
            pay = (await ann.says("Tap the button to pay"))[0]
            (button,) = pay.params["reply_markup"]["inline_keyboard"][0]
            (session_id,) = fake_stripe.sessions
            assert button["url"] == fake_stripe.sessions[session_id]["url"]
            await ann.says("Waiting for your payment")
            assert not fake.called("sendInvoice")
            fake_stripe.pay(session_id)  # the buyer pays on Stripe's page
            body = fake_stripe.event("checkout.session.completed", session_id)
            async with web_client() as client:
                hook = await client.post(
                    f"{site}/webhooks/stripe", content=body, headers=sign(body, WEBHOOK_SECRET)
                )
            assert hook.status_code == 200, hook.text
            await ann.says("game is ready")
        assert "Oops" not in " ".join(fake.texts(303))

    play(scenario, telegram_checkout="stripe", **_stripe(fake_stripe))


def test_expired_stripe_checkout_ends_the_wait_in_the_chat(
    play: Any, stripe_runtime: Any, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    """An expired checkout ends "Waiting for your payment" clearly, and the user can retry."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, stripe_runtime, fake), serving_web(settings) as site:
            bea = User(fake, 304)
            await photo_to_preview(bea, cat_jpeg)
            bea.click("pv:ok")
            await bea.says("Pick your game")
            bea.click("pkg:classic")
            await bea.says("Waiting for your payment")
            (session_id,) = fake_stripe.sessions
            fake_stripe.expire(session_id)
            body = fake_stripe.event("checkout.session.expired", session_id)
            async with web_client() as client:
                hook = await client.post(
                    f"{site}/webhooks/stripe", content=body, headers=sign(body, WEBHOOK_SECRET)
                )
            assert hook.status_code == 200, hook.text
            await bea.says("checkout ended without a payment")
            await bea.says("Pick your game", count=2)  # offered again at once
            bea.click("pkg:classic")  # a second try gets a new checkout
            await bea.says("Tap the button to pay", count=2)
            assert len(fake_stripe.sessions) == 2
        assert "Oops" not in " ".join(fake.texts(304))

    play(scenario, telegram_checkout="stripe", **_stripe(fake_stripe))
