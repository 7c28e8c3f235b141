"""Launch tokens: what a bot puts in a game link so a run is credited to a player and community.

`<payload>.<signature>`, both base64url: the payload is compact JSON {g: game code, k: community
kind, c: community id, p: player id, n: player name, e: expiry (unix s)}; the signature is
HMAC-SHA256 over the payload's text with `Settings.runs_secret`. A token names one game and one
community: it is refused for any other game, and its community or player cannot be changed
without the secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from core.runs.errors import RunRefused

COMMUNITY_KINDS = ("discord", "telegram")
MAX_TOKEN_CHARS = 1024


@dataclass(frozen=True, slots=True)
class Community:
    kind: str  # discord (guild id) | telegram (chat id)
    id: str


@dataclass(frozen=True, slots=True)
class Player:
    kind: str  # discord | telegram (the platform's user id) | anon (hash of a browser's id)
    id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Launch:
    code: str
    community: Community
    player: Player
    expires_at: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> bytes:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()


def sign_launch(
    secret: str,
    *,
    code: str,
    community: Community,
    player: Player,
    ttl_s: int,
    now: float | None = None,
) -> str:
    """A launch token for `player` of `community` playing game `code`, valid `ttl_s` seconds."""
    if community.kind not in COMMUNITY_KINDS or player.kind != community.kind:
        raise ValueError("launch tokens are for a Discord or Telegram player of that community")
    if not secret:
        raise ValueError("Settings.runs_secret is not set")
    body = {"g": code, "k": community.kind, "c": str(community.id), "p": str(player.id),
            "n": player.name[:64],
            "e": int((time.time() if now is None else now) + ttl_s)}  # fmt: skip
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode())
    return f"{payload}.{_b64(_mac(secret, payload))}"


def verify_launch(secret: str | None, token: str, *, code: str, now: float | None = None) -> Launch:
    """The launch a token names, checked: signature, expiry, and that it is for game `code`.
    Raises RunRefused (403) with code token_invalid, token_expired or token_wrong_game."""
    if not secret or len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        raise RunRefused("token_invalid", "This game link's player pass is not valid.", 403)
    payload, signature = token.split(".")
    try:
        good = hmac.compare_digest(_unb64(signature), _mac(secret, payload))
        body = json.loads(_unb64(payload)) if good else None
    except (binascii.Error, ValueError):
        good, body = False, None
    if not good or not isinstance(body, dict):
        raise RunRefused("token_invalid", "This game link's player pass is not valid.", 403)
    try:
        launch = Launch(
            code=str(body["g"]), community=Community(str(body["k"]), str(body["c"])),
            player=Player(str(body["k"]), str(body["p"]), str(body.get("n", ""))[:64]),
            expires_at=int(body["e"]),
        )  # fmt: skip
    except (KeyError, TypeError, ValueError):
        raise RunRefused(
            "token_invalid", "This game link's player pass is not valid.", 403
        ) from None
    if launch.community.kind not in COMMUNITY_KINDS:
        raise RunRefused("token_invalid", "This game link's player pass is not valid.", 403)
    if launch.code != code:
        raise RunRefused("token_wrong_game", "This player pass belongs to another game.", 403)
    if launch.expires_at <= (time.time() if now is None else now):
        raise RunRefused("token_expired", "This game link has expired; ask for a new one.", 403)
    return launch
