"""One progress message per job, edited in place: one edit per interval at most, never a no-op."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

log = logging.getLogger(__name__)


class ProgressMessage:
    """Edits one message's text; skips edits that change nothing or come too soon after the last."""

    def __init__(
        self,
        bot: Bot,
        chat_id: int,
        message_id: int,
        *,
        text: str | None = None,
        min_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot, self.chat_id, self.message_id = bot, chat_id, message_id
        self.text = text
        self.min_interval = min_interval
        self.clock = clock
        self._last_edit = -math.inf

    async def update(
        self, text: str, *, final: bool = False, markup: InlineKeyboardMarkup | None = None
    ) -> bool:
        """Show `text`; `final` edits even inside the interval. True when an edit was sent."""
        if text == self.text and markup is None:
            return False  # Telegram refuses an edit that changes nothing
        if not final and self.clock() - self._last_edit < self.min_interval:
            return False
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=self.chat_id,
                message_id=self.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        except TelegramError:
            log.warning("progress edit failed; the next update will try again", exc_info=True)
            return False
        self.text, self._last_edit = text, self.clock()
        return True
