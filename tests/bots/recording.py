"""A job queue that notes what it is asked to run and passes every job on to the real queue."""

from __future__ import annotations

from core.jobs import JobQueue


class RecordingJobs:
    """Wraps the runtime's real queue (`open_runtime(..., wrap_jobs=RecordingJobs)`)."""

    def __init__(self, inner: JobQueue) -> None:
        self.inner = inner
        self.previews: list[str] = []
        self.builds: list[str] = []

    def enqueue_preview(self, order_id: str) -> str:
        self.previews.append(order_id)
        return self.inner.enqueue_preview(order_id)

    def enqueue_build(self, order_id: str, *, hd: bool = False) -> str:
        self.builds.append(order_id)
        return self.inner.enqueue_build(order_id, hd=hd)
