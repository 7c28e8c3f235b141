"""Components and their custom_ids: `pp:<action>:<order id>[:<value>]` (Discord caps them at 100).

Views are stopped before they are sent, so discord.py never keeps them in memory: every press
reaches the bot's custom_id router (bot.py), which reads the order's state from the database and
therefore works the same after a restart.
"""

from __future__ import annotations

from typing import Any, cast

import discord

from bots.discord import texts
from core.config import Settings
from core.hero.traits import SPECIES, Species
from core.money import price_label
from core.orders.choices import CROPS, NEXT_STEP_LABELS, SPECIES_LABELS, NextStep
from core.orders.packages import game_packages
from core.payments import checkout_kind, is_free
from core.petnames import MAX_NAME

PREFIX = "pp"
STYLE, THEME, NAME, PREVIEW, CROP, PACKAGE, DELETE, SPECIES_PICK, FIX = (
    "style", "theme", "name", "pv", "crop", "pkg", "del", "sp", "fix",
)  # fmt: skip
# Not tied to an order: `pp:lb:<guild id>:<page>`, `pp:chal:<game code>`, `pp:play:<game code>`.
BOARD, CHALLENGE, PLAY = "lb", "chal", "play"
MAX_CUSTOM_ID = 100


def custom_id(action: str, *parts: str) -> str:
    out = ":".join((PREFIX, action, *parts))
    if len(out) > MAX_CUSTOM_ID:
        raise ValueError(f"custom_id over {MAX_CUSTOM_ID} characters: {out!r}")
    return out


def parse(raw: str) -> tuple[str, list[str]] | None:
    """(action, parts) of one of our custom_ids; None for anything else."""
    prefix, _, rest = raw.partition(":")
    if prefix != PREFIX or not rest:
        return None
    action, *parts = rest.split(":")
    return action, parts


def _stopped(view: discord.ui.View) -> discord.ui.View:
    view.stop()  # not stored in discord.py's in-memory view store: our router handles presses
    return view


def style_menu(order_id: str, styles: list[str]) -> discord.ui.View:
    options = [
        discord.SelectOption(
            label=texts.style_label(name),
            value=name,
            emoji=texts.STYLE_BLURBS.get(name, ("🎨", ""))[0],
            description=texts.STYLE_BLURBS.get(name, ("", name))[1][:100],
        )
        for name in styles
    ]
    view = discord.ui.View(timeout=None)
    select: discord.ui.Select[discord.ui.View] = discord.ui.Select(
        custom_id=custom_id(STYLE, order_id), placeholder=texts.STYLE_PLACEHOLDER, options=options
    )
    view.add_item(select)
    return _stopped(view)


def _buttons(
    items: list[tuple[str, str, str | None]], style: discord.ButtonStyle
) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for label, cid, emoji in items:
        view.add_item(discord.ui.Button(label=label, custom_id=cid, emoji=emoji, style=style))
    return _stopped(view)


def theme_buttons(order_id: str, themes: list[str]) -> discord.ui.View:
    return _buttons(
        [
            (
                texts.THEME_BLURBS.get(t, ("", t))[1],
                custom_id(THEME, order_id, t),
                texts.THEME_BLURBS.get(t, ("🗺", ""))[0],
            )
            for t in themes
        ],
        discord.ButtonStyle.secondary,
    )


