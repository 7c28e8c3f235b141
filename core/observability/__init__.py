"""Logs, ids and error reporting shared by every process (wired by `runtime.observe`).

with bound(request_id=new_request_id(), channel="web"): ...   # ids on every log line
configure_logging(settings)                                     # text or JSON, redacted
init_sentry(settings, role="web")                               # with PETPIXEL_SENTRY_DSN
"""

from core.observability.ids import (
    accept_request_id,
    bind_only,
    bound,
    carried,
    current,
    new_request_id,
)
from core.observability.logs import configure_logging
from core.observability.redact import Redactor
from core.observability.sentry import init_sentry

__all__ = [
    "Redactor",
    "accept_request_id",
    "bind_only",
    "bound",
    "carried",
    "configure_logging",
    "current",
    "init_sentry",
    "new_request_id",
]
