"""Progress watchers: poll an order's status, edit ONE progress message, deliver the result.

Jobs run in workers (or the embedded worker); the bot never waits on them inside a handler. Each
watcher is an asyncio task, and what it watches is also a row in the database (flow.Watch), so
`resume_watchers` picks every one up again after a restart.

Where it talks (`Surface`): the interaction's webhook (ephemeral follow-ups) while the token is
young; interaction tokens die after 15 minutes, so past `discord_token_ttl_s` it moves to a DM
with the user and keeps editing a message there.

When an order is finished, what the progress says and which watchers count as creations in
progress come from core.orders.watching; this module renders them on Discord.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
from typing import TYPE_CHECKING, Any

import discord

from bots.discord import texts, ui
from bots.discord.flow import DONE, FIX, PACKAGE, PREVIEW, Watch
from core.observability import bind_only, carried
from core.orders.choices import guessed_line, next_steps
from core.orders.schemas import OrderStatusView
from core.orders.watching import EditThrottle, Outcome, outcome, shown_progress
from core.payments.discord_premium import refer_refund

if TYPE_CHECKING:
    from bots.discord.bot import PetPixelBot

log = logging.getLogger(__name__)


class Surface:
    """Sends and edits the watcher's messages: by interaction webhook, then by DM."""

    def __init__(self, bot: PetPixelBot, watch: Watch) -> None:
        self.bot, self.watch = bot, watch

    def _webhook(self) -> discord.Webhook | None:
        w, ttl = self.watch, self.bot.settings.discord_token_ttl_s
        if w.token is None or time.time() - w.born > ttl:
            return None
        # The follow-up webhook of an interaction, as Interaction.followup builds it.
        data = {"id": w.app_id, "type": 3, "token": w.token}
        return discord.Webhook.from_state(data=data, state=self.bot._connection)  # type: ignore[arg-type]

    async def _dm(self) -> discord.DMChannel:
        if self.watch.channel_id is None:
            channel = await self.bot.create_dm(discord.Object(self.watch.owner))
            self.watch.token, self.watch.channel_id = None, channel.id
            await self.bot.deps.call(self.bot.deps.flows.put_watch, self.watch)
            return channel
        return self.bot.get_partial_messageable(  # type: ignore[return-value]
            self.watch.channel_id, type=discord.ChannelType.private
        )

    async def send(
        self, content: str, *, view: discord.ui.View | None = None, gif: bytes | None = None
    ) -> int:
        """Post a new message; returns its id."""
        hook = self._webhook()
        if hook is not None:
            try:
                msg = await hook.send(content, ephemeral=True, wait=True, **_extras(view, gif))
                return msg.id
            except discord.NotFound:  # the token died early: carry on by DM
                self.watch.token = None
        channel = await self._dm()
        sent = await channel.send(content, **_extras(view, gif))
        return sent.id

    async def edit(self, message_id: int, content: str) -> int:
        """Edit one of our messages; a message we can no longer reach is replaced by a DM.
        Returns the id of the message that now shows `content`."""
        hook = self._webhook()
        if hook is not None:
            try:
                await hook.edit_message(message_id, content=content)
                return message_id
            except discord.NotFound:
                self.watch.token = None
        if self.watch.channel_id is None:  # first time over the age limit: move to a DM
            return await self.send(f"{texts.MOVED_TO_DM}\n{content}")
        channel = await self._dm()
        await channel.get_partial_message(message_id).edit(content=content)
        return message_id


def _extras(view: discord.ui.View | None, gif: bytes | None) -> dict[str, Any]:
    """send() keyword arguments: a fresh File each time (a File is spent once it is sent)."""
    extra: dict[str, Any] = {"view": view} if view else {}
    if gif:
        extra["file"] = discord.File(io.BytesIO(gif), "preview.gif")
    return extra