def preview_buttons(order_id: str, species: Species | None = None) -> discord.ui.View:
    """Looks good / Try another style / Fix the crop, then a row of species with the drawn one
    highlighted (and ✓)."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Looks good", emoji="👍", custom_id=custom_id(
        PREVIEW, order_id, "ok"), style=discord.ButtonStyle.success))  # fmt: skip
    view.add_item(discord.ui.Button(label="Try another style", emoji="🎨", custom_id=custom_id(
        PREVIEW, order_id, "style"), style=discord.ButtonStyle.secondary))  # fmt: skip
    view.add_item(discord.ui.Button(label="Fix the crop", emoji="✂️", custom_id=custom_id(
        PREVIEW, order_id, "crop"), style=discord.ButtonStyle.secondary))  # fmt: skip
    for kind in SPECIES:
        emoji, title = SPECIES_LABELS[kind]
        current = kind == species
        view.add_item(discord.ui.Button(
            label=f"{title} ✓" if current else title, emoji=emoji, row=1,
            custom_id=custom_id(SPECIES_PICK, order_id, kind),
            style=discord.ButtonStyle.primary if current else discord.ButtonStyle.secondary,
        ))  # fmt: skip
    return _stopped(view)


def fix_buttons(order_id: str, steps: tuple[NextStep, ...]) -> discord.ui.View | None:
    """The ways forward after a photo problem that are buttons (another photo is a new
    /pixelpet); None when there are none."""
    items: list[tuple[str, str, str | None]] = [
        (NEXT_STEP_LABELS[s].split(" ", 1)[1], custom_id(FIX, order_id, s),
         NEXT_STEP_LABELS[s].split(" ", 1)[0])
        for s in steps
        if s != "photo"
    ]  # fmt: skip
    return _buttons(items, discord.ButtonStyle.primary) if items else None


def crop_buttons(order_id: str) -> discord.ui.View:
    """One button per crop preset (core.orders.choices.CROPS)."""
    items: list[tuple[str, str, str | None]] = [
        (label.split(" ", 1)[1], custom_id(CROP, order_id, key), label.split(" ", 1)[0])
        for key, (label, _box) in CROPS.items()
    ]
    return _buttons(items, discord.ButtonStyle.secondary)


def package_label(settings: Settings, title: str, amount: int, currency: str) -> str:
    """A package button's label, priced as this bot charges (free mode says so; a Discord SKU
    is priced no higher than the package)."""
    free = is_free(settings, "discord")
    return f"{title} – {price_label(amount, currency, free=free)}"


def package_buttons(order_id: str, settings: Settings) -> discord.ui.View:
    """One button per game package; with Discord Premium checkout, only those with a SKU."""
    offered = game_packages(settings)
    if checkout_kind(settings, "discord") == "discord_premium":
        offered = {n: p for n, p in offered.items() if n in settings.discord_skus}
    return _buttons(
        [
            (
                package_label(settings, p.title, p.amount, p.currency),
                custom_id(PACKAGE, order_id, name),
                "🎮",
            )
            for name, p in offered.items()
        ],
        discord.ButtonStyle.primary,
    )


def premium(sku_id: int) -> discord.ui.View:
    """Discord's own buy button for a SKU (style 6, premium): no label, no custom_id."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(sku_id=sku_id))
    return _stopped(view)


def link(label: str, url: str, emoji: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label=label, url=url, emoji=emoji))
    return _stopped(view)


def board_pages(guild_id: int, page: int, pages: int) -> discord.ui.View | None:
    """Previous / Next under a leaderboard page (each names the page it opens); None for one
    page."""
    if pages <= 1:
        return None
    view = discord.ui.View(timeout=None)
    for label, emoji, target, off in (("Previous", "◀️", page - 1, page <= 0),
                                      ("Next", "▶️", page + 1, page >= pages - 1)):  # fmt: skip
        view.add_item(discord.ui.Button(
            label=label, emoji=emoji, disabled=off, style=discord.ButtonStyle.secondary,
            custom_id=custom_id(BOARD, str(guild_id), str(max(0, min(target, pages - 1)))),
        ))  # fmt: skip
    return _stopped(view)


def play_button(code: str) -> discord.ui.View:
    """Under a challenge: everyone who presses it gets their own link (ephemeral)."""
    return _buttons([("Play", custom_id(PLAY, code), "🎮")], discord.ButtonStyle.success)


def game_buttons(url: str, code: str | None) -> discord.ui.View | None:
    """Under a finished game: Play (a link) and Challenge (post it for the channel to beat)."""
    view = discord.ui.View(timeout=None)
    if url.startswith(("https://", "http://")):
        view.add_item(discord.ui.Button(label="Play", url=url, emoji="🎮"))
    if code:
        view.add_item(discord.ui.Button(label="Challenge", emoji="🏁", custom_id=custom_id(
            CHALLENGE, code), style=discord.ButtonStyle.primary))  # fmt: skip
    return _stopped(view) if view.children else None


def confirm_delete(owner: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Yes, delete everything", emoji="🗑", custom_id=custom_id(
        DELETE, str(owner), "yes"), style=discord.ButtonStyle.danger))  # fmt: skip
    view.add_item(discord.ui.Button(label="Keep them", custom_id=custom_id(
        DELETE, str(owner), "no"), style=discord.ButtonStyle.secondary))  # fmt: skip
    return _stopped(view)


def name_modal(order_id: str) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=texts.ASK_NAME_TITLE, custom_id=custom_id(NAME, order_id))
    name: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label=texts.NAME_LABEL, custom_id="name", min_length=1, max_length=MAX_NAME
    )
    modal.add_item(name)
    modal.stop()
    return modal


def raw(interaction: discord.Interaction[Any]) -> dict[str, Any]:
    """An interaction's raw `data` (custom_id, select values, modal fields)."""
    return cast(dict[str, Any], interaction.data or {})


def modal_value(data: dict[str, Any], field: str) -> str:
    """The value of one text input in a modal submit's raw data."""
    for row in data.get("components") or []:
        for item in row.get("components") or [row.get("component") or {}]:
            if item.get("custom_id") == field:
                return str(item.get("value") or "")
    return ""
