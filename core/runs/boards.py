"""Chat boards and launch links: what the Discord and Telegram bots show and hand out.

    boards = Boards(settings=settings, runs=runtime.runs)
    boards.page(community=Community("discord", guild_id), page=0, size=10)  # a server's board
    boards.launch_url(game_url=game.url, code=game.code, community=..., player_id=...,
                      player_name=...)  # the game's link with a signed launch token

A community's board ranks the verified runs launched from it (core.runs.service keeps only runs
whose replay matched): one row per player and game, that player's best level run of that game
there (score, then fewer frames, then the earlier). A launch link is the game's page with a launch
token (core.runs.tokens) in the fragment, `#t=<token>` (never sent in a request line, so never in a
log), which the page (game_template/js/runs.js) sends with each run. Player names are kept as the
platform gives them (minus control characters): every caller escapes them for its own markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select

from core.config import Settings
from core.orders.tables import Game, Run
from core.runs.service import RunService, clean_name
from core.runs.tokens import Community, Player, sign_launch

LAUNCH_PARAM = "t"  # the game page reads the token from `#t=...` (game_template/js/runs.js)
MAX_PAGE_SIZE = 25

__all__ = ["LAUNCH_PARAM", "BoardPage", "BoardRow", "Boards", "Community", "launch_url"]


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    player_name: str  # as the platform gave it: escape it wherever it is shown
    score: int
    level: int
    code: str
    pet_name: str  # the game's pet (its owner typed it: escape it too)


@dataclass(frozen=True, slots=True)
class BoardPage:
    rows: list[BoardRow]
    page: int  # 0-based, clamped to the pages there are
    pages: int  # at least 1
    total: int  # rows on the whole board


def launch_url(
    settings: Settings, *, game_url: str, code: str, community: Community, player_id: str,
    player_name: str, now: float | None = None,
) -> str:  # fmt: skip
    """The game's link for one player of one community: runs from it count on that board."""
    player = Player(community.kind, str(player_id), clean_name(player_name))
    token = sign_launch(settings.runs_secret or "", code=code, community=community, player=player,
                        ttl_s=settings.runs_token_ttl_s, now=now)  # fmt: skip
    # In the fragment, not the query: a browser never sends it, so no access log or proxy sees it.
    return f"{game_url}#{urlencode({LAUNCH_PARAM: token})}"


class Boards:
    """Community boards over the runs table, and launch links signed with `runs_secret`."""

    def __init__(self, *, settings: Settings, runs: RunService) -> None:
        if not settings.runs_secret:
            raise ValueError("chat boards need Settings.runs_secret to sign launch links")
        self.settings, self.runs, self.db = settings, runs, runs.db

    def page(
        self, *, community: Community, page: int = 0, size: int = 10, code: str | None = None
    ) -> BoardPage:
        """One page of the community's board (of one game when `code` is given)."""
        size = max(1, min(size, MAX_PAGE_SIZE))
        best = _best_per_player(community, code)
        with self.db.session() as session:
            total = int(session.scalar(select(func.count()).select_from(best)) or 0)
            pages = max(1, -(-total // size))
            page = max(0, min(page, pages - 1))
            stmt = (
                select(
                    best.c.player_name,
                    best.c.score,
                    best.c.level,
                    Game.code,
                    Game.config,
                    Game.meta,
                )
                .join(Game, Game.id == best.c.game_id)
                .order_by(best.c.score.desc(), best.c.frames.asc(), best.c.id.asc())
                .offset(page * size)
                .limit(size)
            )
            rows = [
                BoardRow(
                    rank=page * size + i + 1,
                    player_name=name,
                    score=score,
                    level=level,
                    code=game_code,
                    pet_name=_pet(game_code, config, meta),
                )
                for i, (name, score, level, game_code, config, meta) in enumerate(
                    session.execute(stmt)
                )
            ]
        return BoardPage(rows=rows, page=page, pages=pages, total=total)

    def best(self, *, community: Community, code: str) -> BoardRow | None:
        """The top row of the community's board for one game (None before any run)."""
        rows = self.page(community=community, size=1, code=code).rows
        return rows[0] if rows else None

    def launch_url(
        self, *, game_url: str, code: str, community: Community, player_id: str, player_name: str
    ) -> str:
        return launch_url(self.settings, game_url=game_url, code=code, community=community,
                          player_id=player_id, player_name=player_name)  # fmt: skip


def _best_per_player(community: Community, code: str | None) -> Any:
    """Each (player, game)'s best run in the community, as a subquery."""
    order = (Run.score.desc(), Run.frames.asc(), Run.id.asc())
    place = func.row_number().over(
        partition_by=(Run.player_kind, Run.player_id, Run.game_id), order_by=order
    )
    stmt = select(
        Run.id, Run.game_id, Run.player_name, Run.score, Run.level, Run.frames, place.label("place")
    ).where(Run.community_kind == community.kind, Run.community_id == str(community.id))
    if code is not None:
        stmt = stmt.join(Game, Game.id == Run.game_id).where(Game.code == code)
    ranked = stmt.subquery()
    return select(ranked).where(ranked.c.place == 1).subquery()


def _pet(code: str, *fields: Any) -> str:
    """The game's pet name (config, else metadata), else its code."""
    for field in fields:
        if isinstance(field, dict) and field.get("pet_name"):
            return str(field["pet_name"])
    return code
