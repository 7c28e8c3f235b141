"""Background watchers: poll an order's status, edit its progress message, deliver the result.

Jobs run in workers (or the embedded worker); the bot never waits on them inside a handler. Each
watcher is an asyncio task (in `deps.watchers`); what it watches is also kept in
user_data["watch"] (persisted), so `resume_watchers` picks every one up again after a restart.
When an order is finished and what the progress says come from core.orders.watching; this module
renders them as Telegram messages.
"""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import Application

from bots.telegram import keyboards, texts
from bots.telegram.deps import BUILDING, FIX, IDLE, PACKAGE, PREVIEW, BotDeps
from bots.telegram.progress import ProgressMessage
from core.observability import bind_only, carried
from core.orders.choices import guessed_line, next_steps
from core.orders.schemas import OrderStatusView
from core.orders.watching import Outcome, outcome, shown_progress
from core.payments.telegram_stars import record_refund, refund_due

log = logging.getLogger(__name__)
App = Application[Any, Any, Any, Any, Any, Any]


def _deps(app: App) -> BotDeps:
    return app.bot_data["deps"]  # type: ignore[no-any-return]


def start_watch(
    app: App,
    *,
    tg_user: int,
    chat_id: int,
    order_id: str,
    kind: str,
    message_id: int,
    text: str | None = None,
) -> None:
    """Watch `order_id` until its preview (kind "preview") or game (kind "build") is done."""
    watch = {"order_id": order_id, "kind": kind, "chat_id": chat_id, "message_id": message_id}
    app.user_data[tg_user]["watch"] = watch
    app.mark_data_for_update_persistence(user_ids=tg_user)
    # A plain task, not app.create_task: Application.stop() waits for those, and a build can take
    # minutes. stop_watchers() cancels these instead; the persisted "watch" resumes them later.
    task = asyncio.get_running_loop().create_task(
        _guarded(app, tg_user, watch, text), name=f"{tg_user}:{order_id}"
    )
    _deps(app).watchers.add(order_id, tg_user, task)  # cancels a watcher it replaces


async def stop_watchers(app: App, owner: int | None = None) -> None:
    """Cancel the watchers (all before the Application stops: they resume on the next start; or
    one user's, whose orders are about to go)."""
    tasks = _deps(app).watchers.tasks(owner)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def _guarded(app: App, tg_user: int, watch: dict[str, Any], text: str | None) -> None:
    bind_only({**carried(), "order_id": watch["order_id"], "channel": "telegram"})  # its own task
    try:
        await _watch(app, tg_user, watch, text)
    except asyncio.CancelledError:
        raise
    except Exception:
        # Log and apologise; the order itself is safe in the database (/start order_<token>).
        log.exception("watching order %s failed", watch["order_id"])
        app.user_data[tg_user].pop("watch", None)
        await app.bot.send_message(watch["chat_id"], texts.SORRY)


def resume_watchers(app: App) -> int:
    """Restart the watchers persisted in user_data; returns how many."""
    count = 0
    for tg_user, data in list(app.user_data.items()):
        watch = data.get("watch")
        if watch:
            start_watch(app, tg_user=tg_user, **watch)
            count += 1
    return count


async def _watch(app: App, tg_user: int, watch: dict[str, Any], text: str | None) -> None:
    d = _deps(app)
    order_id, kind = watch["order_id"], watch["kind"]
    progress = ProgressMessage(
        app.bot,
        watch["chat_id"],
        watch["message_id"],
        text=text,
        min_interval=d.settings.telegram_edit_interval_s,
        clock=d.clock,
    )
    order = await d.call(d.orders.get_order, order_id=order_id)
    name = texts.esc(order.choices.pet_name)
    template = texts.PREVIEW_WAIT if kind == "preview" else texts.BUILD_WAIT
    while True:
        st = await d.call(d.orders.status, order_id=order_id)
        now = outcome(kind, st)
        d.watchers.seen(order_id, now)  # finished or awaiting payment: no longer in progress
        if now.finished:
            await _deliver(app, tg_user, watch, st, now, progress, name)
            break
        if kind == "build":
            app.user_data[tg_user]["state"] = BUILDING
        percent, label = shown_progress(kind, st)
        await progress.update(template.format(name=name, percent=percent, label=texts.esc(label)))
        await asyncio.sleep(d.settings.telegram_poll_interval_s)
    app.user_data[tg_user].pop("watch", None)
    app.mark_data_for_update_persistence(user_ids=tg_user)


