"""The Discord client: services in `setup_hook`, commands synced, one custom_id router.

    with open_runtime(settings, role="bot") as rt:
        asyncio.run(run_bot(settings, rt))          # `petpixel bot discord`

`point_at(settings)` aims discord.py at PETPIXEL_DISCORD_API_URL / _GATEWAY_URL (a proxy or a
test fake) and back at Discord when they are unset. Component presses (buttons, selects, modal
submits) are routed by their custom_id (ui.py), never by in-memory views, so every button keeps
working after a restart; order state comes from the database (flow.py). With Discord Premium
checkout (`discord_checkout`, `discord_skus`) purchases arrive as entitlements (premium.py):
over the gateway while online, and from Discord's list at start-up for those made meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bots.discord import texts, ui
from bots.discord.deps import BotDeps
from bots.discord.flow import Flow, FlowStore
from bots.discord.premium import Premium
from bots.discord.watch import resume_watchers, stop_watchers
from core.botstate import BotStateStore, preview_gif_bytes
from core.chatlimits import Limits
from core.config import Settings
from core.errors import InvalidRequest
from core.observability import bind_only, new_request_id
from runtime import Runtime, boards_for

log = logging.getLogger(__name__)
Interaction = discord.Interaction[Any]
OrderHandler = Callable[[Interaction, Flow, list[str]], Awaitable[None]]
Handler = Callable[[Interaction, list[str]], Awaitable[None]]
DISCORD_API = "https://discord.com/api/v10"
DISCORD_GATEWAY = "wss://gateway.discord.gg/"


class PetPixelBot(commands.Bot):
    """Slash commands plus a router for our components; no privileged intents needed."""

    def __init__(self, settings: Settings, deps: BotDeps) -> None:
        # The bot never joins voice: no "PyNaCl/davey is not installed" warnings at start-up.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents(guilds=True),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.settings, self.deps = settings, deps
        self.order_routes: dict[str, OrderHandler] = {}  # custom_id action -> handler(flow)
        self.routes: dict[str, Handler] = {}  # actions not tied to one order (e.g. delete)
        # One press at a time per order (a double click must not start two previews).
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.premium = Premium(self)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.tree.interaction_check = _bind_command_ids  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        """After login: cogs (server boards only with `runs_secret`), the command sync, the
        watchers from before a restart, and the Premium purchases made while the bot was offline."""
        from bots.discord.cogs.account import Account
        from bots.discord.cogs.boards import Boards
        from bots.discord.cogs.orders import Orders

        await self.add_cog(Orders(self))
        await self.add_cog(Account(self))
        if self.deps.boards is not None:  # /challenge and /leaderboard need runs_secret
            await self.add_cog(Boards(self))
        await self.sync_commands()
        await resume_watchers(self)
        try:
            await self.premium.reconcile()
        except Exception:  # never blocks start-up: the next start (or the gateway) settles them
            log.exception("settling Premium entitlements at start-up failed")

    async def sync_commands(self) -> None:
        """One bulk overwrite: to the dev server when PETPIXEL_DISCORD_GUILD_ID is set, else
        globally."""
        if self.settings.discord_guild_id:
            guild = discord.Object(self.settings.discord_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def close(self) -> None:
        await stop_watchers(self)  # their rows stay: the next start resumes them
        await super().close()

    async def on_entitlement_create(self, entitlement: discord.Entitlement) -> None:
        """A Premium purchase: pay the order waiting for it (premium.py)."""
        try:
            await self.premium.settle(entitlement, source="gateway")
        except Exception:  # left unconsumed: the next start's reconcile settles it
            log.exception("settling entitlement %s failed", entitlement.id)

    async def on_interaction(self, interaction: Interaction) -> None:
        """Route our component presses and modal submits by custom_id."""
        bind_ids()  # each event runs in its own task
        if interaction.type not in (
            discord.InteractionType.component,
            discord.InteractionType.modal_submit,
        ):
            return
        parsed = ui.parse(str(ui.raw(interaction).get("custom_id", "")))
        if parsed is None:
            return
        action, parts = parsed
        try:
            await self._route(interaction, action, parts)
        except Exception:
            log.exception("handling %s failed", action)
            await self._apologise(interaction)

    async def _route(self, interaction: Interaction, action: str, parts: list[str]) -> None:
        from bots.discord.cogs.orders import stale

        if action in self.routes:
            await self.routes[action](interaction, parts)
            return
        handler = self.order_routes.get(action)
        if handler is None or not parts:
            await stale(interaction)
            return
        lock = self._locks.setdefault(parts[0], asyncio.Lock())
        async with lock:
            flow = await self.deps.call(self.deps.flows.get, parts[0])
            if flow is None:
                await stale(interaction)
            elif flow.owner != interaction.user.id:
                await stale(interaction, texts.NOT_YOURS)
            else:
                await handler(interaction, flow, parts)

    async def on_app_command_error(
        self, interaction: Interaction, error: app_commands.AppCommandError
    ) -> None:
        log.error("slash command failed", exc_info=error)
        await self._apologise(interaction)

    @staticmethod
    async def _apologise(interaction: Interaction) -> None:
        with suppress(discord.HTTPException):
            if interaction.response.is_done():
                await interaction.followup.send(texts.SORRY, ephemeral=True)
            else:
                await interaction.response.send_message(texts.SORRY, ephemeral=True)


def point_at(settings: Settings) -> None:
    """Aim discord.py's REST and gateway at the configured URLs (Discord's own when unset).
    Both are class attributes, so this applies to every client in the process."""
    discord.http.Route.BASE = (settings.discord_api_url or DISCORD_API).rstrip("/")
    gateway = yarl.URL(settings.discord_gateway_url or DISCORD_GATEWAY)
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


def new_deps(settings: Settings, rt: Runtime) -> BotDeps:
    """Services over an open runtime; checkouts are Discord's (Premium, Stripe or free)."""
    limits = Limits(
        uploads_per_hour=settings.discord_uploads_per_hour,
        max_active=settings.discord_max_active_orders,
    )

    def preview_gif(order_id: str) -> bytes | None:
        return preview_gif_bytes(rt.db, rt.storage, order_id=order_id)

    flows = FlowStore(BotStateStore(rt.db))
    deps = BotDeps(settings, rt.orders, rt.checkout("discord"), preview_gif, limits, flows)
    deps.boards = boards_for(settings, rt.runs)
    return deps


