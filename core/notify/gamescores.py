"""Telegram chats' own high-score tables, fed from verified runs only.

A Telegram Game message (sendGame in a chat, or an inline result shared into one) launches the game
registered with @BotFather; which PetPixel game it stands for is ours to remember. The bot records:

- for each game message it sends or shares, the game code it launches (`remember_game`), by its
  reference `<chat id>:<message id>` or `inline:<inline message id>`;
- when someone presses Play, that message as the place to keep the scores of that game for that
  community (`remember_target`), so a run accepted later updates the table people saw.

`TelegramScores.run_accepted(done, player)` listens to core.runs (`RunService.on_kept`, wired in
runtime/open.py) for every run it kept after the replay matched: a run whose launch token names a
Telegram community becomes one setGameScore for that player on that message, in a background
thread over plain HTTP like the other notifiers (the web process runs no bot). Telegram keeps one
score per player per table and refuses one that is not higher (BOT_SCORE_NOT_MODIFIED): that is
the normal case, not an error. Nothing here ever raises.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from core.botstate import BotStateStore
from core.notify.telegram import DEFAULT_API_URL
from core.runs.service import Submitted
from core.runs.tokens import Player

log = logging.getLogger("petpixel.notify")
GAME_SCOPE = "telegram:game:"  # + message reference -> {"code": game code}
TARGET_SCOPE = "telegram:scores:"  # + community id -> {game code: target}
NOT_HIGHER = "BOT_SCORE_NOT_MODIFIED"


@dataclass(frozen=True)
class Target:
    """The game message whose table holds a community's scores of one game."""

    chat_id: int | None = None
    message_id: int | None = None
    inline_message_id: str | None = None

    def params(self) -> dict[str, Any]:
        if self.inline_message_id:
            return {"inline_message_id": self.inline_message_id}
        return {"chat_id": self.chat_id, "message_id": self.message_id}


def message_ref(*, chat_id: int | None = None, message_id: int | None = None,
                inline_message_id: str | None = None) -> str:  # fmt: skip
    """A game message's reference: `<chat id>:<message id>` or `inline:<id>`."""
    return f"inline:{inline_message_id}" if inline_message_id else f"{chat_id}:{message_id}"


class GameMessages:
    """Which game each Telegram game message launches, and where each community's scores go.
    Blocking (database) calls: the bot runs them off its event loop."""

    def __init__(self, store: BotStateStore) -> None:
        self.store = store

    def remember_game(self, ref: str, code: str) -> None:
        self.store.save(GAME_SCOPE + ref, "game", {"code": code})

    def game_of(self, ref: str) -> str | None:
        value = self.store.load(GAME_SCOPE + ref).get("game")
        return str(value["code"]) if isinstance(value, dict) and value.get("code") else None

    def remember_target(self, community_id: str, code: str, target: Target) -> None:
        value = {k: v for k, v in target.__dict__.items() if v is not None}
        self.store.save(TARGET_SCOPE + community_id, code, value)

    def target_of(self, community_id: str, code: str) -> Target | None:
        value = self.store.load(TARGET_SCOPE + community_id).get(code)
        return Target(**value) if isinstance(value, dict) else None


class TelegramScores:
    """Posts each accepted Telegram-community run to its chat's high-score table; never raises.
    Safe from several threads (one httpx client, opened on first use)."""

    def __init__(
        self, *, token: str, messages: GameMessages, api_url: str | None = None,
        timeout_s: float = 5.0,
    ) -> None:  # fmt: skip
        self.messages = messages
        self.endpoint = f"{(api_url or DEFAULT_API_URL).rstrip('/')}{token}/setGameScore"
        self.timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0))
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="telegram-scores")

    def http(self) -> httpx.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self.timeout)
            return self._client

    def close(self) -> None:
        """Finish the scores in flight, then close the connection pool."""
        self._pool.shutdown(wait=True)
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def run_accepted(self, done: Submitted, player: Player) -> None:
        """A RunService listener: post the score in the background (the player's answer never
        waits on Telegram)."""
        if done.run.community is not None and done.run.community.kind == "telegram":
            self._pool.submit(self.post_score, done, player)

    def post_score(self, done: Submitted, player: Player) -> bool:
        """Update the table the player launched from; True when Telegram took the score."""
        run, community = done.run, done.run.community
        if community is None or community.kind != "telegram" or player.kind != "telegram":
            return False
        try:
            target = self.messages.target_of(community.id, run.code)
            if target is None or not player.id.isdigit():
                log.info("run of game %s: no Telegram game message to score on", run.code)
                return False
            return self._post(target, int(player.id), run.score)
        except Exception as exc:  # a lost score must never undo the run that was kept
            log.warning("Telegram high score for game %s not set: %s", run.code, exc)
            return False

    def _post(self, target: Target, user_id: int, score: int) -> bool:
        params = {"user_id": user_id, "score": max(0, score), **target.params()}
        reply = self.http().post(self.endpoint, json=params)
        body: Any = reply.json() if reply.headers.get("content-type", "").startswith(
            "application/json") else {}  # fmt: skip
        if reply.status_code == 200 and body.get("ok"):
            return True
        description = str(body.get("description") if isinstance(body, dict) else "?")
        if NOT_HIGHER in description:  # the table already holds a higher score: nothing to do
            return False
        raise RuntimeError(f"Bot API answered {reply.status_code}: {description}")
