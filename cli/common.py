"""Helpers shared by CLI commands: settings, user-facing errors, exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from core.config import Settings
from core.errors import PetPixelError

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
