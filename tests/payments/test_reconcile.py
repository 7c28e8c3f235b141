"""`petpixel payments reconcile`: paid sessions whose webhook never came are fulfilled from the
Stripe list (auto-paginated) and failed paid builds refunded; the real CLI, fake Stripe over HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from cli.main import app as cli
from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Order, utcnow
from runtime import Runtime, open_runtime
from tests.fakes.stripe_api import FakeStripe
from tests.orders.factories import add_order
from tests.payments.conftest import stripe_settings

STAMP = "%Y-%m-%dT%H:%M:%S"


@pytest.fixture
def paged_stripe() -> Iterator[FakeStripe]:
    with FakeStripe(page_size=2) as fake:  # five sessions -> three pages
        yield fake


def env_of(settings: Settings) -> dict[str, str]:
    names = ["data_dir", "models_dir", "public_url", "stripe_secret_key", "stripe_api_base",
             "stripe_webhook_secret", "stripe_max_network_retries"]  # fmt: skip
    return {f"PETPIXEL_{n.upper()}": str(getattr(settings, n)) for n in names}


def checkout(rt: Runtime, fake: FakeStripe, *, paid: bool = True) -> tuple[str, str]:
    """An order sent to Stripe Checkout; `paid` = the buyer paid (no webhook is delivered)."""
    order_id = add_order(rt.db, status=OrderStatus.PREVIEW_READY, package=None)
    session_id = rt.orders.choose_package(order_id=order_id, package="classic").reference
    assert session_id is not None
    if paid:
        fake.pay(session_id)
    return order_id, session_id


def failed_build(rt: Runtime, fake: FakeStripe) -> str:
    """A paid order (paid last week) whose build gave up, refund due: its PaymentIntent id."""
    order_id, session_id = checkout(rt, fake)
    fake.sessions[session_id]["created"] -= 7 * 86400
    intent = str(fake.sessions[session_id]["payment_intent"])
    with rt.db.session() as session:
        session.execute(update(Order).where(Order.id == order_id).values(
            status=OrderStatus.FAILED.value, payment_ref=intent, paid_at=utcnow(),
            refund_due=True, amount=499))  # fmt: skip
    return intent


def test_reconcile_fulfils_missed_webhooks_and_refunds_failed_builds(
    tmp_path: Path, paged_stripe: FakeStripe
) -> None:
    settings = stripe_settings(tmp_path, paged_stripe)
    with open_runtime(settings, role="cli") as rt:
        missed = [checkout(rt, paged_stripe) for _ in range(3)]
        unpaid_order, _ = checkout(rt, paged_stripe, paid=False)
        old_order, old_session = checkout(rt, paged_stripe)
        paged_stripe.sessions[old_session]["created"] -= 3 * 86400  # outside the window
        failed_intent = failed_build(rt, paged_stripe)

    now = datetime.now(UTC)
    args = ["payments", "reconcile", "--since", f"{now - timedelta(hours=1):{STAMP}}",
            "--until", f"{now + timedelta(minutes=5):{STAMP}}"]  # fmt: skip
    result = CliRunner().invoke(cli, args, env=env_of(settings))
    assert result.exit_code == 0, result.output
    assert "Checked 3 completed checkouts" in result.output  # 3 pages of <= 2 sessions walked
    assert "Fixed 3 order(s)" in result.output
    assert "Issued 1 refund(s)" in result.output

    with open_runtime(settings, role="cli") as rt:
        for order_id, _ in missed:
            assert rt.orders.status(order_id=order_id).status == OrderStatus.PAID
        for order_id in (unpaid_order, old_order):
            assert rt.orders.status(order_id=order_id).status == OrderStatus.AWAITING_PAYMENT
    assert [r["payment_intent"] for r in paged_stripe.refunds] == [failed_intent]

    # Run again: everything is settled, so nothing changes and no second refund is made.
    again = CliRunner().invoke(cli, args, env=env_of(settings))
    assert again.exit_code == 0, again.output
    assert "Fixed 0 order(s)" in again.output
    assert "3 already paid" in again.output
    assert len(paged_stripe.refunds) == 1


def test_reconcile_explains_a_missing_key(tmp_path: Path) -> None:
    env = {"PETPIXEL_DATA_DIR": str(tmp_path / "data"), "PETPIXEL_STRIPE_SECRET_KEY": ""}
    result = CliRunner().invoke(cli, ["payments", "reconcile"], env=env)
    assert result.exit_code == 2
    assert "PETPIXEL_STRIPE_SECRET_KEY" in result.output
