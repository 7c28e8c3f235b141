"""Service dataclasses -> API models and page contexts (one place decides what the public sees)."""

from __future__ import annotations

from core.orders.choices import guessed_line, next_steps
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import OrderStatusView, OrderView
from web.schemas import GamePublic, StatusPublic

STATUS_TEXT = {
    OrderStatus.DRAFT: "Drawing your pet",
    OrderStatus.PREVIEW_READY: "Preview ready",
    OrderStatus.AWAITING_PAYMENT: "Waiting for payment",
    OrderStatus.PAID: "Paid: your game is queued",
    OrderStatus.BUILDING: "Building your game",
    OrderStatus.READY: "Your game is ready",
    OrderStatus.FAILED: "Something went wrong",
}


RUNNING = frozenset({OrderStatus.DRAFT, OrderStatus.BUILDING, OrderStatus.FAILED})
DONE = frozenset({OrderStatus.PREVIEW_READY, OrderStatus.READY})


def progress_of(view: OrderStatusView) -> tuple[int, str]:
    """The job's own percent and label while one runs; otherwise what the status itself says."""
    if view.status in RUNNING:
        return max(0, min(100, view.percent)), view.label or STATUS_TEXT[view.status]
    return (100 if view.status in DONE else 0), STATUS_TEXT[view.status]


def status_public(view: OrderStatusView, order: OrderView) -> StatusPublic:
    """The API's view of an order, named by its private token (never its database id)."""
    progress, label = progress_of(view)
    return StatusPublic(
        image_id=order.token,
        status=view.status.value,
        progress=progress,
        label=label,
        pet_name=order.choices.pet_name,
        style=order.choices.style,
        preview_url=view.links.preview_gif,
        sprite_url=view.links.sprite,
        error_code=view.error_code,
        error=view.error_message,
        game_url=view.links.game,
        species_choice=view.species_choice,
        species=view.species,
        species_guessed=view.species_guessed,
        species_note=guessed_line(view.species, view.species_guessed) or None,
        next_steps=list(next_steps(view.error_code)) if view.status == OrderStatus.FAILED else [],
    )


def game_public(view: OrderStatusView, token: str) -> GamePublic:
    """A game as the API shows it to its buyer; `id` is the order's private token."""
    ready = view.status == OrderStatus.READY and view.links.game is not None
    progress, label = progress_of(view)
    return GamePublic(
        id=token,
        status=view.status.value,
        progress=progress,
        label=label,
        package=view.package,
        code=view.links.game_code,
        url=view.links.game,
        qr_url=f"/api/games/{token}/qr.svg" if ready else None,
        error=view.error_message,
    )
