"""HTTP to the Bot API with a few retries on network errors (a dropped connection, a 502).

Timeouts are not retried: the request may have reached Telegram, and sending a message twice is
worse than reporting the failure. Flood control (429 RetryAfter) is AIORateLimiter's job.
The retry wraps `do_request`, the transport hook PTB means subclasses to override (`post` is final).
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus

from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)
RETRY_STATUSES = {
    HTTPStatus.BAD_GATEWAY,
    HTTPStatus.SERVICE_UNAVAILABLE,
    HTTPStatus.GATEWAY_TIMEOUT,
}


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries dropped connections and 502/503/504 with a short backoff."""

    def __init__(self, *, attempts: int = 3, backoff_s: float = 0.25, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.attempts, self.backoff_s = attempts, backoff_s

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = HTTPXRequest.DEFAULT_NONE,
        write_timeout: object = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: object = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: object = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One Bot API call; network errors and gateway answers are tried again."""
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout,  # type: ignore[arg-type]
                    connect_timeout, pool_timeout,  # type: ignore[arg-type]
                )  # fmt: skip
            except TimedOut:
                raise
            except NetworkError as exc:
                if last:
                    raise
                log.warning("Bot API network error (%s), retry %d", exc, attempt)
            else:
                if code not in RETRY_STATUSES or last:
                    return code, payload
                log.warning("Bot API answered %d, retry %d", code, attempt)
            await asyncio.sleep(self.backoff_s * 2 ** (attempt - 1))
        raise AssertionError("unreachable")
