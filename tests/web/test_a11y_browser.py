"""Issue 16 in headless Chromium: axe-core at every step of the web order flow, the whole flow
by keyboard alone (visible focus, focus moved to each new card), the order page at 320-390 px.

axe-core is fetched by `scripts/setup.sh --dev` (npm pack of a pinned version, sha256-checked)
into the venv; PETPIXEL_AXE_JS may point at another copy."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from tests.axe import axe_violations
from tests.conftest import free_port
from tests.web.conftest import LiveServer
from web.app import create_app

WIDTHS = (320, 360, 390)
# What shows keyboard focus on the focused element (the photo input shows it on its label).
FOCUS_RING = """() => {
  let el = document.activeElement;
  if (el && el.id === 'photo') el = document.querySelector('label.drop');
  const style = el && getComputedStyle(el);
  return style ? `${style.outlineStyle} ${style.outlineWidth}` : 'none';
}"""


def tab_to(page: Any, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching selector has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            ring = page.evaluate(FOCUS_RING)
            assert not ring.startswith("none"), f"no visible focus on {selector}: {ring}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def focused_id(page: Any) -> str:
    return str(page.evaluate("() => document.activeElement.id"))


@pytest.mark.browser
@pytest.mark.slow
def test_order_flow_by_keyboard_passes_axe_at_every_step(
    browser: Any, settings: Settings, cat_jpeg: bytes, tmp_path: Path, axe_source: str
) -> None:
    photo = tmp_path / "cat.jpg"
    photo.write_bytes(cat_jpeg)
    port = free_port()
    app = create_app(settings.model_copy(update={"public_url": f"http://127.0.0.1:{port}"}))
    with LiveServer(app, port) as server:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            order_page = keyboard_order(page, server.url, photo, axe_source)
            for width in WIDTHS:
                check_order_page(browser, order_page, width, axe_source)
            assert errors == []
        finally:
            context.close()


def keyboard_order(page: Any, base_url: str, photo: Path, axe_source: str) -> str:
    """The order flow with the keyboard only; returns the private order page's URL."""
    from playwright.sync_api import expect

    page.goto(f"{base_url}/")
    assert axe_violations(page, axe_source) == [], "empty form"
    # Sending without a photo: the photo input is marked invalid and takes the focus.
    tab_to(page, "#pet-name")
    page.keyboard.press("Enter")
    expect(page.locator("#form-error")).to_be_visible()
    assert focused_id(page) == "photo"
    assert page.get_attribute("#photo", "aria-invalid") == "true"
    assert axe_violations(page, axe_source) == [], "error shown"

    page.keyboard.press("Shift+Tab")
    tab_to(page, "#photo")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(photo))
    expect(page.locator("#photo")).to_have_accessible_name(re.compile("Photo chosen"))
    expect(page.locator("#photo-preview")).to_have_accessible_name(re.compile("Your photo"))
    assert page.get_attribute("#photo", "aria-invalid") is None
    assert axe_violations(page, axe_source) == [], "photo chosen"

    tab_to(page, "#pet-name")
    page.keyboard.type("Biscuit")
    tab_to(page, "#make")
    page.keyboard.press("Enter")
    page.wait_for_selector("#preview-card:not([hidden]), #form-error:not([hidden])", timeout=90_000)
    assert page.is_hidden("#form-error"), page.text_content("#form-error")
    assert focused_id(page) == "preview-title"  # focus moved to the new card...
    expect(page.locator("#announce")).to_contain_text("meet Biscuit")  # ...and it was said
    page.wait_for_function("() => document.getElementById('preview-gif').naturalWidth > 0")
    assert axe_violations(page, axe_source) == [], "preview"

    tab_to(page, "input[name=package]:checked")
    page.keyboard.press("ArrowDown")  # the packages as a radio group, chosen by arrow keys
    page.keyboard.press("ArrowUp")
    assert axe_violations(page, axe_source) == [], "packages"
    tab_to(page, "#pay")
    page.keyboard.press("Enter")
    page.wait_for_selector("#ready-card:not([hidden]), #pay-error:not([hidden])", timeout=120_000)
    assert page.is_hidden("#pay-error"), page.text_content("#pay-error")
    assert focused_id(page) == "ready-title"
    expect(page.locator("#announce")).to_contain_text("game is ready")
    page.wait_for_function("() => document.querySelector('#qr img').naturalWidth > 0")
    assert axe_violations(page, axe_source) == [], "ready"
    tab_to(page, "#play")  # the game link is reachable from the ready card
    return str(page.evaluate("() => document.getElementById('order-link').href"))


def check_order_page(browser: Any, url: str, width: int, axe_source: str) -> None:
    """/o/<token> of a ready order at a phone width: axe clean, nothing wider than the screen."""
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)  # fmt: skip
    page = context.new_page()
    try:
        page.goto(url)
        assert page.get_attribute("#status", "data-status") == "ready"
        assert axe_violations(page, axe_source) == [], f"order page at {width} px"
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_order_form_fits_narrow_phones(
    browser: Any, settings: Settings, width: int, axe_source: str
) -> None:
    """At 320-390 px the Name/World row clips nothing and the page never scrolls sideways."""
    with LiveServer(create_app(settings)) as server:
        context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True,
                                      has_touch=True, device_scale_factor=2)  # fmt: skip
        page = context.new_page()
        try:
            page.goto(f"{server.url}/")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            fits = page.evaluate(FITS)
            assert fits["overflow"] == [], fits
            assert axe_violations(page, axe_source) == [], f"form at {width} px"
        finally:
            context.close()


# Every field of the Name/World row lies inside the card, and the longest world's name fits
# in the select beside its arrow (clientWidth holds the 2 x 12 px padding; ~20 px arrow).
FITS = """() => {
  const card = document.getElementById('order').getBoundingClientRect();
  const overflow = [];
  for (const field of document.querySelectorAll('.row .field')) {
    const box = field.getBoundingClientRect();
    if (box.left < card.left || box.right > card.right) overflow.push(field.textContent.trim());
  }
  const select = document.getElementById('theme');
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = getComputedStyle(select).font;
  const longest = Math.max(...[...select.options].map((o) => ctx.measureText(o.text).width));
  const room = select.clientWidth - 24 - 20;
  if (longest > room) overflow.push(`world name ${longest} px in ${room} px`);
  return {overflow};
}"""
