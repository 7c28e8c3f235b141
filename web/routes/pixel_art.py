"""Pixel-art endpoints: the styles on offer, generating the sprite preview, and redrawing it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from core.pixelart.styles import STYLES
from web.deps import ServiceDep
from web.routes.images import ERRORS, PRIVATE, rerun_preview
from web.schemas import CustomizeCreate, GenerateCreate, StatusPublic, StylePublic

router = APIRouter(prefix="/api/pixel-art", tags=["pixel art"], responses=ERRORS)


def style_list() -> list[StylePublic]:
    return [
        StylePublic(
            name=s.name,
            title=s.title,
            description=s.description,
        )
        for s in STYLES.values()
    ]


@router.get("/styles", summary="Pixel-art styles")
def styles(response: Response) -> list[StylePublic]:
    response.headers["Cache-Control"] = "public, max-age=300"
    return style_list()


@router.post(
    "/generate",
    status_code=202,
    summary="Draw the animated sprite preview (queued)",
    dependencies=PRIVATE,
)
def generate(body: GenerateCreate, svc: ServiceDep) -> StatusPublic:
    changes = body.model_dump(exclude={"image_id"}, exclude_none=True)
    return rerun_preview(svc, body.image_id, **changes)


@router.post(
    "/customize",
    status_code=202,
    summary="Redraw the preview with other choices",
    dependencies=PRIVATE,
)
def customize(body: CustomizeCreate, svc: ServiceDep) -> StatusPublic:
    changes = body.model_dump(exclude={"image_id"}, exclude_none=True)
    return rerun_preview(svc, body.image_id, **changes)
