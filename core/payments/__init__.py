"""How orders get paid, in one package.

    payments = payments_for(settings, "telegram")   # the one decision, per channel (choose.py)
    is_free(settings, "web")                          # the page says "Free" (pure, builds nothing)

- `Payments`: the protocol every provider implements (`create_checkout(order=, package=) ->
  CheckoutInfo`). It is declared in core/orders/checkout.py, the port OrderService takes, so that
  core/orders never imports this package; it is re-exported here.
- Providers: `free.FreePayments`, `stripe.StripePayments` (+ `stripe_fulfilment.Fulfilment`:
  webhook, success page, reconciliation, refunds), `telegram_stars.StarsPayments`,
  `discord_premium.DiscordPremiumPayments` (+ `PremiumLedger`, which settles Discord purchases).
- `refunds.Refunds`: the one once-only guard for every refund (Stripe, Stars, Discord Premium).

A confirmed payment is recorded with `OrderService.mark_paid`, which is idempotent: confirming the
same payment twice changes nothing. The Stripe modules import the `stripe` library: import them
directly (`core.payments.stripe`, `core.payments.stripe_fulfilment`) where Stripe is used.
"""

from core.orders.checkout import Payments
from core.payments.choose import (
    CHANNELS,
    Channel,
    PaymentsMisconfigured,
    Provider,
    checkout_kind,
    is_free,
    payments_for,
)
from core.payments.free import FREE_LABEL, FreePayments

__all__ = [
    "CHANNELS",
    "FREE_LABEL",
    "Channel",
    "FreePayments",
    "Payments",
    "PaymentsMisconfigured",
    "Provider",
    "checkout_kind",
    "is_free",
    "payments_for",
]
