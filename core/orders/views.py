"""ORM rows -> the frozen dataclasses the services return (rows never leave core.orders)."""

from __future__ import annotations

from core.hero.traits import SPECIES, Species
from core.orders.lifecycle import OrderStatus
from core.orders.schemas import (
    GameView,
    Links,
    OrderChoices,
    OrderStatusView,
    OrderView,
    UserView,
)
from core.orders.tables import Game, Order, Upload, User
from core.storage import Storage, is_public


def user_view(user: User) -> UserView:
    return UserView(id=user.id, display_name=user.display_name, created_at=user.created_at)


def choices_of(order: Order) -> OrderChoices:
    crop = tuple(order.user_crop) if order.user_crop else None
    return OrderChoices(
        style=order.style,
        theme=order.theme,
        pet_name=order.pet_name,
        difficulty=order.difficulty,  # type: ignore[arg-type]
        seed=order.seed,
        user_crop=crop,  # type: ignore[arg-type]
        species=order.species,  # type: ignore[arg-type]
    )


def drawn_species(order: Order) -> Species | None:
    drawn = order.species_drawn
    return drawn if drawn in SPECIES else None


def order_view(order: Order) -> OrderView:
    return OrderView(
        id=order.id,
        token=order.token,
        user_id=order.user_id,
        status=OrderStatus(order.status),
        package=order.package,
        amount=order.amount,
        currency=order.currency,
        payment_ref=order.payment_ref,
        choices=choices_of(order),
        attempts=order.attempts,
        created_at=order.created_at,
        updated_at=order.updated_at,
        species=drawn_species(order),
        species_guessed=order.species_guessed,
    )


def play_path(code: str) -> str:
    return f"/g/{code}"


def links(
    storage: Storage, upload: Upload | None, game: Game | None, public_url: str | None
) -> Links:
    """Public URLs of whatever exists so far; the photo and cutout never get one."""

    def url(key: str | None) -> str | None:
        # Previews made before the asset key (under orders/<id>/) are private now: no link.
        return storage.url(key).url if key and is_public(key) else None

    base = (public_url or "").rstrip("/")
    return Links(
        sprite=url(upload.sprite_key) if upload else None,
        sheet=url(upload.sheet_key) if upload else None,
        atlas=url(upload.atlas_key) if upload else None,
        preview_gif=url(upload.preview_gif_key) if upload else None,
        game=f"{base}{play_path(game.code)}" if game else None,
        game_code=game.code if game else None,
    )


def status_view(order: Order, links: Links) -> OrderStatusView:
    return OrderStatusView(
        order_id=order.id,
        status=OrderStatus(order.status),
        percent=order.progress_percent,
        label=order.progress_label,
        package=order.package,
        error_code=order.error_code,
        error_message=order.error_message,
        refund_due=order.refund_due,
        links=links,
        updated_at=order.updated_at,
        species_choice=order.species,  # type: ignore[arg-type]
        species=drawn_species(order),
        species_guessed=order.species_guessed,
    )


def game_view(game: Game, storage: Storage, public_url: str | None) -> GameView:
    index_key = game.assets.get("index.html")
    return GameView(
        id=game.id,
        code=game.code,
        order_id=game.order_id,
        user_id=game.user_id,
        url=f"{(public_url or '').rstrip('/')}{play_path(game.code)}",
        index_url=storage.url(index_key).url if index_key else "",
        config=dict(game.config),
        assets=dict(game.assets),
        meta=dict(game.meta),
        views=game.views,
        shares=game.shares,
        created_at=game.created_at,
        expires_at=game.expires_at,
    )
