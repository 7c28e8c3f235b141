"""Scrub secrets and photo bytes from text before it leaves the process (logs, Sentry events).

Two nets: the secret values this process was configured with (tokens, keys, passwords inside
service URLs, the Sentry key), replaced wherever they appear; and patterns for secrets it was not
given (Stripe keys, webhook secrets, bot tokens, `user:password@` in URLs, bearer tokens,
`password=...` pairs, AWS keys) and for image data (long base64 runs, data URLs, bytes reprs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from core.config import Settings

MASK = "[redacted]"
# Shorter configured values are left alone: masking "1" or "ab" everywhere would garble logs.
MIN_SECRET_LEN = 6

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Photos: a data URL, a long base64 run, a bytes repr (b'\xff\xd8...').
    (re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+"), "data:[image redacted]"),
    (re.compile(r"[A-Za-z0-9+/]{120,}={0,2}"), "[base64 redacted]"),
    (re.compile(r"""b(['"])(?:\\x[0-9a-fA-F]{2}|\\.|(?!\1).){64,}\1"""), "b'[bytes redacted]'"),
    # Stripe secret/restricted keys and webhook secrets.
    (re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}"), MASK),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=]{8,}"), MASK),
    # Telegram bot tokens (also inside Bot API URLs: /bot<token>/).
    (re.compile(r"\b\d{5,12}:[A-Za-z0-9_-]{30,}"), MASK),
    # Discord bot tokens: three base64url parts.
    (re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"), MASK),
    # AWS access key ids.
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), MASK),
    # user:password@ in any URL; a lone user@ (a Sentry DSN's key) too.
    (re.compile(r"(\b[a-z][a-z0-9+.-]*://)[^\s/@:]*:[^\s/@]*@", re.IGNORECASE), rf"\1{MASK}@"),
    (re.compile(r"(\bhttps?://)[^\s/@:]+@", re.IGNORECASE), rf"\1{MASK}@"),
    # Paths that carry a private token: the order page and the Telegram webhook (uvicorn's access
    # log writes request paths); public game codes (/g/...) stay readable.
    (re.compile(r"(/o/|/telegram/webhook/)[A-Za-z0-9_-]{8,}"), rf"\1{MASK}"),
    # Authorization headers and key=value secrets (query strings, reprs, form bodies).
    (re.compile(r"\b(Bearer|Basic|Bot)\s+[A-Za-z0-9._~+/=-]{8,}", re.IGNORECASE), rf"\1 {MASK}"),
    (
        re.compile(
            r"""\b((?:[a-z_]*_)?(?:password|passwd|secret|token|api_key|apikey|access_key|dsn)"""
            r"""['"]?\s*[=:]\s*['"]?)[^\s'",&;}]+""",
            re.IGNORECASE,
        ),
        rf"\1{MASK}",
    ),
]


def configured_secrets(settings: Settings) -> list[str]:
    """The secret values of these settings, as they may appear in text."""
    values = [
        settings.telegram_token,
        settings.telegram_webhook_secret,
        settings.discord_token,
        settings.stripe_secret_key,
        settings.stripe_webhook_secret,
        settings.metrics_token,
    ]
    for url in (settings.database_url, settings.redis_url, settings.sentry_dsn):
        if url:
            parts = urlsplit(url)
            values += [parts.password, parts.username if url == settings.sentry_dsn else None]
    return [v for v in values if v and len(v) >= MIN_SECRET_LEN]


class Redactor:
    """`redact(text)` masks the secrets it was given and everything the patterns match."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted(set(secrets), key=len, reverse=True)

    @classmethod
    def for_settings(cls, settings: Settings) -> Redactor:
        return cls(configured_secrets(settings))

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def scrub(self, value: Any) -> Any:
        """A copy of a JSON-like value with every string redacted (Sentry events)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.scrub(item) for item in value)
        return value
