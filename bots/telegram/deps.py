"""What every handler needs: settings, the order services, limits and the running watchers.

Built once in app.py and kept in `application.bot_data["deps"]` (bot_data is not persisted).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ContextTypes

from core.botstate import preview_gif_bytes
from core.chatlimits import Limits
from core.config import Settings
from core.notify.gamescores import GameMessages
from core.orders.service import OrderService
from core.orders.watching import Watchers
from core.runs.boards import Boards
from runtime import Runtime

T = TypeVar("T")
Context = ContextTypes.DEFAULT_TYPE

# Named conversation states, kept in user_data["state"] (persisted, so they survive a restart).
# FIX: a preview failed on a photo problem and its way forward is offered (fix the crop, use Other).
IDLE, ALBUM, STYLE, NAME, THEME, PREVIEWING, PREVIEW, CROP, PACKAGE, PAYING, BUILDING, FIX = (
    "idle",
    "album",
    "style",
    "name",
    "theme",
    "previewing",
    "preview",
    "crop",
    "package",
    "paying",
    "building",
    "fix",
)


@dataclass
class BotDeps:
    settings: Settings
    orders: OrderService  # the runtime's service
    checkout: OrderService  # the same, with Telegram's checkout (runtime.checkout("telegram"))
    preview_gif: Callable[[str], bytes | None]
    limits: Limits
    watchers: Watchers[int] = field(default_factory=Watchers)  # by order id, owner tg user
    seen_charges: set[str] = field(default_factory=set)
    style_sheet_file_id: str | None = None  # the examples image, once Telegram has it
    clock: Callable[[], float] = time.monotonic  # paces progress edits (a test may hold it still)
    boards: Boards | None = None  # chat leaderboards and launch links (runs_secret set)
    games: GameMessages | None = None  # which game each Telegram game message launches

    async def call(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """Run a blocking service call off the event loop."""
        return await asyncio.to_thread(fn, **kwargs)


def make_preview_reader(rt: Runtime) -> Callable[[str], bytes | None]:
    def read(order_id: str) -> bytes | None:
        return preview_gif_bytes(rt.db, rt.storage, order_id=order_id)

    return read


def deps(context: Context) -> BotDeps:
    return context.application.bot_data["deps"]  # type: ignore[no-any-return]


async def user_id(update: Update, context: Context) -> str:
    """Our user id for the Telegram user behind this update (created on first contact)."""
    data = context.user_data if context.user_data is not None else {}
    if "uid" not in data:
        tg = update.effective_user
        assert tg is not None
        user = await deps(context).call(
            deps(context).orders.get_or_create_user,
            provider="telegram",
            external_id=str(tg.id),
            display_name=tg.first_name or "",
        )
        data["uid"] = user.id
    return str(data["uid"])


def state(context: Context) -> str:
    return str((context.user_data or {}).get("state", IDLE))


def set_state(context: Context, value: str, **fields: Any) -> None:
    assert context.user_data is not None
    context.user_data["state"] = value
    context.user_data.update(fields)
