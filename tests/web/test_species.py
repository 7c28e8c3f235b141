"""The species choice on the web: the form's radio group, the JSON API, the preview's "Is this
right?" redraw, refusal once paid, and the next steps after a photo problem."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from tests.orders.species_steps import MADE
from tests.web.conftest import wait_for
from web.app import create_app


def app_with(settings: Settings, steps: str) -> TestClient:
    changed = settings.model_copy(update={"build_steps": f"tests.orders.species_steps:{steps}"})
    return TestClient(create_app(changed), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def guessing(web_settings: Settings) -> Iterator[TestClient]:
    with app_with(web_settings, "guessing_steps") as client:
        yield client


def status(client: TestClient, image_id: str, until: str) -> dict[str, Any]:
    return wait_for(lambda: client.get(f"/api/images/{image_id}/status").json(),
                    lambda b: b["status"] == until)  # fmt: skip


def upload(client: TestClient, photo: bytes, **fields: str) -> str:
    files = {"photo": ("c.jpg", photo, "image/jpeg")}
    made = client.post("/api/images/upload", files=files, data={"pet_name": "Tom", **fields})
    assert made.status_code == 201, made.text
    return str(made.json()["image_id"])


def test_order_page_offers_the_species_as_an_accessible_radio_group(guessing: TestClient) -> None:
    page = guessing.get("/").text
    form = page[page.index('<form id="order"') : page.index("</form>")]
    group = form[form.index('<fieldset class="species">') :]
    assert "<legend>Your pet is a…</legend>" in group
    radio = (r'<label class="choice">\s*<input type="radio" name="species" value="(\w+)"'
             r'( checked)?>\s*<span[^>]*><strong>([^<]+)<')  # fmt: skip
    radios = re.findall(radio, group)
    assert [(v, t) for v, _c, t in radios] == [
        ("auto", "Auto-detect"), ("cat", "Cat"), ("dog", "Dog"), ("other", "Other")
    ]  # fmt: skip
    assert radios[0][1] == " checked"
    fix = page[page.index('<form id="species-fix"') :]
    assert "<legend>Is this right? Your pet is a…</legend>" in fix
    assert re.findall(r'name="drawn_species" value="(\w+)"', fix) == ["cat", "dog", "other"]
    assert "🐱 Cat" in fix


def test_guess_shown_then_changed_through_the_api_until_paid(
    guessing: TestClient, cat_jpeg: bytes
) -> None:
    image_id = upload(guessing, cat_jpeg)
    started = guessing.post("/api/pixel-art/generate", json={"image_id": image_id, "style": "8bit"})
    assert started.status_code == 202, started.text
    first = status(guessing, image_id, "preview_ready")
    assert (first["species_choice"], first["species"], first["species_guessed"]) == (
        "auto", "cat", True)  # fmt: skip
    assert first["species_note"].startswith("Looks like a cat to me")
    steps = MADE[-1]
    assert steps.asked[-1] == "auto"

    changed = guessing.post("/api/pixel-art/customize", json={"image_id": image_id,
                                                              "species": "dog"})  # fmt: skip
    assert changed.status_code == 202, changed.text
    assert changed.json()["species_choice"] == "dog"
    second = status(guessing, image_id, "preview_ready")
    assert (second["species"], second["species_guessed"], second["species_note"]) == (
        "dog", False, None)  # fmt: skip
    assert steps.asked[-1] == "dog"
    assert second["style"] == "8bit"  # the other choices stay
    page = guessing.get(f"/o/{image_id}").text  # the API's image_id is the order's token
    assert "Drawn as: <strong>Dog</strong>" in page

    bad = guessing.post("/api/pixel-art/customize", json={"image_id": image_id, "species": "cow"})
    assert bad.status_code == 422
    bought = guessing.post("/api/games/create", json={"image_id": image_id, "package": "classic"})
    assert bought.status_code == 202, bought.text
    late = guessing.post("/api/pixel-art/customize", json={"image_id": image_id, "species": "cat"})
    assert late.status_code == 409
    assert "already paid" in late.json()["error"]["message"]


def test_species_chosen_at_upload_is_drawn(guessing: TestClient, cat_jpeg: bytes) -> None:
    image_id = upload(guessing, cat_jpeg, species="other")
    guessing.post("/api/pixel-art/generate", json={"image_id": image_id, "style": "16bit"})
    done = status(guessing, image_id, "preview_ready")
    assert (done["species_choice"], done["species"], done["species_guessed"]) == (
        "other", "other", False)  # fmt: skip
    assert MADE[-1].asked[-1] == "other"


def test_photo_problems_name_their_next_steps(web_settings: Settings, cat_jpeg: bytes) -> None:
    with app_with(web_settings, "no_pet_then_fine_steps") as client:
        image_id = upload(client, cat_jpeg)
        client.post("/api/pixel-art/generate", json={"image_id": image_id, "style": "16bit"})
        failed = status(client, image_id, "failed")
        assert failed["error_code"] == "no_pet_found"
        assert failed["next_steps"] == ["use_other", "photo"]
        assert failed["error"] == "I couldn't find a pet in this photo."
        retry = client.post("/api/pixel-art/customize", json={"image_id": image_id,
                                                               "species": "other"})  # fmt: skip
        assert retry.status_code == 202, retry.text
        again = status(client, image_id, "failed")
        assert (again["error_code"], again["next_steps"]) == ("several_pets", ["crop", "photo"])
        box = {"image_id": image_id, "x0": 0.2, "y0": 0.2, "x1": 0.8, "y1": 0.8}
        assert client.post("/api/images/crop", json=box).status_code == 200
        fine = status(client, image_id, "preview_ready")
        assert (fine["species"], fine["next_steps"]) == ("other", [])
        assert MADE[-1].asked == ["auto", "other", "other"]
