"""Price labels: one format for the web page, both bots and the Stripe button."""

from __future__ import annotations

import pytest

from core.money import FREE, money, price_label


@pytest.mark.parametrize(
    ("amount", "currency", "label"),
    [
        (499, "usd", "4.99 USD"),
        (999, "EUR", "9.99 EUR"),
        (5, "gbp", "0.05 GBP"),
        (100000, "usd", "1000.00 USD"),
        (250, "XTR", "⭐ 250"),
        (250, "xtr", "⭐ 250"),
    ],
)
def test_money(amount: int, currency: str, label: str) -> None:
    assert money(amount, currency) == label


def test_price_label_says_free_when_nothing_is_charged() -> None:
    assert price_label(499, "usd") == "4.99 USD"
    assert price_label(499, "usd", free=True) == FREE
    assert price_label(0, "usd") == FREE
    assert price_label(250, "XTR") == "⭐ 250"
