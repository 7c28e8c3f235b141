"""`petpixel payments reconcile`: fulfil paid Stripe checkouts whose webhook never arrived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from cli.common import load_cli_settings, user_errors

payments_app = typer.Typer(help="Stripe payments.", no_args_is_help=True)
FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M"]


def register(app: typer.Typer) -> None:
    app.add_typer(payments_app, name="payments")


def _utc(value: datetime | None, default: datetime) -> datetime:
    if value is None:
        return default
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@payments_app.command("reconcile")
def reconcile(
    since: Annotated[
        datetime | None,
        typer.Option(
            formats=FORMATS, help="Start of the window (UTC). Default: 24 h before --until."
        ),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(formats=FORMATS, help="End of the window (UTC). Default: now."),
    ] = None,
) -> None:
    """List paid Checkout Sessions in a window, fulfil any order still waiting for its webhook,
    and issue refunds still due for paid builds that failed."""
    from core.payments.stripe import require_stripe
    from runtime import open_runtime

    settings = load_cli_settings()
    end = _utc(until, datetime.now(UTC))
    start = _utc(since, end - timedelta(hours=24))
    with user_errors():
        if start >= end:
            raise typer.BadParameter("--since must be before --until.")
        require_stripe(settings)  # the same error as every Stripe path, before anything opens
        # No worker here: builds go to the queue (Redis workers, or the server's sweeper). The
        # runtime's fulfilment tells chat buyers, as the webhook would have.
        with open_runtime(settings, role="cli") as rt:
            assert rt.fulfilment is not None  # Stripe is set up
            report = rt.fulfilment.reconcile(since=start, until=end)
    fixed = report.outcomes["fulfilled"]
    print(f"Checked {report.checked} completed checkouts from {start:%Y-%m-%d %H:%M} "
          f"to {end:%Y-%m-%d %H:%M} UTC.")  # fmt: skip
    print(f"Fixed {fixed} order(s) whose payment had not been recorded; "
          f"{report.outcomes['already_paid']} already paid.")  # fmt: skip
    if report.outcomes["refunded"]:
        print(f"Refunded {report.outcomes['refunded']} payment(s) that could not pay their order "
              "(events 'payment.unmatched_refunded'): an older checkout, another price, or a "
              "second payment.")  # fmt: skip
    if report.outcomes["review"]:
        print(f"{report.outcomes['review']} payment(s) need a look by hand (events "
              "'payment.review'): no order of ours, or automatic refunds are off.")  # fmt: skip
    if report.refunds:
        print(
            f"Issued {len(report.refunds)} refund(s) for failed builds: {', '.join(report.refunds)}"
        )
