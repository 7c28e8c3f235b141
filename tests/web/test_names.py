"""The web takes pet names by the one rule (core.petnames), on the upload form and in the API."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from core.petnames import BAD_NAME_CHARS, BAD_NAME_LENGTH, MAX_NAME

BAD = [
    pytest.param("   ", BAD_NAME_LENGTH, id="blank"),
    pytest.param("x" * (MAX_NAME + 1), BAD_NAME_LENGTH, id="41-chars"),
    pytest.param("Rex\x07", BAD_NAME_CHARS, id="control"),
    pytest.param("Rex\ue000", BAD_NAME_CHARS, id="private-use"),
    # Controls that str.split() takes for whitespace: they must not be tidied into a space.
    pytest.param("Rex\x1fthe\x1cdog", BAD_NAME_CHARS, id="unit-separator"),
    pytest.param("Rex\x85", BAD_NAME_CHARS, id="next-line"),
    pytest.param("Rex\x0b", BAD_NAME_CHARS, id="vertical-tab"),
    # Bidi overrides and isolates reorder the text around them (a title reading backwards).
    pytest.param("Rex\u202egod", BAD_NAME_CHARS, id="right-to-left-override"),
    pytest.param("\u202aRex\u202c", BAD_NAME_CHARS, id="embedding"),
    pytest.param("Rex\u2067yap\u2069", BAD_NAME_CHARS, id="isolate"),
]


def _upload(client: TestClient, photo: bytes, **fields: str) -> str:
    made = client.post(
        "/api/images/upload", files={"photo": ("cat.jpg", photo, "image/jpeg")}, data=fields
    )
    assert made.status_code == 201, made.text
    return str(made.json()["image_id"])


@pytest.mark.parametrize(("name", "reason"), BAD)
def test_bad_names_are_refused_with_the_rules_reason(
    client: TestClient, cat_jpeg: bytes, name: str, reason: str
) -> None:
    image_id = _upload(client, cat_jpeg)
    body = {"image_id": image_id, "style": "16bit", "pet_name": name}
    refused = client.post("/api/pixel-art/generate", json=body)
    assert refused.status_code == 422, refused.text
    assert reason.split(".")[0] in refused.text
    status = client.get(f"/api/images/{image_id}/status").json()
    assert (status["status"], status["pet_name"]) == ("draft", "Buddy")  # nothing was queued


@pytest.mark.parametrize(("name", "reason"), BAD)
def test_the_upload_form_refuses_what_the_api_refuses(
    client: TestClient, cat_jpeg: bytes, name: str, reason: str
) -> None:
    photo = {"photo": ("cat.jpg", cat_jpeg, "image/jpeg")}
    refused = client.post("/api/images/upload", files=photo, data={"pet_name": name})
    assert refused.status_code in (400, 422), refused.text
    if reason == BAD_NAME_CHARS:  # (the form field itself caps the length at MAX_NAME)
        assert reason.split(".")[0] in refused.text


@pytest.mark.parametrize(
    "name", ["Rex\tthe\ndog", "Café 🐾", "👨\u200d👩\u200d👧 family", "ミケ", "\u05e8\u05e7\u05e1"]
)
def test_whitespace_emoji_joiners_and_every_script_are_fine(
    client: TestClient, cat_jpeg: bytes, name: str
) -> None:
    image_id = _upload(client, cat_jpeg, pet_name=name)
    stored = client.get(f"/api/images/{image_id}/status").json()["pet_name"]
    assert stored == " ".join(name.split())


def test_a_good_name_is_stored_tidy(client: TestClient, cat_jpeg: bytes) -> None:
    image_id = _upload(client, cat_jpeg, pet_name="  Rex   the  Brave ")
    assert client.get(f"/api/images/{image_id}/status").json()["pet_name"] == "Rex the Brave"


def test_the_order_form_caps_the_name_at_the_rules_limit(client: TestClient) -> None:
    assert f'maxlength="{MAX_NAME}"' in client.get("/").text