def build_bot(settings: Settings, runtime: Runtime) -> PetPixelBot:
    """A configured bot over an open runtime (runtime.open_runtime)."""
    require_token(settings)
    point_at(settings)
    return PetPixelBot(settings, new_deps(settings, runtime))


def require_token(settings: Settings) -> str:
    if not settings.discord_token:
        raise InvalidRequest(
            "Set PETPIXEL_DISCORD_TOKEN to your bot's token from the Discord developer portal.",
            code="discord_token_missing",
        )
    return settings.discord_token


@asynccontextmanager
async def running(settings: Settings, runtime: Runtime) -> AsyncIterator[PetPixelBot]:
    """Log in (commands synced, watchers resumed), connect the gateway in the background, and
    close everything when the block ends."""
    bot = build_bot(settings, runtime)
    try:
        await bot.login(require_token(settings))
        connection = asyncio.create_task(bot.connect(reconnect=True), name="discord-gateway")
        try:
            yield bot
        finally:
            await bot.close()
            with suppress(Exception, asyncio.CancelledError):
                await connection
    finally:
        if not bot.is_closed():
            await bot.close()


async def run_bot(settings: Settings, runtime: Runtime) -> None:
    """`petpixel bot discord`: run until the connection ends or Ctrl+C."""
    bot = build_bot(settings, runtime)
    async with bot:
        await bot.start(require_token(settings))


def bind_ids() -> None:
    """A new request id for this interaction's log lines and the tasks it sends."""
    bind_only({"request_id": new_request_id(), "channel": "discord"})


async def _bind_command_ids(_interaction: Interaction) -> bool:
    """The command tree's check before each slash command (in the task that runs it)."""
    bind_ids()
    return True