class ProgressMessage:
    """One progress message, edited through the surface when the throttle allows it."""

    def __init__(self, bot: PetPixelBot, surface: Surface, *, text: str | None) -> None:
        self.bot, self.surface = bot, surface
        self.throttle = EditThrottle(
            text=text, min_interval=bot.settings.discord_edit_interval_s, clock=bot.deps.clock
        )

    async def update(self, text: str, *, final: bool = False) -> bool:
        """Show `text`; `final` edits even inside the interval. True when an edit was sent."""
        watch = self.surface.watch
        if watch.message_id is None or not self.throttle.allows(text, final=final):
            return False
        try:
            new_id = await self.surface.edit(watch.message_id, text)
        except discord.HTTPException:
            log.warning("progress edit failed; the next update will try again", exc_info=True)
            return False
        if new_id != watch.message_id:
            watch.message_id = new_id
            await self.bot.deps.call(self.bot.deps.flows.put_watch, watch)
        self.throttle.shown(text)
        return True


def start_watch(
    bot: PetPixelBot, watch: Watch, text: str | None = None, *, persist: bool = False
) -> None:
    """Watch an order until its preview (kind "preview") or game (kind "build") is done; it
    counts as a creation in progress from this moment. `persist` first saves the watch (inside
    the task, so its final delete always comes after) for `resume_watchers` after a restart."""
    if bot.is_closed():
        return  # shutting down: the persisted row resumes it on the next start
    task = asyncio.get_running_loop().create_task(
        _guarded(bot, watch, text, persist), name=watch.order_id
    )
    bot.deps.watchers.add(watch.order_id, watch.owner, task)  # cancels a watcher it replaces


def begin(bot: PetPixelBot, watch: Watch, text: str) -> None:
    """Start watching a job the user just asked for (saved, so a restart resumes it)."""
    start_watch(bot, watch, text, persist=True)


async def stop_watchers(bot: PetPixelBot, owner: int | None = None) -> None:
    """Cancel the watchers (all, or one user's); the persisted rows resume them on next start."""
    tasks = bot.deps.watchers.tasks(owner)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def resume_watchers(bot: PetPixelBot) -> int:
    """Restart every watcher found in the database; returns how many."""
    watches = await bot.deps.call(bot.deps.flows.watches)
    for watch in watches:
        start_watch(bot, watch)
    return len(watches)


async def _guarded(bot: PetPixelBot, watch: Watch, text: str | None, persist: bool) -> None:
    bind_only({**carried(), "order_id": watch.order_id, "channel": "discord"})  # its own task
    try:
        if persist:
            await bot.deps.call(bot.deps.flows.put_watch, watch)
        await _watch(bot, watch, text)
    except asyncio.CancelledError:
        raise
    except Exception:
        if bot.is_closed():
            return  # the bot stopped under us: the persisted row resumes it on the next start
        # Log and apologise; the order itself is safe in the database (/mygames lists games).
        log.exception("watching order %s failed", watch.order_id)
        await bot.deps.call(bot.deps.flows.drop_watch, watch.order_id)
        try:
            await Surface(bot, watch).send(texts.SORRY)
        except discord.HTTPException:
            log.warning("could not tell user %s about it", watch.owner)


async def _watch(bot: PetPixelBot, watch: Watch, text: str | None) -> None:
    d = bot.deps
    surface = Surface(bot, watch)
    progress = ProgressMessage(bot, surface, text=text)
    order = await d.call(d.orders.get_order, order_id=watch.order_id)
    name = texts.esc(order.choices.pet_name)
    template = texts.PREVIEW_WAIT if watch.kind == "preview" else texts.BUILD_WAIT
    while True:
        st = await d.call(d.orders.status, order_id=watch.order_id)
        now = outcome(watch.kind, st)
        d.watchers.seen(watch.order_id, now)  # finished or awaiting payment: a new photo is welcome
        if now.finished:
            await _deliver(bot, watch, st, now, progress, name)
            break
        percent, label = shown_progress(watch.kind, st)
        await progress.update(template.format(name=name, percent=percent, label=texts.esc(label)))
        await asyncio.sleep(d.settings.discord_poll_interval_s)
    await d.call(d.flows.drop_watch, watch.order_id)


