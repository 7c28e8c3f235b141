"""The bot's small parts: custom_ids, modal values, package labels (names: tests/core)."""

from __future__ import annotations

import asyncio

import pytest

from bots.discord import ui
from core.config import Settings


def test_custom_ids_round_trip_and_stay_short() -> None:
    oid = "f" * 32
    raw = ui.custom_id(ui.THEME, oid, "space")
    assert ui.parse(raw) == ("theme", [oid, "space"])
    assert ui.parse("someone-else:thing") is None
    assert ui.parse("pp") is None
    with pytest.raises(ValueError, match="over 100"):
        ui.custom_id(ui.STYLE, "x" * 100)


def test_modal_value_and_labels() -> None:
    data = {"components": [{"type": 1, "components": [{"custom_id": "name", "value": "Rex"}]}]}
    assert ui.modal_value(data, "name") == "Rex"
    assert ui.modal_value({}, "name") == ""
    assert ui.package_label(Settings(), "Classic game", 499, "usd") == "Classic game – Free"
    paid = Settings(stripe_secret_key="sk_test_x", public_url="https://petpixel.example")
    assert ui.package_label(paid, "Classic game", 499, "usd") == "Classic game – 4.99 USD"


def test_views_are_never_kept_in_memory() -> None:
    """Stopped views are not stored by discord.py: presses go to the custom_id router. (Views
    are built inside the bot's event loop, as here; without a loop they cannot be stopped.)"""

    async def build() -> None:
        assert ui.style_menu("o", ["16bit"]).is_finished()
        assert ui.preview_buttons("o").is_finished()
        assert ui.name_modal("o").is_finished()
        buttons = ui.theme_buttons("o" * 32, ["park", "space"]).children
        assert all(len(getattr(b, "custom_id", "") or "") <= 100 for b in buttons)

    asyncio.run(build())
