"""Small helpers for button presses: stale buttons and removing a keyboard once it was used."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bots.telegram import texts


def pressed(update: Update) -> tuple[CallbackQuery, str]:
    """The callback query and the value after "<prefix>:"."""
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    return query, query.data.split(":", 1)[1]


async def clear_buttons(query: CallbackQuery) -> None:
    """Remove the keyboard that was just used (a repeat press finds it gone: that is fine)."""
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def stale(query: CallbackQuery) -> None:
    """A button from an older step: say so as a toast, never by editing (it may repeat)."""
    await query.answer(texts.STALE_BUTTON, show_alert=False)