async def _deliver(
    app: App,
    tg_user: int,
    watch: dict[str, Any],
    st: OrderStatusView,
    now: Outcome,
    progress: ProgressMessage,
    name: str,
) -> None:
    """Tell the user how the job ended and offer what comes next."""
    chat_id, data = watch["chat_id"], app.user_data[tg_user]
    if now is Outcome.FAILED:
        await _send_failure(app, chat_id, data, watch["kind"], st)
        if st.refund_due:
            await refund(app, tg_user, st.order_id)
    elif now is Outcome.PREVIEW_READY:
        data["state"] = PREVIEW  # before the buttons appear: a quick tap must find it set
        await progress.update(texts.PREVIEW_DONE, final=True)
        await send_preview(app, chat_id, st, name, data.get("style", ""))
    elif now is Outcome.CHECKOUT_ENDED:
        # The order went back to its preview: offer the packages again right here.
        data["state"] = PACKAGE
        await progress.update(texts.CHECKOUT_ENDED, final=True)
        await app.bot.send_message(
            chat_id, texts.ASK_PACKAGE, reply_markup=keyboards.package_offer(_deps(app).settings)
        )
    elif now is Outcome.GAME_READY:
        data["state"] = IDLE
        await progress.update(texts.BUILD_DONE, final=True)
        await send_game(app, chat_id, st, name)


async def _send_failure(
    app: App, chat_id: int, data: dict[str, Any], kind: str, st: OrderStatusView
) -> None:
    """Say why; after a photo problem, offer its way forward (fix the crop, use Other)."""
    markup = keyboards.fixes(next_steps(st.error_code)) if kind == "preview" else None
    # A new photo is welcome as soon as the user reads why (in FIX too: photos start afresh).
    data["state"] = FIX if markup else IDLE
    template = texts.PREVIEW_FAILED if kind == "preview" else texts.BUILD_FAILED
    if markup:
        template = texts.PREVIEW_FAILED_FIX
    reason = texts.esc(st.error_message or texts.SORRY)
    await app.bot.send_message(
        chat_id, template.format(reason=reason), parse_mode=ParseMode.HTML, reply_markup=markup
    )


def preview_caption(st: OrderStatusView, name: str, style: str) -> str:
    """The preview's caption, with "Looks like a cat to me…" when the detector chose."""
    caption = texts.PREVIEW_CAPTION.format(name=name, style=texts.esc(style))
    guess = guessed_line(st.species, st.species_guessed)
    return f"{caption}\n{texts.esc(guess)}" if guess else caption


async def send_preview(app: App, chat_id: int, st: OrderStatusView, name: str, style: str) -> None:
    gif = await _deps(app).call(_deps(app).preview_gif, order_id=st.order_id)
    await app.bot.send_animation(
        chat_id,
        gif or b"",
        caption=preview_caption(st, name, style),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.preview(st.species),
        filename="preview.gif",
    )


async def send_game(app: App, chat_id: int, st: OrderStatusView, name: str) -> None:
    url = st.links.game or ""
    caption = texts.GAME_READY.format(name=name, url=texts.esc(url))
    markup = (
        # `name` is escaped for HTML; the share text goes into a URL, so it takes the plain name.
        keyboards.game(url, texts.SHARE_TEXT.format(name=html.unescape(name)), _challenge(app, st))
        if url.startswith("http")
        else None
    )
    gif = await _deps(app).call(_deps(app).preview_gif, order_id=st.order_id)
    if gif:
        await app.bot.send_animation(
            chat_id,
            gif,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            filename="preview.gif",
        )
    else:
        await app.bot.send_message(chat_id, caption, parse_mode=ParseMode.HTML, reply_markup=markup)


def _challenge(app: App, st: OrderStatusView) -> str | None:
    """The game code for Challenge a group, when games in chats are switched on."""
    d = _deps(app)
    return st.links.game_code if d.boards and d.settings.telegram_game_short_name else None


async def refund(app: App, tg_user: int, order_id: str) -> None:
    """Give Stars back for a paid build that finally failed (once per order: core's refund
    guard, core.payments.refunds)."""
    d = _deps(app)
    order = await d.call(d.orders.get_order, order_id=order_id)
    charge = await d.call(refund_due, db=d.orders.db, order=order)
    if charge is None:
        return  # not a Stars payment (Stripe refunds happen in core), or refunded before
    await app.bot.refund_star_payment(tg_user, charge)
    if await d.call(record_refund, db=d.orders.db, order=order):
        await app.bot.send_message(tg_user, texts.PAYMENT_REFUNDED.format(stars=order.amount))
