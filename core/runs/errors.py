"""Why a run was refused: a stable reason code, a message, and the HTTP status the web answers."""

from __future__ import annotations

from core.errors import InvalidRequest


class RunRefused(InvalidRequest):
    """A submitted run that was not kept (nothing was stored)."""

    code = "run_refused"

    def __init__(self, code: str, message: str, status_code: int = 422) -> None:
        super().__init__(message, code=code)
        self.status_code = status_code
