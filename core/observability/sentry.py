"""Optional error reporting to Sentry (`PETPIXEL_SENTRY_DSN`; sentry-sdk, the `sentry` extra).

With a DSN, `init_sentry` turns on the FastAPI/Starlette, Celery and logging integrations: an
unhandled web error, a task that finally fails, and every ERROR log line become events. Each event
passes `scrub_event` first: the ids bound where it happened become tags, request bodies and
cookies are dropped (a photo never leaves), and every string is redacted as log lines are.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from core.config import Settings
from core.observability.ids import current
from core.observability.redact import Redactor

log = logging.getLogger("petpixel.sentry")
Role = Literal["web", "worker", "beat", "bot", "cli"]
_DROPPED_REQUEST_KEYS = ("data", "cookies", "env")


def init_sentry(settings: Settings, *, role: Role) -> bool:
    """Start the Sentry client for this process when a DSN is set; True when it started."""
    if not settings.sentry_dsn:
        return False
    try:
        import sentry_sdk
        from sentry_sdk.integrations.celery import CeleryIntegration
        from sentry_sdk.integrations.fastapi import FastApiIntegration
        from sentry_sdk.integrations.logging import LoggingIntegration
        from sentry_sdk.integrations.starlette import StarletteIntegration
    except ImportError:
        log.error("PETPIXEL_SENTRY_DSN is set but sentry-sdk is not installed "
                  "(pip install 'petpixel[sentry]'); errors are not reported")  # fmt: skip
        return False
    redactor = Redactor.for_settings(settings)
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.sentry_environment,
        send_default_pii=False,
        max_request_body_size="never",  # uploads are photos
        include_local_variables=False,  # locals may hold photo bytes or secrets
        traces_sample_rate=0.0,
        integrations=[
            StarletteIntegration(),
            FastApiIntegration(),
            CeleryIntegration(),
            LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
        ],
        before_send=_scrubbing(redactor),
        before_breadcrumb=lambda crumb, _hint: redactor.scrub(crumb),
    )
    sentry_sdk.set_tag("role", role)
    return True


def _scrubbing(redactor: Redactor) -> Any:
    def before_send(event: Any, _hint: Any) -> Any:
        return scrub_event(event, redactor)

    return before_send


def scrub_event(event: dict[str, Any], redactor: Redactor) -> dict[str, Any]:
    """The event with the bound ids as tags, no request body or cookies, every string redacted."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in _DROPPED_REQUEST_KEYS:
            request.pop(key, None)
    tags = event.setdefault("tags", {})
    if isinstance(tags, dict):
        for name, value in current().items():
            tags.setdefault(name, value)
    scrubbed: dict[str, Any] = redactor.scrub(event)
    return scrubbed
