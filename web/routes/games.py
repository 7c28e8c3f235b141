"""Game endpoints: buy (free or checkout), build status, QR code, and changes before the build."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from core.orders.lifecycle import OrderStatus
from web.deps import ResourcesDep, ServiceDep
from web.presenters import game_public
from web.qr import qr_svg
from web.routes.images import ERRORS, PRIVATE, order_for, rerun_preview
from web.schemas import GameCreate, GameCustomize, GamePublic, StatusPublic

# A game's `id` is its order's private token (see web.routes.images); every route needs it.
router = APIRouter(prefix="/api/games", tags=["games"], responses=ERRORS, dependencies=PRIVATE)


@router.post("/create", status_code=202, summary="Buy the game for a previewed sprite")
def create(body: GameCreate, svc: ServiceDep) -> GamePublic:
    """Free mode pays at once and queues the build; with a payment provider, follow checkout_url."""
    order = order_for(svc, body.image_id)
    checkout = svc.choose_package(order_id=order.id, package=body.package)
    game = game_public(svc.status(order_id=order.id), order.token)
    return game.model_copy(
        update={
            "checkout_url": None if checkout.free else checkout.url,
            "price_label": checkout.label,
        }
    )


@router.get("/{game_id}", summary="Build progress, link and QR code of a game")
def get_game(game_id: str, resources: ResourcesDep) -> GamePublic:
    svc = resources.service
    order = order_for(svc, game_id)
    game = game_public(svc.status(order_id=order.id), order.token)
    live = svc.game_by_code(code=game.code) if game.code else None
    if live is None:
        return game
    return game.model_copy(update={"views": live.views + resources.views.pending(live.code)})


@router.post("/{game_id}/customize", status_code=202, summary="Change pet name or world")
def customize(game_id: str, body: GameCustomize, svc: ServiceDep) -> StatusPublic:
    """Allowed until the game is paid for; the preview is redrawn with the new choices."""
    return rerun_preview(svc, game_id, **body.model_dump(exclude_none=True))


@router.get("/{game_id}/qr.svg", summary="QR code of the game link", response_class=Response)
def qr(game_id: str, request: Request, svc: ServiceDep) -> Response:
    view = svc.status(order_id=order_for(svc, game_id).id)
    if view.status != OrderStatus.READY or not view.links.game:
        raise HTTPException(404, "The game is not ready yet.")
    svg = qr_svg(absolute(request, view.links.game))
    # Its URL carries the order's token: only the buyer's browser may keep it.
    return Response(
        svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=86400"}
    )


def absolute(request: Request, url: str) -> str:
    """Links are absolute when PETPIXEL_PUBLIC_URL is set; otherwise anchor them on this host."""
    if url.startswith(("http://", "https://")):
        return url
    return str(request.base_url).rstrip("/") + url
