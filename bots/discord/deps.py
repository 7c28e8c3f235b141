"""What every command and component needs: settings, order services, limits, state, watchers.

Built once in bot.py and kept on the bot (`bot.deps`); nothing here lives only in memory except
the running watcher tasks and the per-hour upload counts.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import discord

from bots.discord.flow import FlowStore
from core.chatlimits import Limits
from core.config import Settings
from core.orders.service import OrderService
from core.orders.watching import Watchers
from core.runs.boards import Boards

T = TypeVar("T")
PROVIDER = "discord"  # the identity provider whose external id is the Discord user id


@dataclass
class BotDeps:
    settings: Settings
    orders: OrderService  # the runtime's service (its payments follow the settings)
    checkout: OrderService  # same database, with Stripe links marked channel="discord"
    preview_gif: Callable[[str], bytes | None]
    limits: Limits
    flows: FlowStore
    # By order id, owner the Discord user; `watchers.active_count` is what counts against
    # `max_active` (a watcher waiting for a payment does not).
    watchers: Watchers[int] = field(default_factory=Watchers)
    clock: Callable[[], float] = time.monotonic  # paces progress edits (a test may hold it still)
    boards: Boards | None = None  # server leaderboards and launch links (runs_secret set)

    async def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a blocking core call off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def user_id(self, user: discord.abc.User) -> str:
        """Our user id for a Discord user (created on first contact)."""
        view = await self.call(
            self.orders.get_or_create_user,
            provider=PROVIDER,
            external_id=str(user.id),
            display_name=user.display_name,
        )
        return view.id
