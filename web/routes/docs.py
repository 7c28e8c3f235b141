"""Swagger UI at /api/docs, with a CSP that allows exactly its one inline bootstrap script."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from web.security import csp_with_hashes

router = APIRouter(include_in_schema=False)

# Swagger UI's assets come from its CDN; only this page's policy names it.
CDN = "https://cdn.jsdelivr.net"


@router.get("/api/docs")
async def swagger_ui() -> HTMLResponse:
    page = get_swagger_ui_html(openapi_url="/api/openapi.json", title="PetPixel API")
    html = bytes(page.body).decode()
    policy = csp_with_hashes(html, extra_script=CDN, extra_style=CDN)
    policy = policy.replace("img-src 'self'", "img-src 'self' https://fastapi.tiangolo.com")
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
