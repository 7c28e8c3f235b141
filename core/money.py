"""How a price reads, everywhere: 499 "usd" -> "4.99 USD", 250 Telegram Stars -> "⭐ 250".

Amounts are in the currency's smallest unit, as in Settings and on the order row.
"""

from __future__ import annotations

STARS = "XTR"  # Telegram Stars: whole units only
FREE = "Free"


def money(amount: int, currency: str) -> str:
    """499, "usd" -> "4.99 USD"; Stars are whole (every other currency we sell in has cents)."""
    code = currency.upper()
    if code == STARS:
        return f"⭐ {amount}"
    return f"{amount / 100:.2f} {code}"


def price_label(amount: int, currency: str, *, free: bool = False) -> str:
    """What a package costs as the buyer will pay it: "Free" when nothing is charged."""
    if free or amount == 0:
        return FREE
    return money(amount, currency)
