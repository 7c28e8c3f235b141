"""Conversation steps shared by the flow and payment tests."""

from __future__ import annotations

from tests.bots.telegram.harness import User


async def photo_to_preview(ann: User, photo: bytes, *, name: str = "Mochi", n: int = 1) -> None:
    """Send a photo, pick 16-bit, type the name, pick the park; wait for preview number `n`."""
    ann.photo(photo)
    await ann.says("Got your photo")
    await ann.says("Pick a style")
    ann.click("style:16bit")
    await ann.says("What's your pet's name")
    ann.text(name)
    await ann.says("adventure?")
    ann.click("theme:park")
    await ann.says("Here's", count=n)
