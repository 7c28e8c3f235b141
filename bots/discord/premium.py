"""Discord Premium purchases: match each entitlement to an order, mark it paid once, consume it.

Discord reports a purchase as an entitlement (user, SKU), over the gateway (ENTITLEMENT_CREATE)
while the bot is online and in the entitlement list (GET /applications/{id}/entitlements) at any
time, so `reconcile` at start-up settles what was bought while the bot was away. An entitlement
pays the user's newest order awaiting payment for the SKU's package: `mark_paid` (event id = the
entitlement id, so a repeat changes nothing), then `consume`, then an event. One that matches no
waiting order stays unconsumed (the purchase is not lost), is logged and recorded once, and the
buyer is told by DM that it is saved: `use_credit` spends it on their next order for that package.
What happened to each one is a `core.botstate` row (flow.FlowStore.entitlement).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import discord

from bots.discord import texts
from bots.discord.deps import PROVIDER as IDENTITY
from core.errors import PetPixelError
from core.orders.lifecycle import OrderStatus
from core.orders.packages import game_packages
from core.payments_discord import PROVIDER, package_for_sku, payment_ref

if TYPE_CHECKING:
    from bots.discord.bot import PetPixelBot

log = logging.getLogger(__name__)
PAID, DUPLICATE, UNMATCHED = "paid", "duplicate", "unmatched"


class Premium:
    """Settles entitlements one at a time (the gateway and start-up may report the same one)."""

    def __init__(self, bot: PetPixelBot) -> None:
        self.bot, self.deps = bot, bot.deps
        self._lock = asyncio.Lock()

    async def settle(self, entitlement: discord.Entitlement, *, source: str) -> str:
        """Pay the matching order and consume `entitlement`; returns "paid", "duplicate" (seen
        and consumed before) or "unmatched" (left unconsumed)."""
        async with self._lock:
            return await self._settle(entitlement, source)

    async def reconcile(self) -> int:
        """Settle every unconsumed entitlement for our SKUs (bought while the bot was offline);
        returns how many orders it paid."""
        skus = sorted(set(self.deps.settings.discord_skus.values()))
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
        d = self.deps
        seen = await d.call(d.flows.entitlement, ent.id) or {}
        if seen.get("consumed") or ent.consumed:
            return DUPLICATE
        package = package_for_sku(d.settings, ent.sku_id)
        order_id: str | None = seen.get("order_id") or await self._waiting_order(ent, package)
        if order_id is None or package is None:
            return await self._unmatched(ent, package, seen, "no_waiting_order", source)
        offer = game_packages(d.settings)[package]
        ref = payment_ref(ent.id)
        try:
            result = await d.call(
                d.orders.mark_paid, order_id=order_id, payment_ref=ref, amount=offer.amount,
                currency=offer.currency, provider=PROVIDER, event_id=str(ent.id),
            )  # fmt: skip
        except PetPixelError:
            log.warning("entitlement %s: order %s cannot be paid", ent.id, order_id, exc_info=True)
            return await self._unmatched(ent, package, seen, "order_not_payable", source)
        if not result.changed and result.payment_ref != ref:
            return await self._unmatched(ent, package, seen, "order_paid_otherwise", source)
        # Saved before consuming: should consuming fail, the next start retries only that.
        await d.call(d.flows.put_entitlement, ent.id, {"order_id": order_id, "consumed": False})
        try:
            await ent.consume()
        except discord.NotFound:
            log.warning("entitlement %s was already gone when consumed", ent.id)
        except discord.HTTPException:
            log.warning("consuming entitlement %s failed; the next start retries", ent.id,
                        exc_info=True)  # fmt: skip
            return PAID
        await d.call(d.flows.put_entitlement, ent.id, {"order_id": order_id, "consumed": True})
        await self._record("discord.entitlement_consumed", ent, package, order_id, source)
        log.info("entitlement %s paid order %s (%s)", ent.id, order_id, source)
        return PAID

    async def _waiting_order(self, ent: discord.Entitlement, package: str | None) -> str | None:
        """The buyer's newest order awaiting payment for `package`, if any."""
        if package is None or ent.user_id is None:
            return None
        d = self.deps
        user = await d.call(d.orders.get_or_create_user, provider=IDENTITY,
                            external_id=str(ent.user_id))  # fmt: skip
        orders = await d.call(d.orders.list_orders, user_id=user.id)  # newest first
        for order in orders:
            if order.status == OrderStatus.AWAITING_PAYMENT and order.package == package:
                return order.id
        return None

    async def _unmatched(
        self,
        ent: discord.Entitlement,
        package: str | None,
        seen: dict[str, Any],
        reason: str,
        source: str,
    ) -> str:
        """Leave it unconsumed (the purchase stays on the user's account) and say so once."""
        log.warning("entitlement %s (user %s, SKU %s) matches no waiting order: %s; left "
                    "unconsumed", ent.id, ent.user_id, ent.sku_id, reason)  # fmt: skip
        if not seen.get("unmatched"):
            d = self.deps
            await d.call(d.flows.put_entitlement, ent.id,
                         {"order_id": None, "consumed": False, "unmatched": True})  # fmt: skip
            await self._record("discord.entitlement_unmatched", ent, package, None, source,
                               reason=reason)  # fmt: skip
            if reason == "no_waiting_order" and package is not None and ent.user_id is not None:
                await self._tell_saved(ent.user_id)  # (a second payment for one order is
                # flagged for refund by mark_paid's payment.duplicate event instead)
        return UNMATCHED

    async def _tell_saved(self, user_id: int) -> None:
        """Say once, by DM, that the purchase is kept for the buyer's next game."""
        try:
            channel = await self.bot.create_dm(discord.Object(user_id))
            await channel.send(texts.PREMIUM_SAVED)
        except discord.HTTPException:
            log.warning("could not tell user %s that their purchase is saved", user_id)

    async def _record(
        self,
        kind: str,
        ent: discord.Entitlement,
        package: str | None,
        order_id: str | None,
        source: str,
        **extra: str,
    ) -> None:
        data = {"entitlement_id": str(ent.id), "sku_id": str(ent.sku_id), "package": package,
                "source": source, **extra}  # fmt: skip
        await self.deps.call(self.deps.orders.record_event, type=kind, data=data,
                             order_id=order_id)  # fmt: skip
