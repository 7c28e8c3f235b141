"""Discord Premium checkout: a premium button for the package's SKU; the purchase arrives as an
entitlement (gateway, or Discord's list at start-up), pays the waiting order once, and is
consumed. Entitlements that match nothing stay unconsumed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from core.config import Settings
from core.errors import InvalidRequest
from core.orders.builds import default_steps
from core.orders.lifecycle import OrderStatus
from core.orders.packages import game_packages
from core.orders.tables import Event
from core.payments import checkout_kind
from core.payments.discord_premium import DiscordPremiumPayments, package_for_sku, sku_for
from runtime import open_runtime
from tests.bots.discord.fake_discord import FakeDiscord, Said
from tests.bots.discord.harness import Member, running_bot

SKU = 1300000000000000001  # sells "classic"; "deluxe" has no SKU here
PREMIUM = {"discord_skus": {"classic": SKU}}


async def _to_the_premium_button(ann: Member, cat_jpeg: bytes) -> tuple[str, Said]:
    """/pixelpet -> 8-bit -> park -> "Looks good" -> classic: Discord's buy button."""
    oid = await _to_the_packages(ann, cat_jpeg)
    ann.click(f"pp:pkg:{oid}:classic")
    buy = (await ann.sees("buy it in Discord"))[0]
    await ann.sees("Waiting for your payment")
    return oid, buy


async def _to_the_packages(ann: Member, cat_jpeg: bytes) -> str:
    """/pixelpet -> 8-bit -> park -> "Looks good": the package offer (only SKU'd packages)."""
    oid = await ann.to_preview(cat_jpeg, name="Mochi", style="8bit", theme="park")
    ann.click(f"pp:pv:{oid}:ok")
    offer = (await ann.sees("Pick your game"))[0]
    buttons = [b for row in offer.components for b in row["components"]]
    assert [b["custom_id"] for b in buttons] == [f"pp:pkg:{oid}:classic"]  # only SKU'd ones
    assert "4.99 USD" in buttons[0]["label"]
    return oid


@pytest.fixture
def runtime(base_settings: Settings) -> Iterator[Any]:
    """The real stack with Discord Premium as the bot's checkout (runtime.checkout("discord"))."""
    with open_runtime(base_settings.model_copy(update=PREMIUM), role="bot") as rt:
        yield rt


def _events(runtime: Any, kind: str) -> list[Event]:
    with runtime.db.session() as session:
        rows = session.scalars(select(Event).where(Event.type == kind)).all()
        session.expunge_all()
        return list(rows)


