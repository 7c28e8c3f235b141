"""Game endpoints: buy (free or checkout), build status, QR code, and changes before the build."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from core.orders.lifecycle import OrderStatus
from web.deps import ResourcesDep, ServiceDep
from web.presenters import game_public
from web.qr import qr_svg
from web.routes.images import ERRORS, rerun_preview
from web.schemas import GameCreate, GameCustomize, GamePublic, StatusPublic

router = APIRouter(prefix="/api/games", tags=["games"], responses=ERRORS)


@router.post("/create", status_code=202, summary="Buy the game for a previewed sprite")
def create(body: GameCreate, svc: ServiceDep) -> GamePublic:
    """Free mode pays at once and queues the build; with a payment provider, follow checkout_url."""
    checkout = svc.choose_package(order_id=body.image_id, package=body.package)
    game = game_public(svc.status(order_id=body.image_id))
    return game.model_copy(
        update={
            "checkout_url": None if checkout.free else checkout.url,
            "price_label": checkout.label,
        }
    )


@router.get("/{game_id}", summary="Build progress, link and QR code of a game")
def get_game(game_id: str, resources: ResourcesDep) -> GamePublic:
    svc = resources.service
    game = game_public(svc.status(order_id=game_id))
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
    view = svc.status(order_id=game_id)
    if view.status != OrderStatus.READY or not view.links.game:
        raise HTTPException(404, "The game is not ready yet.")
    svg = qr_svg(absolute(request, view.links.game))
    return Response(
        svg, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"}
    )


def absolute(request: Request, url: str) -> str:
    """Links are absolute when PETPIXEL_PUBLIC_URL is set; otherwise anchor them on this host."""
    if url.startswith(("http://", "https://")):
        return url
    return str(request.base_url).rstrip("/") + url
