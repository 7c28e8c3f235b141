"""Server-rendered pages: the order page `/` and the private "my order" page `/o/{token}`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from core.hero.traits import SPECIES
from core.levels import THEMES
from core.money import price_label
from core.orders.choices import CHOICE_TITLES, CROPS, SPECIES_LABELS
from core.orders.lifecycle import OrderStatus
from core.orders.packages import game_packages
from core.orders.schemas import OrderChoices
from core.payments import is_free
from core.petnames import MAX_NAME
from web.deps import ServiceDep, SettingsDep
from web.presenters import STATUS_TEXT
from web.qr import qr_svg
from web.routes.games import absolute
from web.routes.pixel_art import style_list
from web.templating import templates

router = APIRouter(include_in_schema=False)
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/", response_class=HTMLResponse)
def order_page(request: Request, settings: SettingsDep) -> HTMLResponse:
    free = is_free(settings, "web")
    packages = [
        {"id": p.name, "title": p.title, "description": p.description,
         "price_label": price_label(p.amount, p.currency, free=free)}
        for p in game_packages(settings).values()
    ]  # fmt: skip
    context = {
        "styles": style_list(),
        "default_style": OrderChoices().style,
        "themes": [{"name": t.name, "title": t.title} for t in THEMES.values()],
        "packages": packages,
        "free_mode": free,
        "max_upload_bytes": settings.max_upload_bytes,
        "max_upload_mb": settings.max_upload_bytes // (1024 * 1024),
        "max_name": MAX_NAME,
        "species_choices": [{"value": v, "title": t} for v, t in CHOICE_TITLES.items()],
        "species_kinds": [{"value": s, "emoji": SPECIES_LABELS[s][0],
                           "title": SPECIES_LABELS[s][1]} for s in SPECIES],
        "crops": [{"key": k, "label": label, "box": list(box or (0, 0, 1, 1))}
                  for k, (label, box) in CROPS.items()],
    }  # fmt: skip
    return templates.TemplateResponse(request, "order.html", context)


@router.get("/o/{token}", response_class=HTMLResponse)
def my_order(token: str, request: Request, svc: ServiceDep) -> HTMLResponse:
    order = svc.order_by_token(token=token)
    view = svc.status(order_id=order.id)
    game_url = absolute(request, view.links.game) if view.links.game else None
    context = {
        "order": {
            "token": order.token,
            "status": view.status.value,
            "pet_name": order.choices.pet_name,
            "preview_url": view.links.preview_gif,
            "game_url": game_url,
            "error": view.error_message if view.status == OrderStatus.FAILED else None,
            "species": SPECIES_LABELS[view.species][1] if view.species else None,
            "species_guessed": view.species_guessed,
        },
        "status_text": STATUS_TEXT[view.status],
        "qr_svg": qr_svg(game_url) if game_url else "",
    }
    return templates.TemplateResponse(request, "status.html", context, headers=NO_STORE)
