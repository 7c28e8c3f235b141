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


def test_a_good_name_is_stored_tidy(client: TestClient, cat_jpeg: bytes) -> None:
    image_id = _upload(client, cat_jpeg, pet_name="  Rex   the  Brave ")
    assert client.get(f"/api/images/{image_id}/status").json()["pet_name"] == "Rex the Brave"


def test_the_order_form_caps_the_name_at_the_rules_limit(client: TestClient) -> None:
    assert f'maxlength="{MAX_NAME}"' in client.get("/").text
