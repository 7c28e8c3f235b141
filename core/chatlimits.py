"""Per-user limits for the chat bots: photos per hour (sliding window, in this process).

Shared by the Telegram and Discord bots, so both say no at the same point. "Creations in
progress" is counted by each bot from its running watchers (`max_active` is the cap).
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable


class Limits:
    def __init__(
        self, *, uploads_per_hour: int, max_active: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.uploads_per_hour = uploads_per_hour
        self.max_active = max_active
        self.clock = clock
        self._uploads: dict[Hashable, deque[float]] = defaultdict(deque)

    def take_upload(self, chat_user: Hashable) -> bool:
        """Count one photo; False (and nothing counted) when the hour's allowance is used up."""
        now, window = self.clock(), self._uploads[chat_user]
        while window and now - window[0] >= 3600:
            window.popleft()
        if len(window) >= self.uploads_per_hour:
            return False
        window.append(now)
        return True
