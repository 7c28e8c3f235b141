"""The species buttons on the preview and the way forward after a photo problem, over the fake
Discord REST + gateway with the real bot, service and worker (the sprite step records the species
it is asked for)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from runtime import open_runtime
from tests.bots.discord.fake_discord import FakeDiscord, Said
from tests.bots.discord.harness import Member, running_bot
from tests.orders.species_steps import SpeciesSteps, photo_problem


def labels(said: Said) -> list[str]:
    return [str(c.get("label")) for row in said.components for c in row["components"]]


@pytest.fixture
def steps() -> SpeciesSteps:
    return SpeciesSteps(guess="cat")


@pytest.fixture
def rt(base_settings: Settings, steps: SpeciesSteps) -> Iterator[Any]:
    with open_runtime(base_settings, role="bot", steps=steps.steps()) as runtime:
        yield runtime


def test_species_buttons_guess_redraw_confirm_and_restyle(
    play: Any, rt: Any, steps: SpeciesSteps, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, rt, fake):
            ann = Member(fake, 401)
            oid = await ann.to_preview(cat_jpeg, name="Tom", style="16bit", theme="park")
            (first,) = await ann.sees("Happy with it?")
            assert "Looks like a cat to me — tap if I got it wrong" in first.content
            assert labels(first)[-3:] == ["Cat ✓", "Dog", "Other"]
            assert f"pp:sp:{oid}:dog" in str(first.components)

            ann.click(f"pp:sp:{oid}:dog")  # the guess was wrong: redraw as a dog
            await ann.sees("Dog – drawing it now")
            second = (await ann.sees("Happy with it?", count=2))[-1]
            assert "Looks like" not in second.content
            assert labels(second)[-3:] == ["Cat", "Dog ✓", "Other"]

            ann.click(f"pp:pv:{oid}:style")  # another style keeps the species
            await ann.sees("Pick another style")
            ann.select(f"pp:style:{oid}", "pico8")
            await ann.sees("Happy with it?", count=3)
            assert steps.asked == ["auto", "dog", "dog"]

            ann.click(f"pp:sp:{oid}:dog")  # confirms what the preview shows: kept, not redrawn
            await ann.sees("Dog it is")
            assert steps.asked == ["auto", "dog", "dog"]
            ann.click(f"pp:pv:{oid}:ok")
            await ann.sees("Pick your game")
            ann.press_old(f"pp:sp:{oid}:cat")  # past the preview: an old button does nothing
            await ann.sees("older step")
        order = rt.orders.get_order(order_id=oid)
        assert (order.choices.species, order.species, order.choices.style) == (
            "dog",
            "dog",
            "pico8",
        )

    play(scenario)


@pytest.mark.parametrize(
    ("code", "button", "then"),
    [("no_pet_found", "use_other", "other"), ("several_pets", "crop", "auto"),
     ("head_cut_off", "crop", "auto")],
)  # fmt: skip
def test_photo_problems_offer_their_way_forward(
    play: Any, base_settings: Settings, cat_jpeg: bytes, code: str, button: str, then: str
) -> None:
    steps = SpeciesSteps(errors=[photo_problem(code)])

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        with open_runtime(settings, role="bot", steps=steps.steps()) as runtime:
            async with running_bot(settings, runtime, fake):
                ann = Member(fake, 402)
                oid = await ann.to_theme(cat_jpeg, name="Tom", style="16bit", theme="park")
                await ann.sees(photo_problem(code).message)
                (offer,) = await ann.sees("Tap below to try again")
                assert len(labels(offer)) == 1
                ann.click(f"pp:fix:{oid}:{button}")
                if button == "crop":
                    await ann.sees("Which part of the photo")
                    ann.click(f"pp:crop:{oid}:centre")
                await ann.sees("Happy with it?")
        assert steps.asked == ["auto", then]

    play(scenario)


@pytest.mark.parametrize("code", ["pet_too_small", "cutout_unsure"])
def test_other_photo_problems_ask_for_another_photo(
    play: Any, base_settings: Settings, cat_jpeg: bytes, code: str
) -> None:
    steps = SpeciesSteps(errors=[photo_problem(code)])

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        with open_runtime(settings, role="bot", steps=steps.steps()) as runtime:
            async with running_bot(settings, runtime, fake):
                ann = Member(fake, 403)
                await ann.to_theme(cat_jpeg, name="Tom", style="16bit", theme="park")
                (failed,) = await ann.sees(photo_problem(code).message)
                assert "another photo" in failed.content
                assert not [s for s in fake.to(403) if "Tap below" in s.content]

    play(scenario)
