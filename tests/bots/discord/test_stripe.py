"""Stripe Checkout from Discord: a Pay link button; the web app's webhook pays, the notifier
DMs the buyer, and the watcher delivers the game."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from runtime import open_runtime
from tests.bots.discord.fake_discord import FakeDiscord, Said
from tests.bots.discord.harness import Member, running_bot
from tests.bots.telegram.harness import serving_web, web_client
from tests.fakes.stripe_api import FakeStripe, sign

WEBHOOK_SECRET = "whsec_discord_test"


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


def _stripe(fake: FakeStripe) -> dict[str, Any]:
    return {
        "payments_backend": "stripe", "stripe_secret_key": fake.api_key,
        "stripe_webhook_secret": WEBHOOK_SECRET, "stripe_api_base": fake.url,
        "stripe_max_network_retries": 0,
    }  # fmt: skip


@pytest.fixture
def stripe_runtime(base_settings: Settings, fake_stripe: FakeStripe) -> Iterator[Any]:
    with open_runtime(base_settings.model_copy(update=_stripe(fake_stripe)), role="bot") as rt:
        yield rt


async def _to_the_pay_button(ann: Member, cat_jpeg: bytes) -> Said:
    """/pixelpet -> 16-bit -> park -> preview "Looks good" -> the classic package's Pay link."""
    oid = await ann.to_preview(cat_jpeg, name="Mochi", style="16bit", theme="park")
    ann.click(f"pp:pv:{oid}:ok")
    offer = (await ann.sees("Pick your game"))[0]
    labels = [b["label"] for row in offer.components for b in row["components"]]
    assert any("4.99 USD" in label for label in labels)
    ann.click(f"pp:pkg:{oid}:classic")
    pay = (await ann.sees("Tap **Pay**"))[0]
    await ann.sees("Waiting for your payment")
    return pay


async def _webhook(site: str, fake_stripe: FakeStripe, kind: str, session_id: str) -> None:
    body = fake_stripe.event(kind, session_id)
    async with web_client() as client:
        hook = await client.post(
            f"{site}/webhooks/stripe", content=body, headers=sign(body, WEBHOOK_SECRET)
        )
    assert hook.status_code == 200, hook.text


def test_stripe_link_then_webhook_then_game(
    play: Any, stripe_runtime: Any, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, stripe_runtime, fake), serving_web(settings) as site:
            ann = Member(fake, 601)
            pay = await _to_the_pay_button(ann, cat_jpeg)
            (session_id,) = fake_stripe.sessions
            session = fake_stripe.sessions[session_id]
            assert pay.components[0]["components"][0]["url"] == session["url"]
            assert session["metadata"]["channel"] == "discord"
            fake_stripe.pay(session_id)
            await _webhook(site, fake_stripe, "checkout.session.completed", session_id)
            notice = (await ann.sees("Payment received"))[0]
            assert notice.via == "channel"  # a DM from the web process's notifier
            await ann.sees("game is ready")
        assert "Oops" not in " ".join(s.content for s in fake.to(601))

    play(scenario, **_stripe(fake_stripe))


def test_an_expired_checkout_offers_the_packages_again(
    play: Any, stripe_runtime: Any, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    """The wait for payment ends clearly, nothing is charged, and a second try gets a new link."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, stripe_runtime, fake), serving_web(settings) as site:
            bea = Member(fake, 602, "Bea")
            await _to_the_pay_button(bea, cat_jpeg)
            oid = bea.order_id()
            (session_id,) = fake_stripe.sessions
            fake_stripe.expire(session_id)
            await _webhook(site, fake_stripe, "checkout.session.expired", session_id)
            await bea.sees("ended without a payment")
            again = (await bea.sees("Pick your game", count=2))[-1]
            assert any(
                b.get("custom_id") == f"pp:pkg:{oid}:classic"
                for row in again.components
                for b in row["components"]
            )
            bea.click(f"pp:pkg:{oid}:classic")  # a second try gets a new checkout
            await bea.sees("Tap **Pay**", count=2)
            assert len(fake_stripe.sessions) == 2
        assert "Oops" not in " ".join(s.content for s in fake.to(602))

    play(scenario, **_stripe(fake_stripe))


def test_an_unpaid_checkout_does_not_block_a_new_photo(
    play: Any, stripe_runtime: Any, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    """Waiting for payment is not work in progress: with one creation allowed at a time, a
    member who left a checkout open can still start another."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, stripe_runtime, fake):
            cy = Member(fake, 603, "Cy")
            await _to_the_pay_button(cy, cat_jpeg)
            cy.slash("pixelpet", image=cat_jpeg, name="Second")
            await cy.sees("Pick a style", count=2)
            assert not [s for s in fake.to(603) if "in progress at a time" in s.content]

    play(scenario, discord_max_active_orders=1, **_stripe(fake_stripe))
