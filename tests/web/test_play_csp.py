"""A packaged game published through the real upload path and served at /g/{code}: its inline code
runs under the CSP the page is served with, and the browser reports no violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from core.orders.lifecycle import OrderStatus
from core.orders.publish import upload_bundle
from tests.game.conftest import package
from tests.orders.factories import add_game, add_order
from tests.web.conftest import LiveServer
from web.app import create_app

pytestmark = pytest.mark.browser

# Installed before any page script: every CSP violation the page causes, as the browser reports it.
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));"""


def test_served_game_runs_its_inline_code_under_the_real_csp(
    browser: Any, settings: Settings, tmp_path: Path
) -> None:
    files = {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for folder in [package(tmp_path / "game")]
        for p in folder.rglob("*")
        if p.is_file()
    }
    app = create_app(settings)
    with LiveServer(app) as server:
        runtime = app.state.resources.runtime
        order_id = add_order(runtime.db, status=OrderStatus.READY)
        add_game(runtime.db, order_id, code="CspTest01")
        upload_bundle(runtime.storage, "CspTest01", files)
        context = browser.new_context(viewport={"width": 960, "height": 540})
        page = context.new_page()
        page.add_init_script(WATCH)
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
        try:
            response = page.goto(f"{server.url}/g/CspTest01")
            assert response is not None
            header = response.headers["content-security-policy"]
            page.wait_for_function("() => window.PETPIXEL && window.PETPIXEL.status === 'title'")
            # The late chunk (a file, under script-src 'self') and the overlay's font it adds.
            page.wait_for_function(
                "() => [...document.fonts].some((f) => f.family.replace(/\"/g, '') === 'PetPixel'"
                " && f.status === 'loaded')"
            )
            late = page.evaluate(
                "performance.getEntriesByType('resource')"
                ".filter((r) => r.name.includes('/js/late.')).map((r) => r.name)"
            )
            inline = page.evaluate(
                "[...document.scripts].filter((s) => !s.src && s.type === 'module').length"
            )
            violations = page.evaluate("window.__violations")
        finally:
            context.close()
    assert inline == 1  # the first frame's code came with the page
    assert len(late) == 1
    assert "/g/CspTest01/js/late." in late[0]
    assert "script-src 'self' 'sha256-" in header
    assert "style-src 'self' 'sha256-" in header
    assert "unsafe" not in header
    assert violations == []
    assert not [line for line in console if "Content Security Policy" in line], console
    assert not [line for line in console if line.startswith(("error", "pageerror"))], console
