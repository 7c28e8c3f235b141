"""Helpers shared by CLI commands: settings, user-facing errors, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

import typer

from core.config import Settings
from core.errors import PetPixelError

if TYPE_CHECKING:
    from web.app import Companion

EXIT_BAD_INPUT = 2


def load_cli_settings() -> Settings:
    return Settings()


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a PetPixelError into one line on stderr and exit code 2, never a traceback."""
    try:
        yield
    except PetPixelError as exc:
        print(f"error: {exc.code}: {exc.message}", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def print_progress(percent: int, label: str) -> None:
    """Progress on stdout, so stderr carries nothing but the one-line error of a failed run."""
    print(f"[{percent:3d}%] {label}", flush=True)


def bot_companions(settings: Settings, *, only: str | None = None) -> dict[str, Companion]:
    """The bots that run inside the web process: each one whose token is set (or just `only`),
    started over the web app's runtime. `petpixel serve` (only=None) starts none when
    PETPIXEL_SERVE_BOTS=false: the bots then run as their own processes."""
    companions: dict[str, Companion] = {}
    if only is None and not settings.serve_bots:
        return companions
    if settings.telegram_token and only in (None, "telegram"):
        from bots.telegram.runner import running as telegram_running

        companions["telegram"] = partial(telegram_running, settings)
    if settings.discord_token and only in (None, "discord"):
        from bots.discord.bot import running as discord_running

        companions["discord"] = partial(discord_running, settings)
    return companions
