"""Games and runs for the chat leaderboard tests: a live game owned by a chat user, runs kept
straight in the table (for paging), and real runs submitted over HTTP with a launch link's token."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from core.orders.tables import Game, Order, Run
from tests.runs.conftest import publish

SECRET = "chat-boards-test-secret-0123456789"


def own_game(rt: Any, *, provider: str, external_id: int, code: str, pet: str,
             data: dict[str, Any]) -> str:  # fmt: skip
    """Publish a live game (its game.json holds `data`) owned by a chat user; returns its id."""
    user = rt.orders.get_or_create_user(provider=provider, external_id=str(external_id))
    game_id = publish(rt.db, rt.storage, code, data)
    with rt.db.session() as session:
        game = session.get(Game, game_id)
        assert game is not None
        order = session.get(Order, game.order_id)
        assert order is not None
        game.user_id = order.user_id = user.id
        game.config = {**game.config, "pet_name": pet}
    return game_id


def keep_run(rt: Any, game_id: str, *, kind: str, community: str, player: str, name: str,
             score: int, level: int = 0) -> None:  # fmt: skip
    """A run row as core.runs keeps it after a matching replay (for tests of what boards show)."""
    with rt.db.session() as session:
        session.add(Run(game_id=game_id, level=level, status="level_complete", score=score,
                        frames=600, lives=3, player_kind=kind, player_id=player, player_name=name,
                        community_kind=kind, community_id=community,
                        trace_hash=f"{player}-{score}-{level}".ljust(64, "0")))  # fmt: skip


def token_of(url: str) -> str:
    """The launch token in a launch link (`#t=...`, as the game page reads it)."""
    found = parse_qs(urlsplit(url).fragment).get("t")
    assert found, url
    return found[0]


def payload(token: str) -> dict[str, Any]:
    """What a launch token says (its first part), without checking it."""
    part = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))  # type: ignore[no-any-return]


def swapped(token: str, **changes: str) -> str:
    """The token with its payload changed and the old signature kept (a forgery)."""
    body = {**payload(token), **changes}
    part = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode())
    return f"{part.rstrip(b'=').decode()}.{token.split('.')[1]}"


async def submit(client: httpx.AsyncClient, url: str, run: dict[str, Any], *, token: str,
                 lives: int | None = None) -> httpx.Response:  # fmt: skip
    """POST the run to the game's runs API, as the page opened from `url` would."""
    parts = urlsplit(url)
    code = parts.path.rstrip("/").rsplit("/", 1)[-1]
    body = {"level": 0, "frames": run["frames"], "inputs": run["inputs"], "score": run["score"],
            "status": run["status"], "lives": lives, "token": token}  # fmt: skip
    return await client.post(f"{parts.scheme}://{parts.netloc}/api/games/{code}/runs", json=body)
