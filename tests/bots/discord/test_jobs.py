"""Jobs that take a while or fail: one creation at a time, and a failed preview explained."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from core.errors import NoSubjectFound
from core.orders.builds import Steps, default_steps
from runtime import open_runtime
from tests.bots.discord.fake_discord import FakeDiscord
from tests.bots.discord.harness import Member, running_bot


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds the preview job until the test opens it (opened at teardown in any case)."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def gated_runtime(base_settings: Settings, gate: threading.Event) -> Iterator[Any]:
    """The real stack, with the real sprite step waiting for `gate` first; a pet named "Nobody"
    is never found in the photo."""
    real = default_steps()

    def make_sprite(*args: Any, **kwargs: Any) -> Any:
        gate.wait(60)
        return real.make_sprite(*args, **kwargs)

    with open_runtime(base_settings, role="bot", steps=Steps(make_sprite, real.generate_levels,
                                                 real.build_bundle)) as rt:  # fmt: skip
        try:
            yield rt
        finally:
            gate.set()  # before the runtime waits for its worker, even when the test failed


async def _draw(who: Member, photo: bytes, name: str, *, edited: bool = True) -> str:
    who.slash("pixelpet", image=photo, name=name)
    await who.sees("Pick a style")
    oid = who.order_id()
    who.select(f"pp:style:{oid}", "modern")
    await who.sees("Where should")
    who.click(f"pp:theme:{oid}:city")
    await who.sees("🎨 Drawing", count=2 if edited else 1)  # posted, then edited by its watcher
    return oid


def test_one_creation_at_a_time(
    play: Any, gated_runtime: Any, gate: threading.Event, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, gated_runtime, fake):
            ann = Member(fake, 901)
            await _draw(ann, cat_jpeg, "Biscuit")  # held at the gate
            ann.slash("pixelpet", image=cat_jpeg)
            busy = (await ann.sees("in progress at a time"))[0]
            assert "1 creation" in busy.content
            gate.set()
            await ann.sees("Happy with it?")
            ann.slash("pixelpet", image=cat_jpeg)  # the preview is done: welcome again
            await ann.sees("Pick a style", count=2)

    play(scenario, discord_max_active_orders=1)


@pytest.fixture
def failing_runtime(base_settings: Settings) -> Iterator[Any]:
    real = default_steps()

    def make_sprite(*_args: Any, **_kwargs: Any) -> Any:
        raise NoSubjectFound("We couldn't find a pet in this photo.", code="no_subject")

    with open_runtime(base_settings, role="bot", steps=Steps(make_sprite, real.generate_levels,
                                                 real.build_bundle)) as rt:  # fmt: skip
        yield rt


def test_a_failed_preview_is_explained(play: Any, failing_runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, failing_runtime, fake):
            ann = Member(fake, 902)
            oid = await _draw(ann, cat_jpeg, "Ghost", edited=False)
            failed = (await ann.sees("couldn't find a pet"))[-1]
            assert "Try `/pixelpet` with another photo" in failed.content
            assert failing_runtime.orders.status(order_id=oid).error_code == "no_subject"
            assert fake.said[-1].edit  # the progress message itself says why
            ann.press_old(f"pp:pv:{oid}:ok")
            await ann.sees("older step")

    play(scenario)
