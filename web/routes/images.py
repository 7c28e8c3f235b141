"""Photo endpoints: upload (creates the order), background removal, crop, status.

One photo makes one order, which makes one game. The API names them all by the order's token
(`image_id`, a game's `id`): 192 random bits handed only to the buyer, the one credential every
order action needs. The order's database id never leaves the server: it names only private files,
and shared links use the game code or the order's asset key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile

from core.errors import ImageRejected
from core.orders.schemas import OrderView
from core.orders.service import OrderService
from core.orders.store import NotFound
from core.petnames import MAX_NAME
from web.deps import ServiceDep, SettingsDep
from web.presenters import status_public
from web.schemas import (
    CropCreate,
    ErrorPublic,
    ImageRef,
    StatusPublic,
    UploadPublic,
)

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorPublic} for code in (400, 404, 409, 413, 415, 422, 429)
}
NO_ORDER = (
    "We could not find that order. Use the link from your order page: an order's actions need "
    "its private token (the image_id the upload returned), not its order number."
)


def no_store(response: Response) -> None:
    """Order answers are the buyer's own: no shared or browser cache keeps them."""
    response.headers["Cache-Control"] = "no-store"


PRIVATE = [Depends(no_store)]
router = APIRouter(prefix="/api/images", tags=["images"], responses=ERRORS, dependencies=PRIVATE)


def order_for(svc: OrderService, token: str) -> OrderView:
    """The order this token opens; 404 `not_found` for anything else (an order id included)."""
    try:
        return svc.order_by_token(token=token)
    except NotFound:
        raise NotFound(NO_ORDER) from None


def read_photo(photo: UploadFile, limit: int) -> bytes:
    """The upload's bytes, refusing one over the limit (the middleware already capped the body)."""
    data = photo.file.read(limit + 1)
    if len(data) > limit:
        mb = limit // (1024 * 1024)
        raise ImageRejected(
            f"That photo is over {mb} MB. Please pick a smaller one.", code="file_too_large"
        )
    if not data:
        raise ImageRejected(
            "That file is empty. Please choose a photo of your pet.", code="empty_file"
        )
    return data


ChoiceField = Annotated[str | None, Form(max_length=MAX_NAME)]


@router.post("/upload", status_code=201, summary="Upload a pet photo (starts an order)")
def upload(
    photo: Annotated[UploadFile, File(description="JPEG, PNG, WebP or HEIC photo of one pet.")],
    svc: ServiceDep,
    settings: SettingsDep,
    style: ChoiceField = None,
    theme: ChoiceField = None,
    pet_name: ChoiceField = None,
    species: ChoiceField = None,
) -> UploadPublic:
    """Optional style, theme, pet name and species (auto, cat, dog, other) may come along; they
    can change until payment."""
    data = read_photo(photo, settings.max_upload_bytes)
    picked = {"style": style, "theme": theme, "pet_name": pet_name, "species": species}
    choices: dict[str, object] = {k: v for k, v in picked.items() if v}
    user = svc.create_user(display_name="web")
    order = svc.create_order(user_id=user.id, photo=data, choices=choices)
    return UploadPublic(
        image_id=order.token,
        status=order.status.value,
        order_url=f"/o/{order.token}",
        status_url=f"/api/images/{order.token}/status",
    )


def rerun_preview(svc: OrderService, token: str, **changes: Any) -> StatusPublic:
    """Queue a fresh preview with some choices changed (the preview job cuts out and crops too)."""
    current = order_for(svc, token)
    choices = {**current.choices.model_dump(), **changes}  # validated again by the service
    view = svc.request_preview(order_id=current.id, choices=choices)
    return status_public(view, svc.get_order(order_id=current.id))


@router.post("/remove-background", summary="Cut the pet out of its background (queued)")
def remove_background(body: ImageRef, svc: ServiceDep) -> StatusPublic:
    """Runs background removal as part of a fresh preview; poll the status for the result."""
    return rerun_preview(svc, body.image_id)


@router.post("/crop", summary="Crop to the pet (fractions of the photo) and redraw")
def crop(body: CropCreate, svc: ServiceDep) -> StatusPublic:
    return rerun_preview(svc, body.image_id, user_crop=body.box())


@router.get("/{image_id}/status", summary="Progress and results of a photo's order")
def status(image_id: str, svc: ServiceDep) -> StatusPublic:
    """`image_id` is the order's private token, as everywhere in this API."""
    order = order_for(svc, image_id)
    return status_public(svc.status(order_id=order.id), order)
