"""Swagger UI at /api/docs: one pinned release from its CDN, checked by Subresource Integrity.

The browser runs the script and the stylesheet only if their SHA-384 matches the hashes below, so
a changed or compromised CDN file is refused, and the page's CSP names exactly that folder and its
one inline bootstrap script. To move to another release, take the hashes from the npm package the
CDN serves (`npm pack swagger-ui-dist@<version>`, then `openssl dgst -sha384 -binary <file> |
base64`) and change all three constants together.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from web.security import csp_with_hashes

router = APIRouter(include_in_schema=False)

SWAGGER_VERSION = "5.36.0"
CDN_FOLDER = f"https://cdn.jsdelivr.net/npm/swagger-ui-dist@{SWAGGER_VERSION}/"
SRI = {
    "swagger-ui-bundle.js": (
        "sha384-fUpRgC19yPykTqzdrUbdAg8NTiu16NEKf9U12J+IJWCg8/1mEI8f2+PEIz60Wyd+"
    ),
    "swagger-ui.css": "sha384-z/AtSaOHGn5MJ5auAHXUypohywlIWLBZo1jeGmhdpVIbCnFhxAH92cwdV41oyINc",
}


def docs_html() -> str:
    js, css = (CDN_FOLDER + name for name in ("swagger-ui-bundle.js", "swagger-ui.css"))
    page = get_swagger_ui_html(
        openapi_url="/api/openapi.json",
        title="PetPixel API",
        swagger_js_url=js,
        swagger_css_url=css,
        swagger_favicon_url="/static/favicon.svg",
    )
    html = bytes(page.body).decode()
    for url, name in ((js, "swagger-ui-bundle.js"), (css, "swagger-ui.css")):
        pinned = f'"{url}" integrity="{SRI[name]}" crossorigin="anonymous"'
        assert html.count(f'"{url}"') == 1, "fastapi's Swagger page changed shape"
        html = html.replace(f'"{url}"', pinned)
    return html


@router.get("/api/docs")
async def swagger_ui() -> HTMLResponse:
    html = docs_html()
    policy = csp_with_hashes(html, extra_script=CDN_FOLDER, extra_style=CDN_FOLDER)
    return HTMLResponse(html, headers={"Content-Security-Policy": policy})
