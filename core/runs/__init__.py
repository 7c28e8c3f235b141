"""Verified runs and boards: input traces replayed by the Python twin before they are kept."""

from core.runs.errors import RunRefused
from core.runs.service import RunClaim, RunService, RunView, Submitted, anon_player, clean_name
from core.runs.tokens import Community, Launch, Player, sign_launch, verify_launch

__all__ = [
    "Community", "Launch", "Player", "RunClaim", "RunRefused", "RunService", "RunView",
    "Submitted", "anon_player", "clean_name", "sign_launch", "verify_launch",
]  # fmt: skip
