"""Inline keyboards and their callback data (Telegram caps callback data at 64 bytes)."""

from __future__ import annotations

from telegram import CallbackGame, InlineKeyboardButton, InlineKeyboardMarkup

from bots.telegram import texts
from core.config import Settings
from core.hero.traits import SPECIES, Species
from core.money import STARS, money, price_label
from core.orders.choices import CROPS, NEXT_STEP_LABELS, NextStep, species_button
from core.orders.packages import game_packages
from core.payments import checkout_kind
from core.payments.telegram_stars import stars_price

# Callback data prefixes: "<prefix>:<value>".
STYLE, THEME, ALBUM, PREVIEW, CROP, PACKAGE, DELETE, SPECIES_PICK, FIX = (
    "style",
    "theme",
    "album",
    "pv",
    "crop",
    "pkg",
    "del",
    "sp",
    "fix",
)


def data(prefix: str, value: str) -> str:
    out = f"{prefix}:{value}"
    if len(out.encode()) > 64:
        raise ValueError(f"callback data over 64 bytes: {out!r}")
    return out


def _rows(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def styles(names: list[str]) -> InlineKeyboardMarkup:
    """One button per style, each with its emoji and a few words about the look."""
    return _rows(
        [
            InlineKeyboardButton(texts.STYLE_BLURBS.get(n, n), callback_data=data(STYLE, n))
            for n in names
        ],
        1,
    )


def themes(names: list[str]) -> InlineKeyboardMarkup:
    return _rows(
        [
            InlineKeyboardButton(texts.THEME_BLURBS.get(n, n), callback_data=data(THEME, n))
            for n in names
        ],
        2,
    )


def album(count: int) -> InlineKeyboardMarkup:
    return _rows(
        [
            InlineKeyboardButton(f"#{i + 1}", callback_data=data(ALBUM, str(i)))
            for i in range(count)
        ],
        5,
    )


def preview(species: Species | None = None) -> InlineKeyboardMarkup:
    """The three preview buttons, then one row "🐱 Cat / 🐶 Dog / 🐾 Other" with the drawn one ✓."""
    kinds = [
        InlineKeyboardButton(species_button(kind, species), callback_data=data(SPECIES_PICK, kind))
        for kind in SPECIES
    ]
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("👍 Looks good", callback_data=data(PREVIEW, "ok"))],
            [InlineKeyboardButton("🎨 Try another style", callback_data=data(PREVIEW, "style"))],
            [InlineKeyboardButton("✂️ Fix the crop", callback_data=data(PREVIEW, "crop"))],
            kinds,
        ]
    )


def fixes(steps: tuple[NextStep, ...]) -> InlineKeyboardMarkup | None:
    """The ways forward after a photo problem that are buttons (another photo is just sent)."""
    buttons = [
        InlineKeyboardButton(NEXT_STEP_LABELS[step], callback_data=data(FIX, step))
        for step in steps
        if step != "photo"
    ]
    return _rows(buttons, 1) if buttons else None


def crops() -> InlineKeyboardMarkup:
    return _rows(
        [
            InlineKeyboardButton(label, callback_data=data(CROP, key))
            for key, (label, _box) in CROPS.items()
        ],
        2,
    )


def packages(offers: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """`offers` is (package name, button label)."""
    return _rows(
        [InlineKeyboardButton(label, callback_data=data(PACKAGE, name)) for name, label in offers],
        1,
    )


def pay_link(url: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("💳 Pay", url=url)]])


def game(url: str, share_text: str, challenge: str | None = None) -> InlineKeyboardMarkup:
    """Play and Share; with `challenge` (a game code) also Challenge a group: inline mode picks a
    chat and offers that game there as a Telegram Game."""
    from urllib.parse import quote

    share = f"https://t.me/share/url?url={quote(url, safe='')}&text={quote(share_text, safe='')}"
    rows = [
        [InlineKeyboardButton("🎮 Play", url=url)],
        [InlineKeyboardButton("📣 Share", url=share)],
    ]
    if challenge:
        rows.append([InlineKeyboardButton(texts.CHALLENGE_BUTTON, switch_inline_query=challenge)])
    return InlineKeyboardMarkup(rows)


def play_game(pet_name: str) -> InlineKeyboardMarkup:
    """A Telegram Game message's keyboard: its first button must launch the game."""
    label = texts.PLAY_BUTTON.format(name=pet_name)
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_game=CallbackGame())]])


def confirm_delete() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🗑 Yes, delete everything", callback_data=data(DELETE, "yes")),
                InlineKeyboardButton("Keep them", callback_data=data(DELETE, "no")),
            ]
        ]
    )


def package_label(settings: Settings, name: str, title: str) -> str:
    """A package button's label, priced in this channel's checkout currency."""
    provider = checkout_kind(settings, "telegram")
    if provider == "telegram_stars":
        return f"{title} – {money(stars_price(settings, name), STARS)}"
    offer = game_packages(settings)[name]
    free = provider == "free"
    return f"{title} – {price_label(offer.amount, offer.currency, free=free)}"


def package_offer(settings: Settings) -> InlineKeyboardMarkup:
    """The game packages with their prices, one button a row."""
    return packages(
        [(n, package_label(settings, n, p.title)) for n, p in game_packages(settings).items()]
    )
