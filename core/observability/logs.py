"""Process logging: human text (the embedded default) or one JSON object per line.

`configure_logging(settings)` gives the root logger one stderr handler; every library's records
(uvicorn, Celery, PTB, discord.py) reach it. Each record gets the ids bound where it was logged
(`core.observability.ids`) and is redacted (`Redactor`) before any handler formats it:

    {"time": "2025-01-01T12:00:00.123Z", "level": "ERROR", "logger": "petpixel.web",
     "message": "...", "request_id": "9f1c...", "order_id": "...", "task_id": "...",
     "channel": "telegram", "exc_info": "Traceback ..."}
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from core.config import Settings
from core.observability.ids import FIELDS, current
from core.observability.redact import Redactor

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s%(ids)s"


class IdsFilter(logging.Filter):
    """Puts the bound ids on each record (`record.request_id` ...; absent ones None)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = current()
        for name in FIELDS:
            if getattr(record, name, None) is None:
                setattr(record, name, ids.get(name))
        return True


class RedactFilter(logging.Filter):
    """Renders the message and the traceback, then masks secrets and photo data in them."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_petpixel_redacted", False):
            return True  # a second handler: already done
        record.msg, record.args = self.redactor.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.redact(record.stack_info)
        record._petpixel_redacted = True
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the known ids, exc_info."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if (value := getattr(record, name, None)) is not None:
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc_info"] = record.exc_text
        if record.stack_info:
            line["stack_info"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The human format, with the bound ids in brackets at the end of the line."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        ids = [f"{name}={v}" for name in FIELDS if (v := getattr(record, name, None)) is not None]
        record.ids = f" [{' '.join(ids)}]" if ids else ""
        return super().format(record)


def make_handler(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """A stream handler in the configured format, with the ids and redaction filters."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else TextFormatter())
    handler.addFilter(IdsFilter())
    handler.addFilter(RedactFilter(Redactor.for_settings(settings)))
    handler.set_name("petpixel")
    return handler


def configure_logging(settings: Settings, stream: TextIO | None = None) -> logging.Handler:
    """Give the root logger our one handler (replacing any earlier one of ours) at
    PETPIXEL_LOG_LEVEL; returns it. Handlers that libraries added elsewhere get our filters too,
    so nothing reaches a stream unredacted."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "petpixel"]:
        root.removeHandler(old)
    handler = make_handler(settings, stream)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    guard_handlers(settings)
    return handler


def guard_handlers(settings: Settings) -> None:
    """Add the ids and redaction filters to every handler of every logger that has none."""
    redactor = Redactor.for_settings(settings)
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if not any(isinstance(f, RedactFilter) for f in handler.filters):
                handler.addFilter(IdsFilter())
                handler.addFilter(RedactFilter(redactor))
