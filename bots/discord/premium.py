"""Discord Premium purchases, the Discord half: read entitlements, consume them, tell the buyer.

Discord reports a purchase as an entitlement, over the gateway (ENTITLEMENT_CREATE) while the bot
is online and in the entitlement list (GET /applications/{id}/entitlements) at any time, so
`reconcile` at start-up settles what was bought while the bot was away. What a purchase pays, and
what is remembered about it, is decided in core (`core.payments.discord_premium.PremiumLedger`);
here each entitlement becomes a `Purchase`, is consumed in Discord when the ledger says it paid
an order, and the buyer gets a DM when a purchase that matched nothing is kept for them
(`use_credit` spends it on their next order for that package).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from bots.discord import texts
from core.payments.discord_premium import PAID, PremiumLedger, Purchase, premium_skus

if TYPE_CHECKING:
    from bots.discord.bot import PetPixelBot

log = logging.getLogger(__name__)


class Premium:
    """Settles entitlements one at a time (the gateway and start-up may report the same one)."""

    def __init__(self, bot: PetPixelBot) -> None:
        self.bot, self.deps = bot, bot.deps
        self.ledger = PremiumLedger(bot.deps.settings, bot.deps.orders)
        self._lock = asyncio.Lock()

    async def settle(self, entitlement: discord.Entitlement, *, source: str) -> str:
        """Pay the matching order and consume `entitlement`; returns "paid", "duplicate" (seen
        and consumed before) or "unmatched" (left unconsumed)."""
        async with self._lock:
            return await self._settle(entitlement, source)

    async def reconcile(self) -> int:
        """Settle every unconsumed entitlement for our SKUs (bought while the bot was offline);
        returns how many orders it paid."""
        skus = premium_skus(self.deps.settings)
        if not skus:
            return 0
        paid = 0
        async for entitlement in self.bot.entitlements(
            limit=None, skus=[discord.Object(s) for s in skus],
            exclude_ended=True, exclude_deleted=True,
        ):  # fmt: skip
            if entitlement.consumed or entitlement.deleted:
                continue
            try:
                paid += await self.settle(entitlement, source="startup") == PAID
            except Exception:  # the others still get settled; the next start tries it again
                log.exception("settling entitlement %s failed", entitlement.id)
        return paid

    async def use_credit(self, owner: int, package: str) -> bool:
        """Pay the order just set awaiting payment for `package` with a purchase `owner` made
        earlier that matched nothing (kept unconsumed for this); True when one was used."""
        sku = self.deps.settings.discord_skus.get(package)
        if sku is None:
            return False
        async for entitlement in self.bot.entitlements(
            limit=None, user=discord.Object(owner), skus=[discord.Object(sku)],
            exclude_ended=True, exclude_deleted=True,
        ):  # fmt: skip
            if not entitlement.consumed and not entitlement.deleted:
                return await self.settle(entitlement, source="credit") == PAID
        return False

    async def _settle(self, ent: discord.Entitlement, source: str) -> str:
        purchase = Purchase(id=ent.id, sku_id=ent.sku_id, user_id=ent.user_id,
                            consumed=ent.consumed)  # fmt: skip
        settled = await self.deps.call(self.ledger.settle, purchase, source=source)
        if settled.tell_saved and ent.user_id is not None:
            await self._tell_saved(ent.user_id)
        if settled.result != PAID:
            return settled.result
        try:
            await ent.consume()
        except discord.NotFound:
            log.warning("entitlement %s was already gone when consumed", ent.id)
        except discord.HTTPException:
            log.warning("consuming entitlement %s failed; the next start retries", ent.id,
                        exc_info=True)  # fmt: skip
            return PAID
        await self.deps.call(self.ledger.consumed, purchase, settled, source=source)
        return PAID

    async def _tell_saved(self, user_id: int) -> None:
        """Say once, by DM, that the purchase is kept for the buyer's next game."""
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))
            await channel.send(texts.PREMIUM_SAVED)
        except discord.HTTPException:
            log.warning("could not tell user %s that their purchase is saved", user_id)
