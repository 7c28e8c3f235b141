"""The shared pet-name rule in Discord's name form (core.petnames): a bad name is refused with
its reason, the world buttons open the form again, and nothing is queued meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bots.discord.texts import STALE
from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.petnames import BAD_NAME_CHARS, BAD_NAME_LENGTH, MAX_NAME
from runtime import open_runtime
from tests.bots.conftest import Stack
from tests.bots.discord.fake_discord import FakeDiscord
from tests.bots.discord.harness import Member, running_bot
from tests.bots.recording import RecordingJobs

STALE_MARK = STALE.split(".")[0]  # "That button is from an older step"


@pytest.fixture
def recorded(base_settings: Settings) -> Iterator[tuple[Any, RecordingJobs]]:
    """The real stack, with the jobs it queues noted on the way."""
    seen: list[RecordingJobs] = []

    def wrap(jobs: Any) -> RecordingJobs:
        seen.append(RecordingJobs(jobs))
        return seen[-1]

    with open_runtime(base_settings, role="bot", wrap_jobs=wrap) as rt:
        yield rt, seen[0]


def _text_input(modal: dict[str, Any], custom_id: str) -> dict[str, Any]:
    """The modal's text input `custom_id` (in an action row, or in a label component)."""
    for row in modal["components"]:
        for item in row.get("components") or [row.get("component") or {}]:
            if item.get("custom_id") == custom_id:
                return item  # type: ignore[no-any-return]
    raise AssertionError(f"no text input {custom_id!r} in {modal}")


def test_bad_names_in_the_name_form_are_refused_and_nothing_is_queued(
    play: Any, recorded: tuple[Any, RecordingJobs], cat_jpeg: bytes
) -> None:
    runtime, jobs = recorded

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = Member(fake, 320)
            ann.slash("pixelpet", image=cat_jpeg)
            await ann.sees("Pick a style")
            oid = ann.order_id()
            ann.select(f"pp:style:{oid}", "16bit")
            await ann.sees("Where should your pet adventure")
            world, form = f"pp:theme:{oid}:park", f"pp:name:{oid}"
            bad = [("", BAD_NAME_LENGTH), ("x" * (MAX_NAME + 1), BAD_NAME_LENGTH),
                   ("Rex\x07", BAD_NAME_CHARS)]  # fmt: skip
            for n, (name, reason) in enumerate(bad, start=1):
                modal = await ann.modal(ann.click(world))  # the world buttons open the form
                field = _text_input(modal, "name")
                assert (field["min_length"], field["max_length"]) == (1, MAX_NAME)
                ann.submit(form, world, name=name)  # a client that skips the form's limits
                await ann.sees(reason, count=sum(r == reason for _, r in bad[:n]))
            assert jobs.previews == []
            assert runtime.orders.status(order_id=oid).status == OrderStatus.DRAFT
            assert not [s for s in fake.to(320) if "Drawing" in s.content]
            await ann.modal(ann.click(world))
            ann.submit(form, world, name="  Rex   the  Brave ")
            await ann.sees("Happy with it?")
            assert jobs.previews == [oid]
            assert runtime.orders.get_order(order_id=oid).choices.pet_name == "Rex the Brave"

    play(scenario)


def test_old_world_buttons_are_refused_and_nothing_is_queued(
    play: Any, gated: Stack, cat_jpeg: bytes
) -> None:
    """A world button pressed before its step, one for a world this version does not have, and
    one pressed again after its step (on this order and from an earlier order): each gets the
    "older step" answer and queues nothing. A name form closed unanswered is opened again."""
    rt, jobs = gated.rt, gated.jobs

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, rt, fake):
            ann = Member(fake, 321)
            ann.slash("pixelpet", image=cat_jpeg)  # no name: the world opens the name form
            await ann.sees("Pick a style")
            oid = ann.order_id()
            ann.press_old(f"pp:theme:{oid}:park")  # the worlds are not offered yet
            await ann.sees(STALE_MARK)
            ann.select(f"pp:style:{oid}", "16bit")
            await ann.sees("Where should your pet adventure")
            ann.press_old(f"pp:theme:{oid}:volcano")  # a world from another version of the bot
            await ann.sees(STALE_MARK, count=2)
            world, form = f"pp:theme:{oid}:park", f"pp:name:{oid}"
            await ann.modal(ann.click(world))
            await ann.modal(ann.click(world))  # the form was closed unanswered: it opens again
            assert jobs.previews == []
            ann.submit(form, world, name="Rex")
            await ann.sees("Happy with it?")
            ann.press_old(f"pp:theme:{oid}:snow")  # the world step is over
            await ann.sees(STALE_MARK, count=3)
            ann.slash("pixelpet", image=cat_jpeg, name="Tom")
            await ann.sees("Pick a style", count=2)
            ann.press_old(f"pp:theme:{oid}:beach")  # the earlier order's, while this one starts
            await ann.sees(STALE_MARK, count=4)
            assert jobs.previews == [oid]
            assert rt.orders.get_order(order_id=oid).choices.theme == "park"
            assert len([s for s in fake.to(321) if s.files.get("preview.gif")]) == 1
        assert "Oops" not in " ".join(s.content for s in fake.to(321))

    play(scenario)
