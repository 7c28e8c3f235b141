"""Small helpers for button presses: stale buttons and removing a keyboard once it was used."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest

from bots.telegram import texts
from core.observability import bind_only, new_request_id


async def bind_update_ids(_update: object, _context: Any) -> None:
    """Before every handler (group -1): a new request id for this update's log lines and tasks."""
    bind_only({"request_id": new_request_id(), "channel": "telegram"})


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
