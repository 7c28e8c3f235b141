"""Play-page views counted in memory and written to the database in batches.

A popular link is opened many times a second; one UPDATE per view serialises every visit on the
games row (and on SQLite, on the whole database), which showed as a 1.2 s p99 on the play page.
`ViewCounter` adds views in memory and a background thread writes the sums every `interval`
seconds in one transaction (`OrderService.add_views`). Readers add `pending(code)` to the stored
count, so a page that shows views is never behind its own process.

What can be lost: the views of the last `interval` seconds if the process dies without closing
the counter (a clean shutdown flushes). A failed write keeps its counts for the next flush.
Several web processes each keep their own counter; increments add up in the database.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Mapping

log = logging.getLogger("petpixel.views")

Flush = Callable[[Mapping[str, int]], None]


class ViewCounter:
    """Thread-safe view tallies per short code, flushed by `flush` (a callable) in batches."""

    def __init__(self, write: Flush, *, interval: float = 2.0, max_codes: int = 10_000) -> None:
        self._write = write
        self.interval = interval
        # Past this many distinct codes in one interval, write at once rather than grow.
        self.max_codes = max_codes
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()  # one writer at a time keeps the order of batches
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, code: str, n: int = 1) -> None:
        with self._lock:
            self._counts[code] += n
            full = len(self._counts) >= self.max_codes
        if full:
            self.flush()

    def pending(self, code: str) -> int:
        """Views of `code` counted here and not yet written."""
        with self._lock:
            return self._counts.get(code, 0)

    def flush(self) -> int:
        """Write what is pending; returns how many views were written (0 when the write failed)."""
        with self._flush_lock:
            with self._lock:
                batch, self._counts = self._counts, Counter()
            if not batch:
                return 0
            try:
                self._write(batch)
            except Exception:
                log.exception("writing %d view counts failed; kept for the next try", len(batch))
                with self._lock:
                    self._counts.update(batch)
                return 0
            return sum(batch.values())

    def start(self) -> ViewCounter:
        """Flush every `interval` seconds on a daemon thread until `close`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="petpixel-views", daemon=True)
            self._thread.start()
        return self

    def close(self) -> None:
        """Stop the thread and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
            self._thread = None
        self.flush()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.flush()
