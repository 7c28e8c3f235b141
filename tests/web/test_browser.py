"""The order page in headless Chromium: photo, style, preview, free "payment", link, play."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from tests.conftest import free_port
from tests.web.conftest import LiveServer
from web.app import create_app

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}  # fmt: skip
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PET_NAME = "Biscuit <b>&"


def shot(page: Any, name: str) -> None:
    """Screenshots go where PETPIXEL_SCREENSHOT_DIR points, for a person to look at."""
    folder = os.environ.get("PETPIXEL_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


WATCH_PROGRESS = """() => {
  window.__progress = [];
  const label = document.getElementById('progress-label');
  const card = document.getElementById('progress-card');
  const note = () => { if (!card.hidden) window.__progress.push(label.textContent); };
  new MutationObserver(note).observe(card, {attributes: true, childList: true, subtree: true,
                                            characterData: true});
}"""


def order_and_play(
    browser: Any, base_url: str, photo: Path, device: dict[str, Any], tag: str
) -> str:
    """Drive the whole order page as a person would; returns the game link it handed out.

    On a touch device every press is a tap, and the game is started by tapping its screen.
    """
    touch = bool(device.get("has_touch"))
    context = browser.new_context(**device)
    page = context.new_page()
    press = page.tap if touch else page.click
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        page.goto(f"{base_url}/")
        shot(page, f"{tag}-order")
        page.evaluate(WATCH_PROGRESS)
        page.set_input_files("#photo", str(photo))
        press("label.choice:has(input[value='16bit'])")
        page.fill("#pet-name", PET_NAME)
        press("#make")
        page.wait_for_selector(
            "#preview-card:not([hidden]), #form-error:not([hidden])", timeout=90_000
        )
        assert page.is_hidden("#form-error"), page.text_content("#form-error")
        page.wait_for_function("() => document.getElementById('preview-gif').naturalWidth > 0")
        assert page.text_content("#preview-name") == PET_NAME  # text, never markup
        labels = page.evaluate("() => window.__progress")
        assert "Uploading your photo" in labels, labels  # progress shown while it works...
        assert len(set(labels)) >= 2, labels  # ...and updated from the server's job status
        shot(page, f"{tag}-preview")
        press("#pay")
        page.wait_for_selector(
            "#ready-card:not([hidden]), #pay-error:not([hidden])", timeout=120_000
        )
        assert page.is_hidden("#pay-error"), page.text_content("#pay-error")
        page.wait_for_function("() => document.querySelector('#qr img').naturalWidth > 0")
        shot(page, f"{tag}-ready")
        link = page.input_value("#game-link")
        press("#play")
        page.wait_for_url(link)
        page.wait_for_function("() => window.PETPIXEL && window.PETPIXEL.status === 'title'")
        if touch:
            assert page.is_visible("#touch"), "no on-screen buttons on a phone"
        start_game(page, touch)
        shot(page, f"{tag}-playing")
        assert errors == []
        return link
    finally:
        context.close()


def start_game(page: Any, touch: bool) -> None:
    """Press Enter (or tap the screen) like a player until the game starts.

    The title ignores a too-early press, so keep trying for a while.
    """
    for _ in range(60):
        if touch:
            page.tap("#overlay")
        else:
            page.keyboard.press("Enter")
        if page.evaluate("() => window.PETPIXEL.status") == "playing":
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"game never started: {page.evaluate('() => window.PETPIXEL.status')}")


@pytest.mark.browser
@pytest.mark.slow
def test_phone_order_page_to_playing_game_embedded(
    browser: Any, settings: Settings, cat_jpeg: bytes, tmp_path: Path
) -> None:
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(cat_jpeg)
    port = free_port()
    app = create_app(settings.model_copy(update={"public_url": f"http://127.0.0.1:{port}"}))
    with LiveServer(app, port) as server:  # the desktop flow runs in test_production.py
        link = order_and_play(browser, server.url, photo, PHONE, "phone")
    assert link.startswith(f"{server.url}/g/")


@pytest.mark.browser
def test_my_order_page_follows_its_order_by_token(
    browser: Any, settings: Settings, cat_jpeg: bytes
) -> None:
    """/o/<token> polls the API with the order's token and reloads when the preview is ready."""
    import httpx

    with LiveServer(create_app(settings)) as server, httpx.Client(base_url=server.url) as http:
        files = {"photo": ("cat.jpg", cat_jpeg, "image/jpeg")}
        made = http.post("/api/images/upload", files=files, data={"pet_name": "Rex"}).json()
        context = browser.new_context(**DESKTOP)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(server.url + made["order_url"])
            assert page.get_attribute("#status", "data-status") == "draft"  # so status.js polls
            body = {"image_id": made["image_id"], "style": "16bit"}
            assert http.post("/api/pixel-art/generate", json=body).status_code == 202
            page.wait_for_selector("#status[data-status='preview_ready']", timeout=60_000)
            page.wait_for_function("() => document.querySelector('.stage img').naturalWidth > 0")
            assert "/files/previews/" in str(page.get_attribute(".stage img", "src"))
            assert errors == []
        finally:
            context.close()
