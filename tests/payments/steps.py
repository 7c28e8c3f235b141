"""Build steps for the payment tests: the real pipeline, except orders with seed 13, whose sprite
step keeps losing its 'connection' (so the worker retries, then gives up)."""

from __future__ import annotations

from typing import Any

from core.orders.builds import Steps, default_steps

DOOMED_SEED = 13


def steps() -> Steps:
    def make_sprite(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("seed") == DOOMED_SEED:
            raise ConnectionError("storage connection reset (injected)")
        return default_steps().make_sprite(*args, **kwargs)  # imported on first real use

    def generate_levels(**kwargs: Any) -> list[dict[str, Any]]:
        return default_steps().generate_levels(**kwargs)

    def build_bundle(**kwargs: Any) -> dict[str, bytes]:
        return default_steps().build_bundle(**kwargs)

    return Steps(make_sprite, generate_levels, build_bundle)
