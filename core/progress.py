"""Progress reporting: every pipeline step takes a callback (percent 0-100, short label)."""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[int, str], None]


def no_progress(percent: int, label: str) -> None:
    """A callback that ignores progress."""


def scaled(progress: ProgressFn | None, start: int, end: int) -> ProgressFn:
    """Map a step's own 0-100 into the [start, end] slice of its caller's progress."""
    if progress is None:
        return no_progress
    span = end - start

    def report(percent: int, label: str) -> None:
        clamped = min(100, max(0, percent))
        progress(start + round(span * clamped / 100), label)

    return report
