"""Conversation steps shared by the flow and payment tests."""

from __future__ import annotations

from tests.bots.telegram.harness import User


async def photo_to_theme(ann: User, photo: bytes, *, name: str = "Mochi") -> None:
    """Send a photo, pick 16-bit, type the name, pick the park (the preview starts)."""
    ann.photo(photo)
    await ann.says("Got your photo")
    await ann.says("Pick a style")
    ann.click("style:16bit")
    await ann.says("What's your pet's name")
    ann.text(name)
    await ann.says("adventure?")
    ann.click("theme:park")


async def photo_to_preview(ann: User, photo: bytes, *, name: str = "Mochi", n: int = 1) -> None:
    """`photo_to_theme`, then wait for preview number `n`."""
    await photo_to_theme(ann, photo, name=name)
    await ann.says("Here's", count=n)
