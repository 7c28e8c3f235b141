"""payments_for(settings, channel): the one decision of how a buyer pays, per channel, with the
same error for the same mistake on every channel, and the pure "is this channel free"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.payments import (
    CHANNELS,
    Channel,
    FreePayments,
    PaymentsMisconfigured,
    checkout_kind,
    is_free,
    payments_for,
)
from core.payments.discord_premium import DiscordPremiumPayments
from core.payments.stripe import StripePayments
from core.payments.telegram_stars import StarsPayments
from tests.fakes.stripe_api import FakeStripe
from tests.payments.conftest import stripe_settings
from web.app import create_app

KEY = {"stripe_secret_key": "sk_test_choose", "public_url": "http://petpixel.test"}
SKUS = {"discord_skus": {"classic": 123}}
# The setting each channel's checkout is chosen by, and its value that asks for Stripe.
ASKS_FOR_STRIPE: dict[Channel, tuple[str, str]] = {
    "web": ("payments_backend", "PETPIXEL_PAYMENTS_BACKEND"),
    "telegram": ("telegram_checkout", "PETPIXEL_TELEGRAM_CHECKOUT"),
    "discord": ("discord_checkout", "PETPIXEL_DISCORD_CHECKOUT"),
}


def _settings(tmp_path: Path, **values: Any) -> Settings:
    return Settings(data_dir=tmp_path, **values)


# (settings, channel) -> provider, payments class
VALID = [
    ({}, "web", "free", FreePayments),
    ({}, "telegram", "free", FreePayments),
    ({}, "discord", "free", FreePayments),
    (KEY, "web", "stripe", StripePayments),  # auto: the key switches the web to Stripe
    (KEY, "telegram", "free", FreePayments),  # Telegram's default is an explicit "free"
    (KEY, "discord", "stripe", StripePayments),  # auto without SKUs: as on the web
    ({**KEY, "payments_backend": "free"}, "web", "free", FreePayments),  # free means free
    ({**KEY, "payments_backend": "free"}, "discord", "free", FreePayments),
    ({**KEY, "telegram_checkout": "stripe"}, "telegram", "stripe", StripePayments),
    ({"telegram_checkout": "stars"}, "telegram", "telegram_stars", StarsPayments),
    ({**KEY, "telegram_checkout": "stars"}, "web", "stripe", StripePayments),
    (SKUS, "discord", "discord_premium", DiscordPremiumPayments),  # auto with SKUs
    ({**KEY, **SKUS}, "discord", "discord_premium", DiscordPremiumPayments),
    ({**KEY, **SKUS, "discord_checkout": "stripe"}, "discord", "stripe", StripePayments),
    ({**SKUS, "discord_checkout": "free"}, "discord", "free", FreePayments),
    ({**KEY, "discord_checkout": "free"}, "discord", "free", FreePayments),
]


@pytest.mark.parametrize(("values", "channel", "provider", "kind"), VALID)
def test_each_valid_config_gets_its_provider(
    tmp_path: Path, values: dict[str, Any], channel: Channel, provider: str, kind: type
) -> None:
    settings = _settings(tmp_path, **values)
    payments = payments_for(settings, channel)
    assert isinstance(payments, kind)
    assert payments.name == checkout_kind(settings, channel) == provider
    assert is_free(settings, channel) == (provider == "free")


@pytest.mark.parametrize("channel", CHANNELS)
def test_stripe_sessions_are_tagged_with_the_channel(tmp_path: Path, channel: Channel) -> None:
    setting, _env = ASKS_FOR_STRIPE[channel]
    settings = _settings(tmp_path, **KEY, **{setting: "stripe"})
    payments = payments_for(settings, channel)
    assert isinstance(payments, StripePayments)
    assert payments.channel == channel


@pytest.mark.parametrize("channel", CHANNELS)
def test_stripe_without_a_key_is_refused_the_same_way_on_every_channel(
    tmp_path: Path, channel: Channel
) -> None:
    """`PETPIXEL_TELEGRAM_CHECKOUT=stripe` without a key once fell back to free silently while
    Discord raised: now every channel raises, from the decision and from the constructor."""
    setting, env = ASKS_FOR_STRIPE[channel]
    settings = _settings(tmp_path, **{setting: "stripe"})
    for decide in (checkout_kind, is_free, payments_for):
        with pytest.raises(PaymentsMisconfigured) as refused:
            decide(settings, channel)
        assert refused.value.code == "payments_unavailable"
        assert refused.value.problem == "stripe_key_missing"
        assert refused.value.message == (
            f"Stripe Checkout ({env}=stripe) needs PETPIXEL_STRIPE_SECRET_KEY: set it, or set "
            f"{env}=free to run with free packages."
        )


@pytest.mark.parametrize("channel", CHANNELS)
def test_stripe_without_a_public_url_is_refused_the_same_way_on_every_channel(
    tmp_path: Path, channel: Channel
) -> None:
    setting, env = ASKS_FOR_STRIPE[channel]
    settings = _settings(tmp_path, stripe_secret_key="sk_test_x", **{setting: "stripe"})
    with pytest.raises(PaymentsMisconfigured) as refused:
        payments_for(settings, channel)
    assert (refused.value.code, refused.value.problem) == ("payments_unavailable",
                                                           "public_url_missing")  # fmt: skip
    assert f"({env}=stripe)" in refused.value.message
    assert "PETPIXEL_PUBLIC_URL" in refused.value.message


def test_a_key_without_a_public_url_stops_the_web_on_auto(tmp_path: Path) -> None:
    with pytest.raises(PaymentsMisconfigured, match="PETPIXEL_PUBLIC_URL") as refused:
        payments_for(_settings(tmp_path, stripe_secret_key="sk_test_x"), "web")
    assert refused.value.problem == "public_url_missing"
    assert "PETPIXEL_PAYMENTS_BACKEND=auto" in refused.value.message


def test_discord_auto_follows_the_web_and_its_mistake(tmp_path: Path) -> None:
    """Without SKUs, Discord buyers pay as web buyers do: the web's mistake is Discord's too."""
    settings = _settings(tmp_path, payments_backend="stripe")
    errors = []
    for channel in ("web", "discord"):
        with pytest.raises(PaymentsMisconfigured) as refused:
            payments_for(settings, channel)
        errors.append((refused.value.problem, refused.value.message))
    assert errors[0] == errors[1]
    assert "PETPIXEL_PAYMENTS_BACKEND=stripe" in errors[0][1]
    assert payments_for(settings.model_copy(update=SKUS), "discord").name == "discord_premium"


def test_premium_without_skus_is_refused(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **KEY, discord_checkout="premium")
    with pytest.raises(PaymentsMisconfigured, match="PETPIXEL_DISCORD_SKUS") as refused:
        payments_for(settings, "discord")
    assert (refused.value.code, refused.value.problem) == ("payments_unavailable",
                                                           "discord_skus_missing")  # fmt: skip
    assert payments_for(settings, "web").name == "stripe"  # the other channels are unaffected


def test_choices_come_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PETPIXEL_DISCORD_SKUS", '{"classic": 123, "deluxe": "456"}')
    monkeypatch.setenv("PETPIXEL_TELEGRAM_CHECKOUT", "stars")
    settings = Settings(data_dir=tmp_path)
    assert settings.discord_skus == {"classic": 123, "deluxe": 456}
    assert checkout_kind(settings, "discord") == "discord_premium"
    assert checkout_kind(settings, "telegram") == "telegram_stars"
    monkeypatch.setenv("PETPIXEL_DISCORD_CHECKOUT", "free")
    monkeypatch.setenv("PETPIXEL_PAYMENTS_BACKEND", "stripe")
    settings = Settings(data_dir=tmp_path)
    assert checkout_kind(settings, "discord") == "free"
    with pytest.raises(PaymentsMisconfigured, match="PETPIXEL_PAYMENTS_BACKEND=stripe"):
        checkout_kind(settings, "web")


def test_an_unknown_channel_is_a_programming_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown channel"):
        payments_for(_settings(tmp_path), "email")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "price", "button"),
    [
        ({}, "4.99 USD", "Continue to payment"),  # auto + key: Stripe
        ({"payments_backend": "free"}, "Free", "Get my game (free)"),  # free says free
    ],
)
def test_the_order_page_prices_as_the_web_checkout_charges(
    tmp_path: Path, fake_stripe: FakeStripe, values: dict[str, Any], price: str, button: str
) -> None:
    settings = stripe_settings(tmp_path, fake_stripe, **values)
    with TestClient(create_app(settings)) as client:
        page = client.get("/")
    assert page.status_code == 200
    assert f'<span class="price">{price}</span>' in page.text
    assert button in page.text