async def _set_step(bot: PetPixelBot, order_id: str, step: str) -> str:
    """Move the order's conversation to `step` (saved before any button shows); returns the
    style chosen so far, for captions."""
    flow = await bot.deps.call(bot.deps.flows.get, order_id)
    if flow is None:  # deleted meanwhile (/delete): nothing to move
        return ""
    flow.step = step
    await bot.deps.call(bot.deps.flows.put, flow)
    return flow.style or ""


async def _deliver(
    bot: PetPixelBot,
    watch: Watch,
    st: OrderStatusView,
    now: Outcome,
    progress: ProgressMessage,
    name: str,
) -> None:
    """Tell the user how the job ended and offer what comes next."""
    surface, order_id = progress.surface, watch.order_id
    if now is Outcome.FAILED:
        await _failed(bot, watch, st, progress)
    elif now is Outcome.PREVIEW_READY:
        style = await _set_step(bot, order_id, PREVIEW)  # before the buttons: a quick press works
        await progress.update(texts.PREVIEW_DONE, final=True)
        gif = await bot.deps.call(bot.deps.preview_gif, order_id)
        caption = preview_caption(st, name, style)
        await surface.send(caption, view=ui.preview_buttons(order_id, st.species), gif=gif)
    elif now is Outcome.CHECKOUT_ENDED:
        # The order went back to its preview: offer the packages again right here.
        style = await _set_step(bot, order_id, PACKAGE)
        await progress.update(texts.CHECKOUT_ENDED, final=True)
        content = texts.ASK_PACKAGE.format(name=name, style=texts.style_label(style))
        await surface.send(content, view=ui.package_buttons(order_id, bot.settings))
    elif now is Outcome.GAME_READY:
        await _set_step(bot, order_id, DONE)
        await progress.update(texts.BUILD_DONE, final=True)
        await _send_game(bot, surface, st, name)


async def _failed(
    bot: PetPixelBot, watch: Watch, st: OrderStatusView, progress: ProgressMessage
) -> None:
    """Say why; after a photo problem, offer its way forward (fix the crop, use Other)."""
    fixes = ui.fix_buttons(watch.order_id, next_steps(st.error_code))
    fixes = fixes if watch.kind == "preview" else None
    await _set_step(bot, watch.order_id, FIX if fixes else DONE)  # a new /pixelpet is welcome
    reason = texts.esc(st.error_message or texts.SORRY)
    text = (texts.PREVIEW_FAILED if watch.kind == "preview" else texts.BUILD_FAILED).format(
        reason=reason
    )
    if fixes:
        text = reason
    if watch.kind == "build" and st.refund_due:
        note = await _refund_note(bot, watch.order_id)
        text += f"\n{note}" if note else ""
    if not await progress.update(text, final=True):  # the progress message says why...
        await progress.surface.send(text)  # ...or, where it cannot be edited, a new message
    if fixes:
        await progress.surface.send(texts.FIX_ASK, view=fixes)


def preview_caption(st: OrderStatusView, name: str, style: str) -> str:
    """The preview's caption, with "Looks like a cat to me…" when the detector chose."""
    caption = texts.PREVIEW_CAPTION.format(name=name, style=texts.style_label(style))
    guess = guessed_line(st.species, st.species_guessed)
    return f"{caption}\n{guess}" if guess else caption


async def _refund_note(bot: PetPixelBot, order_id: str) -> str:
    """Who refunds a paid build that failed: Discord for Premium purchases (there is no refund
    API; core records the referral once, with the one refund guard), else nothing to say here."""
    d = bot.deps
    order = await d.call(d.orders.get_order, order_id=order_id)
    if await d.call(refer_refund, db=d.orders.db, order=order):
        return texts.PREMIUM_REFUND.format(order=order_id)
    return ""


async def _send_game(bot: PetPixelBot, surface: Surface, st: OrderStatusView, name: str) -> None:
    """The game link as text and as a Play button, with Challenge (post it for a server to beat),
    on the preview GIF when there is one."""
    url = st.links.game or ""
    gif = await bot.deps.call(bot.deps.preview_gif, st.order_id)
    view = ui.game_buttons(url, st.links.game_code if bot.deps.boards else None)
    await surface.send(texts.GAME_READY.format(name=name, url=url), view=view, gif=gif)
