"""Packages and payment: free (build at once), a Stripe link, or Telegram Stars inside the chat.

Stars: sendInvoice -> pre_checkout_query (answered within Telegram's 10 s after checking the order)
-> successful_payment, recorded once by its telegram_payment_charge_id (mark_paid is idempotent and
the charge id doubles as the event id; repeats of the update are also dropped here).
"""

from __future__ import annotations

from telegram import LabeledPrice, Update
from telegram.constants import ParseMode

from bots.telegram import keyboards, texts
from bots.telegram.deps import BUILDING, PACKAGE, PAYING, Context, deps, set_state, state
from bots.telegram.handlers.common import clear_buttons, pressed, stale
from bots.telegram.watch import start_watch
from core.errors import PetPixelError
from core.orders.packages import game_packages
from core.payments.telegram_stars import CURRENCY, PROVIDER, check_payable, order_id_of


async def offer_packages(update: Update, context: Context) -> None:
    """Show the game packages with their prices in this channel's currency."""
    assert update.effective_chat is not None
    await update.effective_chat.send_message(
        texts.ASK_PACKAGE, reply_markup=keyboards.package_offer(deps(context).settings)
    )


async def pick_package(update: Update, context: Context) -> None:
    """A package chosen: free builds now, Stars sends an invoice, Stripe sends a pay link."""
    query, package = pressed(update)
    data = context.user_data or {}
    if state(context) != PACKAGE or not data.get("order_id"):
        await stale(query)
        return
    set_state(context, PAYING)
    await query.answer()
    await clear_buttons(query)
    assert update.effective_chat is not None
    d = deps(context)
    try:
        checkout = await d.call(
            d.checkout.choose_package, order_id=data["order_id"], package=package
        )
    except PetPixelError as exc:
        set_state(context, PACKAGE)
        await update.effective_chat.send_message(texts.esc(exc.message))
        await offer_packages(update, context)
        return
    if checkout.free:
        await update.effective_chat.send_message(texts.FREE_CHECKOUT)
        await watch_build(update, context, data["order_id"])
    elif checkout.provider == PROVIDER:
        await _send_invoice(update, context, checkout.reference or "", checkout.amount, package)
    else:
        await update.effective_chat.send_message(
            texts.STRIPE_CHECKOUT, reply_markup=keyboards.pay_link(checkout.url or "")
        )
        await watch_build(update, context, data["order_id"])


async def _send_invoice(
    update: Update, context: Context, payload: str, stars: int, package: str
) -> None:
    assert update.effective_chat is not None
    assert context.user_data is not None
    name = str(context.user_data.get("pet_name", ""))
    title = game_packages(deps(context).settings)[package].title
    set_state(context, PAYING)
    await update.effective_chat.send_invoice(
        title=texts.INVOICE_TITLE.format(package=title, name=name)[:32],
        description=texts.INVOICE_DESCRIPTION.format(name=name)[:255],
        payload=payload,
        currency=CURRENCY,
        prices=[LabeledPrice(title, stars)],
    )


async def pre_checkout(update: Update, context: Context) -> None:
    """Say yes only when the order still waits for exactly this payment."""
    query = update.pre_checkout_query
    assert query is not None
    d = deps(context)
    try:
        order = await d.call(d.orders.get_order, order_id=order_id_of(query.invoice_payload))
        reason = check_payable(
            d.settings, order, total_amount=query.total_amount, currency=query.currency
        )
    except PetPixelError as exc:
        reason = exc.message
    if reason is None:
        await query.answer(ok=True)
    else:
        await query.answer(ok=False, error_message=reason)


async def successful_payment(update: Update, context: Context) -> None:
    """Record the Stars payment once and start the build."""
    message = update.effective_message
    assert message is not None
    assert message.successful_payment is not None
    paid, d = message.successful_payment, deps(context)
    charge = paid.telegram_payment_charge_id
    if charge in d.seen_charges:
        return  # the same update delivered twice
    d.seen_charges.add(charge)
    order_id = order_id_of(paid.invoice_payload)
    result = await d.call(
        d.orders.mark_paid,
        order_id=order_id,
        payment_ref=charge,
        amount=paid.total_amount,
        currency=paid.currency,
        provider=PROVIDER,
        event_id=charge,
    )
    if not result.changed:
        return
    await message.reply_text(texts.PAID, parse_mode=ParseMode.HTML)
    await watch_build(update, context, order_id)


async def watch_build(update: Update, context: Context, order_id: str) -> None:
    assert update.effective_chat is not None
    assert update.effective_user is not None
    set_state(context, BUILDING)
    name = texts.esc(str((context.user_data or {}).get("pet_name", "")))
    text = texts.BUILD_WAIT.format(name=name, percent=0, label="")
    msg = await update.effective_chat.send_message(text, parse_mode=ParseMode.HTML)
    start_watch(
        context.application,
        tg_user=update.effective_user.id,
        chat_id=update.effective_chat.id,
        order_id=order_id,
        kind="build",
        message_id=msg.message_id,
        text=text,
    )
