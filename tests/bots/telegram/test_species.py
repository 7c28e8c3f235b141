"""The species row under the preview and the way forward after a photo problem, over the fake
Bot API with the real bot, service and worker (the sprite step records the species it is asked)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from runtime import open_runtime
from tests.bots.telegram.flows import photo_to_preview, photo_to_theme
from tests.bots.telegram.harness import User, running_bot
from tests.fakes.telegram_api import FakeTelegram
from tests.orders.species_steps import SpeciesSteps, photo_problem


def buttons(message: dict[str, Any]) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["text"] for row in rows for b in row]


def toast(words: str) -> Any:
    return lambda call: words in str(call.params.get("text"))


def open_with(settings: Settings, steps: SpeciesSteps) -> Any:
    return open_runtime(settings, role="bot", steps=steps.steps())


@pytest.fixture
def steps() -> SpeciesSteps:
    return SpeciesSteps(guess="cat")


@pytest.fixture
def rt(base_settings: Settings, steps: SpeciesSteps) -> Iterator[Any]:
    with open_with(base_settings, steps) as runtime:
        yield runtime


def test_species_row_guess_redraw_confirm_and_restyle(
    play: Any, rt: Any, steps: SpeciesSteps, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, rt, fake):
            ann = User(fake, 501)
            await photo_to_preview(ann, cat_jpeg)
            first = fake.latest_with_button(501, "sp:cat")
            assert "Looks like a cat to me — tap if I got it wrong" in first["caption"]
            assert buttons(first)[-3:] == ["🐱 Cat ✓", "🐶 Dog", "🐾 Other"]

            ann.click("sp:dog")  # the guess was wrong: redraw as a dog
            await ann.says("Here's", count=2)
            second = fake.latest_with_button(501, "sp:cat")
            assert "Looks like" not in second["caption"]
            assert buttons(second)[-3:] == ["🐱 Cat", "🐶 Dog ✓", "🐾 Other"]

            ann.click("pv:style")  # another style keeps the species
            await ann.says("Pick a style", count=2)
            ann.click("style:8bit")
            await ann.says("Here's", count=3)
            assert steps.asked == ["auto", "dog", "dog"]

            ann.click("sp:dog")  # confirms what the preview shows: kept, not redrawn
            await fake.wait_for("answerCallbackQuery", where=toast("Dog it is"))
            assert steps.asked == ["auto", "dog", "dog"]

            ann.click("pv:ok")  # past the preview the species row is gone with the others
            await ann.says("Pick your game")
            assert not [m for m in fake.messages_of(501, "animation") if buttons(m)]
        user = rt.orders.get_or_create_user(provider="telegram", external_id="501")
        (order,) = rt.orders.list_orders(user_id=user.id)
        assert (order.choices.species, order.species, order.choices.style) == ("dog", "dog", "8bit")

    play(scenario)


def test_no_pet_found_offers_use_other(play: Any, base_settings: Settings, cat_jpeg: bytes) -> None:
    steps = SpeciesSteps(errors=[photo_problem("no_pet_found")])

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        with open_with(settings, steps) as runtime:
            async with running_bot(settings, runtime, fake):
                ann = User(fake, 502)
                await photo_to_theme(ann, cat_jpeg)
                await ann.says("I couldn't find a pet in this photo")
                offer = fake.latest_with_button(502, "fix:use_other")
                assert "another photo" in offer["text"]
                assert buttons(offer) == ["🐾 It's a pet, use Other"]
                ann.click("fix:use_other")
                await ann.says("Here's")
                assert steps.asked == ["auto", "other"]
                assert buttons(fake.latest_with_button(502, "sp:other"))[-1] == "🐾 Other ✓"

    play(scenario)


@pytest.mark.parametrize("code", ["several_pets", "head_cut_off"])
def test_crop_problems_offer_fix_the_crop(
    play: Any, base_settings: Settings, cat_jpeg: bytes, code: str
) -> None:
    steps = SpeciesSteps(errors=[photo_problem(code)])

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        with open_with(settings, steps) as runtime:
            async with running_bot(settings, runtime, fake):
                ann = User(fake, 503)
                await photo_to_theme(ann, cat_jpeg)
                await ann.says(photo_problem(code).message)
                assert buttons(fake.latest_with_button(503, "fix:crop")) == ["✂️ Fix the crop"]
                ann.click("fix:crop")
                await ann.says("Which part of the photo")
                ann.click("crop:left")
                await ann.says("Here's")
                assert steps.asked == ["auto", "auto"]

    play(scenario)


@pytest.mark.parametrize("code", ["pet_too_small", "cutout_unsure"])
def test_other_photo_problems_ask_for_another_photo(
    play: Any, base_settings: Settings, cat_jpeg: bytes, code: str
) -> None:
    steps = SpeciesSteps(errors=[photo_problem(code)])

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        with open_with(settings, steps) as runtime:
            async with running_bot(settings, runtime, fake):
                ann = User(fake, 504)
                await photo_to_theme(ann, cat_jpeg)
                (failed,) = await ann.says(photo_problem(code).message)
                assert "Please send another photo" in failed.params["text"]
                assert not (failed.params.get("reply_markup") or {}).get("inline_keyboard")
                ann.photo(cat_jpeg)  # and another photo starts afresh
                await ann.says("Pick a style", count=2)

    play(scenario)
