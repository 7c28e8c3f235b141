"""Verified runs of a game: the page submits a level's input trace, the server replays it with the
Python twin and keeps it only when the replay agrees (core/runs); the boards read what was kept.

The browser's anonymous player id travels in the `X-Player-Id` header (never in a URL or an
answer): it finds that browser's best and lets it erase its runs. A page opened from a chat's
launch link sends its launch token in `X-Launch-Token` instead, to find that player's best."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field

from core.runs import RunClaim, RunRefused, RunView, Submitted, anon_player, verify_launch
from core.runs.tokens import Player
from web.deps import ResourcesDep
from web.routes.images import ERRORS

router = APIRouter(tags=["runs"], responses=ERRORS)
PlayerHeader = Annotated[str | None, Header(alias="X-Player-Id", max_length=64)]
TokenHeader = Annotated[str | None, Header(alias="X-Launch-Token", max_length=1024)]


class RunSubmit(BaseModel):
    level: int = Field(ge=0, le=99)
    frames: int = Field(ge=1)
    inputs: list[list[int]] = Field(
        description="[count, mask] pairs; mask 1 left 2 right 4 jump 8 special"
    )
    score: int = Field(ge=0)
    status: Literal["level_complete", "won", "dead"]
    lives: int | None = Field(default=None, ge=1, le=99)
    time_ms: int | None = Field(default=None, ge=0)
    token: str | None = Field(
        default=None, max_length=1024, description="launch token from a bot's link"
    )
    player: str | None = Field(
        default=None, max_length=64, description="the browser's anonymous id"
    )
    name: str | None = Field(default=None, max_length=64)


class RunOut(BaseModel):
    rank: int | None
    level: int
    status: str
    score: int
    frames: int
    name: str  # as given: the page must insert it as text, never as HTML
    community: str | None  # "discord" | "telegram" | None (no ids)


class Submission(BaseModel):
    accepted: bool
    run: RunOut
    rank: int
    community_rank: int | None
    best: RunOut
    new_best: bool
    previous_best: int | None


class Board(BaseModel):
    level: int
    top: list[RunOut]
    mine: RunOut | None


def run_out(view: RunView) -> RunOut:
    return RunOut(
        rank=view.rank, level=view.level, status=view.status, score=view.score, frames=view.frames,
        name=view.player_name, community=view.community.kind if view.community else None,
    )  # fmt: skip


def submission(done: Submitted) -> Submission:
    return Submission(
        accepted=True, run=run_out(done.run), rank=done.rank, community_rank=done.community_rank,
        best=run_out(done.best), new_best=done.new_best, previous_best=done.previous_best,
    )  # fmt: skip


@router.post("/api/games/{code}/runs", status_code=201, summary="Submit a run to be verified")
async def submit_run(code: str, body: RunSubmit, resources: ResourcesDep) -> Submission:
    """Replays the trace; 201 when kept, else 4xx with a reason code and nothing stored."""
    claim = RunClaim(level=body.level, frames=body.frames, inputs=body.inputs, score=body.score,
                     status=body.status, lives=body.lives, time_ms=body.time_ms)  # fmt: skip
    done = await asyncio.to_thread(
        resources.runtime.runs.submit, code=code, claim=claim, token=body.token,
        anon_id=body.player, name=body.name,
    )  # fmt: skip
    return submission(done)


@router.get("/api/games/{code}/runs", summary="A level's top runs and this browser's best")
def board(
    code: str, resources: ResourcesDep, player: PlayerHeader = None, token: TokenHeader = None,
    level: int = 0, limit: int = 10,
) -> Board:  # fmt: skip
    runs = resources.runtime.runs
    top = runs.top(code=code, level=level, limit=max(1, min(limit, 50)))
    who = _viewer(runs.settings.runs_secret, code, player, token)
    mine = runs.best_of(code=code, level=level, player=who) if who else None
    return Board(level=level, top=[run_out(r) for r in top], mine=run_out(mine) if mine else None)


def _viewer(secret: str | None, code: str, player: str | None, token: str | None) -> Player | None:
    """Whose best the board marks: the launch token's player, else the browser's anonymous id.
    A pass that does not check out (expired, another game's) only means no best is marked."""
    try:
        if token:
            return verify_launch(secret, token, code=code).player
        return anon_player(player) if player else None
    except RunRefused:
        return None


@router.post("/api/runs/forget", summary="Erase every run of this browser's anonymous player")
def forget(resources: ResourcesDep, player: PlayerHeader = None) -> dict[str, int]:
    if not player:
        raise RunRefused("bad_player", "Send the player id in the X-Player-Id header.")
    return {"deleted": resources.runtime.runs.delete_player(player=anon_player(player))}
