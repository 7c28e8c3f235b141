"""Run by test_sentry.py in a fresh process (Sentry's client is process-wide): observe() as
`petpixel serve` does, one request to a route that raises, then flush. Prints the response's
status and X-Request-ID."""

from __future__ import annotations

import sys
from pathlib import Path

from fastapi.testclient import TestClient

from core.config import Settings
from runtime import observe
from web.app import create_app

SECRET_KEY = "sk_live_" + "9" * 24


def main(data_dir: str, dsn: str) -> None:
    settings = Settings(data_dir=Path(data_dir), sentry_dsn=dsn, log_format="json")
    observe(settings, role="web")
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError(f"stripe said no to {SECRET_KEY}")

    with TestClient(app, raise_server_exceptions=False) as client:
        reply = client.get("/boom", headers={"X-Request-ID": "req-web-boom-1"})
    import sentry_sdk

    sentry_sdk.flush(timeout=10)
    sys.stdout.write(f"{reply.status_code} {reply.headers.get('x-request-id')}\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
