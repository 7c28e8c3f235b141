"""Everything unexpected gets a short, friendly answer; errors are logged and apologised for."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bots.telegram import texts
from bots.telegram.deps import ALBUM, CROP, NAME, PACKAGE, PREVIEW, STYLE, THEME, Context, state
from bots.telegram.handlers.choices import name_text

log = logging.getLogger(__name__)
BUTTON_STATES = {ALBUM, STYLE, THEME, PREVIEW, CROP, PACKAGE}


async def text(update: Update, context: Context) -> None:
    """Text: the pet's name when we asked for it, else a hint about what we are waiting for."""
    message = update.effective_message
    assert message is not None
    current = state(context)
    if current == NAME:
        await name_text(update, context)
    elif current in BUTTON_STATES:
        await message.reply_text(texts.USE_BUTTONS)
    else:
        await message.reply_text(texts.WANT_PHOTO)


async def sticker(update: Update, context: Context) -> None:
    """Stickers are not photos."""
    await _answer(update, context, texts.STICKER)


async def video(update: Update, context: Context) -> None:
    """Videos, GIFs and round video notes are not photos."""
    await _answer(update, context, texts.VIDEO)


async def other(update: Update, context: Context) -> None:
    """Anything else (voice, location, contact...)."""
    await _answer(update, context, texts.NOTHING_TO_DO)


async def _answer(update: Update, context: Context, line: str) -> None:
    message = update.effective_message
    if message is None:
        return
    hint = texts.NAME_NOT_TEXT if state(context) == NAME else ""
    await message.reply_text(f"{line}\n{hint}".strip())


async def on_error(update: object, context: Context) -> None:
    """Log the failure and apologise in the chat, so the conversation carries on."""
    log.error("telegram handler failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await update.effective_chat.send_message(texts.SORRY)
        except TelegramError:
            log.warning("could not send the apology", exc_info=True)
