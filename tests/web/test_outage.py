"""A database that cannot be reached answers 503 "try again" in the API's error shape, never a
500 with a traceback; the app answers again once it is back (no restart)."""

from __future__ import annotations

import httpx

from core.config import Settings
from tests.conftest import free_port
from tests.web.conftest import LiveServer
from web.app import create_app


def test_an_unreachable_database_is_a_503_to_retry(settings: Settings) -> None:
    down = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"}
    )
    app = create_app(down)
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=30) as http:
        answer = http.get("/api/images/not-a-real-token/status")
        assert answer.status_code == 503, answer.text
        assert answer.headers["retry-after"] == "5"
        error = answer.json()["error"]
        assert error["code"] == "unavailable"
        assert "try again" in error["message"]
        assert "Traceback" not in answer.text
        assert "psycopg" not in answer.text
