"""Fixtures both bot suites share: test settings and the real service stack they run over."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from runtime import open_runtime
from tests.conftest import free_port


@pytest.fixture
def base_settings(settings: Settings) -> Settings:
    """Tiny sprites, no progress throttling in the worker, and links on a free local port (the
    port `serving_web` serves the web app on, so a test can open the links the bot hands out)."""
    values = {
        "preview_sprite_size": 32,
        "progress_interval_s": 0.0,
        "public_url": f"http://127.0.0.1:{free_port()}",
    }
    return settings.model_copy(update=values)


@pytest.fixture
def runtime(base_settings: Settings) -> Iterator[Any]:
    """The real service stack on embedded defaults (SQLite, local files, worker thread)."""
    with open_runtime(base_settings, role="bot") as rt:
        yield rt
