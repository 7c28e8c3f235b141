"""One progress message per job, edited in place, paced by core.orders.watching.EditThrottle."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from core.orders.watching import EditThrottle

log = logging.getLogger(__name__)


class ProgressMessage:
    """Edits one message's text (HTML) when the throttle allows it."""

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
        self.throttle = EditThrottle(text=text, min_interval=min_interval, clock=clock)

    async def update(self, text: str, *, final: bool = False) -> bool:
        """Show `text`; `final` edits even inside the interval. True when an edit was sent."""
        if not self.throttle.allows(text, final=final):
            return False
        try:
            await self.bot.edit_message_text(
                text, chat_id=self.chat_id, message_id=self.message_id, parse_mode=ParseMode.HTML
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        except TelegramError:
            log.warning("progress edit failed; the next update will try again", exc_info=True)
            return False
        self.throttle.shown(text)
        return True
