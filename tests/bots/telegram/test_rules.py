"""The shared rules in a Telegram conversation: the pet-name rule at the name step, and what
counts as a creation in progress (core.petnames, core.orders.watching)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bots.telegram.texts import STALE_BUTTON
from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.petnames import BAD_NAME_CHARS, BAD_NAME_LENGTH, MAX_NAME
from runtime import open_runtime
from tests.bots.conftest import Stack
from tests.bots.owned import owned
from tests.bots.recording import RecordingJobs
from tests.bots.telegram.flows import photo_to_preview
from tests.bots.telegram.harness import User, running_bot
from tests.fakes.stripe_api import FakeStripe
from tests.fakes.telegram_api import FakeTelegram

BUSY = "in progress at a time"


@pytest.fixture
def recorded(base_settings: Settings) -> Iterator[tuple[Any, RecordingJobs]]:
    """The real stack, with the jobs it queues noted on the way."""
    seen: list[RecordingJobs] = []

    def wrap(jobs: Any) -> RecordingJobs:
        seen.append(RecordingJobs(jobs))
        return seen[-1]

    with open_runtime(base_settings, role="bot", wrap_jobs=wrap) as rt:
        yield rt, seen[0]


def test_bad_names_are_refused_and_nothing_is_queued(
    play: Any, recorded: tuple[Any, RecordingJobs], cat_jpeg: bytes
) -> None:
    """Blank, 41 characters, a control character: each gets its reason, the name step stays,
    and no preview is queued until a good name comes."""
    runtime, jobs = recorded

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 220)
            ann.photo(cat_jpeg)
            await ann.says("Pick a style")
            ann.click("style:16bit")
            await ann.says(f"(up to {MAX_NAME} characters)")
            bad = [("   ", BAD_NAME_LENGTH), ("x" * (MAX_NAME + 1), BAD_NAME_LENGTH),
                   ("Rex\x07", BAD_NAME_CHARS)]  # fmt: skip
            for n, (name, reason) in enumerate(bad, start=1):
                ann.text(name)
                await ann.says(reason, count=sum(r == reason for _, r in bad[:n]))
            assert not [t for t in fake.texts(220) if "adventure?" in t]  # no theme offered
            (order,) = runtime.orders.list_orders(
                user_id=runtime.orders.get_or_create_user(provider="telegram", external_id="220").id
            )
            assert jobs.previews == []
            assert runtime.orders.status(order_id=order.id).status == OrderStatus.DRAFT
            ann.text("  Rex   the  Brave ")  # still at the name step: a good name goes on
            theme = (await ann.says("adventure?"))[0]
            assert "<b>Rex the Brave</b>" in theme.params["text"]
            ann.click("theme:park")
            await ann.says("Here's")
            assert jobs.previews == [order.id]
            assert runtime.orders.get_order(order_id=order.id).choices.pet_name == "Rex the Brave"

    play(scenario)


async def _first_of(fake: FakeTelegram, chat_id: int, after: int, *marks: str) -> str:
    """The first message past the chat's first `after` that contains one of `marks`."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for text in fake.texts(chat_id)[after:]:
            if any(mark in text for mark in marks):
                return text
        await asyncio.sleep(0.02)
    raise AssertionError(f"none of {marks} in {fake.texts(chat_id)[after:]}")


@pytest.fixture
def fake_stripe() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


def _stripe(fake: FakeStripe) -> dict[str, Any]:
    return {
        "payments_backend": "stripe", "stripe_secret_key": fake.api_key,
        "stripe_webhook_secret": "whsec_rules_test", "stripe_api_base": fake.url,
        "stripe_max_network_retries": 0,
    }  # fmt: skip


def test_an_unpaid_checkout_does_not_block_a_new_photo(
    play: Any, base_settings: Settings, fake_stripe: FakeStripe, cat_jpeg: bytes
) -> None:
    """Waiting for a Stripe payment is not work in progress: with one creation allowed at a
    time, a user who left the pay link open can still start another (as on Discord)."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        with open_runtime(settings, role="bot") as runtime:
            async with running_bot(settings, runtime, fake):
                cy = User(fake, 221)
                await photo_to_preview(cy, cat_jpeg)
                cy.click("pv:ok")
                await cy.says("Pick your game")
                cy.click("pkg:classic")
                await cy.says("Tap the button to pay")
                await cy.says("Waiting for your payment")
                before = len(fake.texts(221))
                cy.photo(cat_jpeg)
                answer = await _first_of(fake, 221, before, BUSY, "Pick a style")
                assert answer.startswith("Lovely! Pick a style"), answer

    play(
        scenario,
        telegram_checkout="stripe",
        telegram_max_active_orders=1,
        **_stripe(fake_stripe),
    )


def test_old_theme_buttons_are_refused_and_nothing_is_queued(
    play: Any, gated: Stack, cat_jpeg: bytes
) -> None:
    """A theme button from an earlier order's message (at another step, and at this order's own
    theme step), one for a theme this version does not have, and one pressed again after its
    step: each gets the "older message" toast, and no preview is queued or changed by them."""
    rt, jobs = gated.rt, gated.jobs

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, rt, fake):
            ann = User(fake, 222)
            ann.photo(cat_jpeg)
            await _to_theme_step(ann, "Mochi", n=1)
            first = ann.message_saying("<b>Mochi</b> adventure?")  # its buttons are never used
            ann.text("/new")
            await ann.says("Fresh start")
            ann.photo(cat_jpeg)
            await ann.says("Pick a style", count=2)
            ann.press_old("theme:park", first)  # the new order is at its style step
            await ann.toasts(STALE_BUTTON)
            await _to_theme_step(ann, "Rex", n=2)
            second = ann.message_saying("<b>Rex</b> adventure?")
            ann.press_old("theme:park", first)  # at a theme step, but not this order's
            await ann.toasts(STALE_BUTTON, count=2)
            ann.press_old("theme:volcano", second)  # a theme from another version of the bot
            await ann.toasts(STALE_BUTTON, count=3)
            assert jobs.previews == []
            ann.click("theme:beach")
            await ann.says("Here's")
            ann.press_old("theme:snow", second)  # again, after the step
            await ann.toasts(STALE_BUTTON, count=4)
            newer = rt.orders.get_order(order_id=jobs.previews[0])
            (older,) = set(owned(rt, "telegram", "222").orders) - {newer.id}
            assert len(jobs.previews) == 1
            assert newer.choices.pet_name == "Rex"
            assert newer.choices.theme == "beach"
            assert rt.orders.status(order_id=older).status == OrderStatus.DRAFT
            assert len(fake.called("sendAnimation", 222)) == 1
        assert "Oops" not in " ".join(fake.texts(222))

    play(scenario)


async def _to_theme_step(ann: User, name: str, *, n: int) -> None:
    """From the style menu number `n`: 16-bit and the name, up to theme prompt number `n`."""
    await ann.says("Pick a style", count=n)
    ann.click("style:16bit")
    await ann.says("What's your pet's name", count=n)
    ann.text(name)
    await ann.says("adventure?", count=n)
