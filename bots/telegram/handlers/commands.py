"""Commands: /start (with deep links), /help, /new, /mygames, /cancel, /privacy, /delete."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bots.telegram import keyboards, texts
from bots.telegram.deps import IDLE, Context, deps, set_state, user_id
from bots.telegram.watch import start_watch, stop_watchers
from core.orders.lifecycle import OrderStatus

RESUMABLE = {OrderStatus.DRAFT: "preview", OrderStatus.PAID: "build", OrderStatus.BUILDING: "build"}


async def reply(update: Update, text: str, **kwargs: object) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML, **kwargs)  # type: ignore[arg-type]


async def start(update: Update, context: Context) -> None:
    """Greet; `order_<token>` resumes an order, `ref_<code>` records who referred the user."""
    uid = await user_id(update, context)
    arg = context.args[0] if context.args else ""
    if arg.startswith("order_"):
        await _resume(update, context, uid, arg.removeprefix("order_"))
        return
    if arg.startswith("ref_"):
        code = arg.removeprefix("ref_")[:32]
        await deps(context).call(
            deps(context).orders.record_event,
            type="telegram.referral",
            data={"code": code},
            user_id=uid,
        )
        await reply(update, texts.REFERRAL_THANKS)
    set_state(context, IDLE)
    await reply(update, texts.WELCOME)


async def _resume(update: Update, context: Context, uid: str, token: str) -> None:
    d = deps(context)
    orders = await d.call(d.orders.list_orders, user_id=uid)
    order = next((o for o in orders if o.token == token), None)
    if order is None:
        await reply(update, texts.RESUME_UNKNOWN)
        return
    context.user_data.update(order_id=order.id, style=order.choices.style)  # type: ignore[union-attr]
    st = await d.call(d.orders.status, order_id=order.id)
    kind = RESUMABLE.get(st.status, "build" if st.status == OrderStatus.READY else "preview")
    assert update.effective_chat is not None
    assert update.effective_user is not None
    msg = await update.effective_chat.send_message(texts.RESUMED)
    start_watch(
        context.application,
        tg_user=update.effective_user.id,
        chat_id=update.effective_chat.id,
        order_id=order.id,
        kind=kind,
        message_id=msg.message_id,
        text=texts.RESUMED,
    )


async def help_command(update: Update, _context: Context) -> None:
    """Explain the steps and the commands."""
    await reply(update, texts.HELP)


async def privacy(update: Update, _context: Context) -> None:
    """Say what we keep and how to delete it."""
    await reply(update, texts.PRIVACY)


async def new(update: Update, context: Context) -> None:
    """Forget the order in progress and ask for a new photo."""
    set_state(context, IDLE, order_id=None, album=None)
    await reply(update, texts.NEW)


async def cancel(update: Update, context: Context) -> None:
    """Stop the current conversation (a running job still finishes and stays in /mygames)."""
    set_state(context, IDLE, order_id=None, album=None)
    await reply(update, texts.CANCELLED)


async def my_games(update: Update, context: Context) -> None:
    """List the user's games with links, plays and best score."""
    uid = await user_id(update, context)
    games = await deps(context).call(deps(context).orders.list_games, user_id=uid)
    if not games:
        await reply(update, texts.NO_GAMES)
        return
    lines = [texts.GAMES_HEADER]
    for g in games:
        name = texts.esc(str(g.config.get("pet_name") or g.meta.get("pet_name") or g.code))
        best = g.meta.get("best_score", "–")
        lines.append(
            texts.GAME_LINE.format(url=texts.esc(g.url), name=name, views=g.views, best=best)
        )
    await reply(update, "\n".join(lines), disable_web_page_preview=True)


async def delete(update: Update, _context: Context) -> None:
    """Ask before deleting everything."""
    await reply(update, texts.DELETE_CONFIRM, reply_markup=keyboards.confirm_delete())


async def delete_answer(update: Update, context: Context) -> None:
    """Delete the user's photos and games after a yes."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if query.data != keyboards.data(keyboards.DELETE, "yes"):
        await query.edit_message_text(texts.DELETE_KEPT)
        return
    uid = await user_id(update, context)
    assert update.effective_user is not None
    # A watcher of an order about to go would find it gone and apologise for an error.
    await stop_watchers(context.application, owner=update.effective_user.id)
    report = await deps(context).call(deps(context).orders.delete_user_data, user_id=uid)
    context.user_data.clear()  # type: ignore[union-attr]
    await query.edit_message_text(
        texts.DELETED.format(orders=report.orders, games=report.games, files=report.files)
    )
