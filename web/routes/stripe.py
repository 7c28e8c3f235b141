"""Stripe: the webhook (POST /webhooks/stripe) and the success page Checkout returns the buyer to.

Both fulfil through the one idempotent `Fulfilment.fulfill_checkout` (the runtime's), so a webhook
and a success-page visit racing each other mark the order paid once. The webhook answers 400 to
anything Stripe did not sign recently and to a signed body that is not an event object, 2xx once
an event is handled or when retrying cannot help (another event type, a session Stripe does not
know: "ignored"), and 503 only while Stripe cannot be reached, so Stripe retries only what really
failed. The build itself is queued, never run here.
"""

from __future__ import annotations

import asyncio
import logging

import stripe
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException

from core.payments.stripe_fulfilment import UNKNOWN_SESSION, BadEvent, Fulfilment
from web.deps import get_resources
from web.errors import json_error_response

router = APIRouter(include_in_schema=False)
NOT_SET_UP = "Card payments are not set up on this server."
BAD_SIGNATURE = "This webhook is not signed by Stripe, or its signature is too old."
BAD_EVENT = "This webhook is signed, but it is not a Stripe event (a JSON object with id and type)."
NO_CHECKOUT = "We could not find that checkout. Check your link."
STRIPE_DOWN = "Stripe could not be reached; deliver this event again later."
CHECK_LATER = (
    "We could not confirm your payment with Stripe just now. Your order is safe: "
    "we will pick up the payment shortly. Reload this page in a minute."
)
log = logging.getLogger("petpixel.payments")


def get_fulfilment(request: Request) -> Fulfilment:
    """The runtime's Stripe fulfilment (404 when Stripe or its webhook secret is not set up)."""
    fulfilment = get_resources(request).runtime.fulfilment
    if fulfilment is None or not request.app.state.settings.stripe_webhook_secret:
        raise HTTPException(404, NOT_SET_UP)
    return fulfilment


@router.post("/webhooks/stripe")
async def stripe_webhook(request: Request) -> JSONResponse:
    fulfilment = get_fulfilment(request)
    payload = await request.body()  # the raw bytes: the signature covers them exactly
    try:
        event = fulfilment.verify(payload, request.headers.get("stripe-signature"))
    except BadEvent:
        return json_error_response(400, "bad_event", BAD_EVENT)
    except (ValueError, stripe.SignatureVerificationError):
        return json_error_response(400, "bad_signature", BAD_SIGNATURE)
    if event.session_id is None:
        return JSONResponse({"received": True, "outcome": "ignored"})
    try:
        outcome = await asyncio.to_thread(
            fulfilment.handle_event, event.id, event.type, event.session_id
        )
    except stripe.StripeError as exc:  # Stripe unreachable: not recorded, so its retry counts
        log.warning("stripe event %s not handled yet: %s", event.id, exc)
        return json_error_response(503, "stripe_unavailable", STRIPE_DOWN)
    return JSONResponse({"received": True, "outcome": outcome})


@router.get("/checkout/success")
def checkout_success(session_id: str, request: Request) -> RedirectResponse:
    """Stripe sends the buyer here after paying: fulfil now (if the webhook has not) and show the
    order's status page."""
    fulfilment = get_fulfilment(request)
    try:
        outcome = fulfilment.fulfill_checkout(session_id[:255])
    except stripe.InvalidRequestError:
        raise HTTPException(404, NO_CHECKOUT) from None
    except stripe.StripeError:  # the webhook (or reconciliation) will still fulfil the order
        raise HTTPException(503, CHECK_LATER) from None
    if outcome.detail == UNKNOWN_SESSION:
        raise HTTPException(404, NO_CHECKOUT)
    if outcome.order_id is None:
        raise HTTPException(404, "That checkout does not belong to an order here.")
    order = fulfilment.orders.get_order(order_id=outcome.order_id)
    return RedirectResponse(f"/o/{order.token}", status_code=303)