async def _until(check: Any, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def _consumes(fake: FakeDiscord, ent: dict[str, Any]) -> int:
    return sum(1 for m, p, _ in fake.calls if m == "POST" and p.endswith(f"/{ent['id']}/consume"))


def test_premium_button_then_entitlement_then_game(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = Member(fake, 701)
            oid, buy = await _to_the_premium_button(ann, cat_jpeg)
            (button,) = buy.components[0]["components"]
            assert button["style"] == 6
            assert int(button["sku_id"]) == SKU
            assert "custom_id" not in button
            assert "url" not in button
            assert runtime.orders.get_order(order_id=oid).status == OrderStatus.AWAITING_PAYMENT
            ent = fake.grant(701, SKU)
            await ann.sees("game is ready")
        order = runtime.orders.get_order(order_id=oid)
        assert order.status == OrderStatus.READY
        assert order.payment_ref == f"discord:{ent['id']}"
        assert (order.amount, order.currency) == (499, "usd")
        assert fake.entitlements[int(ent["id"])]["consumed"]
        assert _consumes(fake, ent) == 1
        (event,) = _events(runtime, "discord.entitlement_consumed")
        assert event.order_id == oid
        assert event.data["entitlement_id"] == ent["id"]
        assert "Oops" not in " ".join(s.content for s in fake.to(701))

    play(scenario, **PREMIUM)


def test_a_duplicate_entitlement_event_changes_nothing(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            bea = Member(fake, 702, "Bea")
            oid, _buy = await _to_the_premium_button(bea, cat_jpeg)
            ent = fake.grant(702, SKU)
            fake.redeliver(ent)  # Discord sends it again at once...
            await bea.sees("game is ready")
            fake.redeliver(ent)  # ...and once more after the game is built
            await asyncio.sleep(0.5)
        assert _consumes(fake, ent) == 1
        assert len(_events(runtime, "discord.entitlement_consumed")) == 1
        assert len([e for e in _events(runtime, "order.paid") if e.order_id == oid]) == 1
        assert runtime.orders.get_order(order_id=oid).status == OrderStatus.READY
        assert len([s for s in fake.to(702) if "game is ready" in s.content]) == 1

    play(scenario, **PREMIUM)


def test_entitlements_that_match_no_waiting_order_are_left_unconsumed(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    """An unknown SKU, or our SKU from someone with no order waiting: recorded, not consumed."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            cy = Member(fake, 703, "Cy")
            oid, _buy = await _to_the_premium_button(cy, cat_jpeg)
            stray = fake.grant(703, 1300000000000000999)  # a SKU we do not sell
            nobody = fake.grant(704, SKU)  # no order of theirs waits for it
            await _until(lambda: len(_events(runtime, "discord.entitlement_unmatched")) == 2)
            fake.redeliver(stray)  # recorded once only
            await asyncio.sleep(0.3)
            assert runtime.orders.get_order(order_id=oid).status == OrderStatus.AWAITING_PAYMENT
        for ent in (stray, nobody):
            assert not fake.entitlements[int(ent["id"])]["consumed"]
            assert _consumes(fake, ent) == 0
        events = _events(runtime, "discord.entitlement_unmatched")
        assert sorted(e.data["entitlement_id"] for e in events) == sorted(
            [stray["id"], nobody["id"]]
        )
        assert runtime.orders.get_order(order_id=oid).status == OrderStatus.AWAITING_PAYMENT

    play(scenario, **PREMIUM)


def test_a_purchase_with_no_order_waiting_is_saved_and_spent_on_the_next_order(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    """Bought in Discord's store before any order: kept, the buyer is told, and the next order
    for that package is paid with it at once (no second purchase)."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            dee = Member(fake, 705, "Dee")
            early = fake.grant(705, SKU)
            saved = (await dee.sees("saved on your account"))[0]
            assert saved.via == "channel"  # a DM
            assert not fake.entitlements[int(early["id"])]["consumed"]
            oid = await _to_the_packages(dee, cat_jpeg)
            dee.click(f"pp:pkg:{oid}:classic")
            await dee.sees("using that purchase now")
            await dee.sees("game is ready")
        order = runtime.orders.get_order(order_id=oid)
        assert (order.status, order.payment_ref) == (OrderStatus.READY, f"discord:{early['id']}")
        assert fake.entitlements[int(early["id"])]["consumed"]
        assert _consumes(fake, early) == 1
        assert not [s for s in fake.to(705) if "buy it in Discord" in s.content]
        assert len([s for s in fake.to(705) if "saved on your account" in s.content]) == 1

    play(scenario, **PREMIUM)


def test_a_purchase_made_while_the_bot_was_offline_is_picked_up_at_start(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            dee = Member(fake, 705, "Dee")
            oid, _buy = await _to_the_premium_button(dee, cat_jpeg)
        ent = fake.grant(705, SKU, dispatch=False)  # bought while the bot was down
        old = fake.grant(705, SKU, dispatch=False)
        fake.entitlements[int(old["id"])]["consumed"] = True  # an earlier, settled purchase
        assert runtime.orders.get_order(order_id=oid).status == OrderStatus.AWAITING_PAYMENT
        async with running_bot(settings, runtime, fake):  # a new process, same database
            await dee.sees("game is ready")
        order = runtime.orders.get_order(order_id=oid)
        assert order.status == OrderStatus.READY
        assert order.payment_ref == f"discord:{ent['id']}"
        assert fake.entitlements[int(ent["id"])]["consumed"]
        assert _consumes(fake, old) == 0
        listed = [p for m, p, _ in fake.calls if m == "GET" and p.endswith("/entitlements")]
        assert len(listed) == 3  # once per start, once for saved purchases at the package pick

    play(scenario, **PREMIUM)


def test_a_package_without_a_sku_is_refused_clearly(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            eve = Member(fake, 706, "Eve")
            oid = await eve.to_preview(cat_jpeg, name="Rex", style="8bit", theme="park")
            eve.click(f"pp:pv:{oid}:ok")
            await eve.sees("Pick your game")
            eve.press_old(f"pp:pkg:{oid}:deluxe")  # an old button: deluxe has no SKU
            await eve.sees("can't be bought on Discord yet")
            assert runtime.orders.get_order(order_id=oid).status == OrderStatus.PREVIEW_READY
            eve.click(f"pp:pkg:{oid}:classic")  # the offer still works
            await eve.sees("buy it in Discord")
        assert "Oops" not in " ".join(s.content for s in fake.to(706))

    play(scenario, **PREMIUM)


def _no_levels(**_kwargs: Any) -> list[dict[str, Any]]:
    raise InvalidRequest("We could not build levels for this game.", code="levels_failed")


@pytest.fixture
def failing_runtime(base_settings: Settings) -> Iterator[Any]:
    """The real stack, except that level generation fails: a paid build that cannot finish."""
    steps = default_steps()
    broken = type(steps)(steps.make_sprite, _no_levels, steps.build_bundle)
    with open_runtime(base_settings.model_copy(update=PREMIUM), role="bot", steps=broken) as rt:
        yield rt


def test_a_failed_paid_build_says_discord_refunds_it(
    play: Any, failing_runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, failing_runtime, fake):
            fay = Member(fake, 707, "Fay")
            oid, _buy = await _to_the_premium_button(fay, cat_jpeg)
            fake.grant(707, SKU)
            failed = (await fay.sees("could not build levels"))[-1]
            assert "Discord makes the refund" in failed.content
            assert oid in failed.content
        status = failing_runtime.orders.status(order_id=oid)
        assert status.status == OrderStatus.FAILED
        assert status.refund_due
        (referred,) = _events(failing_runtime, "payment.refund_referred")  # once (refund guard)
        assert referred.order_id == oid

    play(scenario, **PREMIUM)


def test_skus_come_from_json_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """(How each setting picks the checkout: tests/payments/test_choose.py.)"""
    monkeypatch.setenv("PETPIXEL_DISCORD_SKUS", '{"classic": 123, "deluxe": "456"}')
    settings = Settings()
    assert settings.discord_skus == {"classic": 123, "deluxe": 456}
    assert checkout_kind(settings, "discord") == "discord_premium"
    assert package_for_sku(settings, 456) == "deluxe"
    assert package_for_sku(settings, 789) is None
    monkeypatch.setenv("PETPIXEL_DISCORD_CHECKOUT", "free")
    assert checkout_kind(Settings(), "discord") == "free"
    monkeypatch.delenv("PETPIXEL_DISCORD_SKUS")
    monkeypatch.delenv("PETPIXEL_DISCORD_CHECKOUT")
    assert Settings().discord_skus == {}
    assert checkout_kind(Settings(), "discord") == "free"


def test_the_provider_names_the_sku_and_refuses_a_package_without_one() -> None:
    settings = Settings(discord_skus={"classic": SKU})
    packages = game_packages(settings)
    payments = DiscordPremiumPayments(settings)
    order: Any = None  # the provider does not read the order
    checkout = payments.create_checkout(order=order, package=packages["classic"])
    assert (checkout.provider, checkout.reference, checkout.url) == (
        "discord_premium",
        str(SKU),
        None,
    )
    assert not checkout.free
    assert checkout.amount == packages["classic"].amount
    with pytest.raises(InvalidRequest) as refused:
        payments.create_checkout(order=order, package=packages["deluxe"])
    assert refused.value.code == "no_discord_sku"
    assert sku_for(settings, "classic") == SKU
