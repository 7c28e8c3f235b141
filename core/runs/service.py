"""Verified runs: a level's input trace is replayed by the Python twin (core/levels/game.py) with
the game's own levels and physics (its game.json), and kept only when the replay ends the way the
page claims: the same status (level complete, won, or game over) on the trace's last frame, the
same score. Boards (top runs per game and level, per community) read what was kept.

    runs = RunService(settings=settings, db=db, storage=storage)
    done = runs.submit(code="Ab3x", claim=RunClaim(...), token=None, anon_id="...", name="")
    runs.top(code="Ab3x", level=0, community=Community("discord", "123"), limit=10)
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.config import Settings
from core.db import Database
from core.levels.game import RULES_VERSION, replay
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Game, Order, Run, utcnow
from core.runs.errors import RunRefused
from core.runs.tokens import Community, Launch, Player, verify_launch
from core.storage import Storage

log = logging.getLogger(__name__)
ENDINGS = ("level_complete", "won", "dead")
ANON_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
GAME_JSON = re.compile(r"^game\.[0-9a-f]+\.json$")
FRAME_MS = 1000 / 60
NAME_CHARS = 32


@dataclass(frozen=True, slots=True)
class RunClaim:
    """What the page says happened: level index, sim frames, the input trace as [count, mask]
    pairs (bits: 1 left, 2 right, 4 jump, 8 special), the level's score and how it ended."""

    level: int
    frames: int
    inputs: list[list[int]]
    score: int
    status: str
    lives: int | None = None  # lives carried into the level (default: a fresh game's)
    time_ms: int | None = None  # optional: must be the frames' time, to the frame


@dataclass(frozen=True, slots=True)
class RunView:
    id: int
    code: str
    level: int
    status: str
    score: int
    frames: int
    player_name: str  # as the player or platform gave it: escape it wherever it is shown
    player_kind: str
    community: Community | None
    created_at: datetime
    rank: int | None = None  # 1 = best on its board (game + level [+ community])


@dataclass(frozen=True, slots=True)
class Submitted:
    run: RunView
    rank: int  # on the game's board for this level
    community_rank: int | None  # on the community's board, when the run has one
    best: RunView  # the player's best on this board (this run when new_best)
    new_best: bool
    previous_best: int | None  # the player's best score before this run


Listener = Callable[[Submitted, Player], None]  # told about each kept run (RunService.on_kept)


def anon_player(anon_id: str, name: str = "") -> Player:
    """A browser player: its random id (localStorage) is hashed: the stored id is no credential."""
    if not ANON_ID.match(anon_id or ""):
        raise RunRefused("bad_player", "The player id must be 16-64 letters, digits, - or _.")
    digest = hashlib.sha256(b"petpixel-anon:" + anon_id.encode()).hexdigest()[:40]
    return Player("anon", digest, clean_name(name))


def clean_name(name: str | None) -> str:
    """A display name as given, minus control characters, at most NAME_CHARS."""
    text = "".join(ch for ch in (name or "") if ch.isprintable()).strip()
    return text[:NAME_CHARS]


def trace_hash(code: str, claim: RunClaim) -> str:
    body = json.dumps([code, claim.level, claim.lives, claim.inputs], separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


class RunService:
    def __init__(self, *, settings: Settings, db: Database, storage: Storage) -> None:
        self.settings, self.db, self.storage = settings, db, storage
        self._games: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []

    # ---- submitting -----------------------------------------------------------------------------

    def submit(
        self,
        *,
        code: str,
        claim: RunClaim,
        token: str | None = None,
        anon_id: str | None = None,
        name: str | None = None,
        now: datetime | None = None,
    ) -> Submitted:
        """Replay `claim` and keep it when the replay agrees; raises RunRefused (nothing stored).
        The player: the launch token's (with its community), else the browser's anonymous id."""
        game_id, data = self._game(code)
        _check_rules(data)
        if token:
            launch: Launch | None = verify_launch(self.settings.runs_secret, token, code=code)
            player = launch.player if launch else None
        else:
            launch, player = None, anon_player(anon_id or "", name or "")
        assert player is not None
        self._check_shape(claim, data)
        digest = trace_hash(code, claim)
        level, physics = data["levels"][claim.level], data["physics"]
        with self.db.session() as session:
            if session.scalar(
                select(Run.id).where(Run.game_id == game_id, Run.trace_hash == digest)
            ):
                raise RunRefused("duplicate_run", "This run was already recorded.", 409)
            self._check_game_rate(session, game_id, now or utcnow())
        result = replay(level, physics, claim.inputs, lives=claim.lives)
        _check_result(claim, result.status, result.score, result.ended_at, result.frames)
        community = launch.community if launch else None
        row = Run(game_id=game_id, level=claim.level, status=result.status, score=result.score,
                  frames=result.ended_at, lives=claim.lives or physics["lives"],
                  player_kind=player.kind, player_id=player.id, player_name=clean_name(player.name),
                  community_kind=community.kind if community else None,
                  community_id=community.id if community else None, trace_hash=digest)  # fmt: skip
        if now is not None:
            row.created_at = now
        try:
            with self.db.session() as session:
                previous = self._best_row(session, game_id, claim.level, player)
                session.add(row)
                session.flush()
                rank = _rank(session, row, None)
                community_rank = _rank(session, row, community) if community else None
                best = self._best_row(session, game_id, claim.level, player)
                assert best is not None
                done = Submitted(
                    run=_view(row, code, rank), rank=rank, community_rank=community_rank,
                    best=_view(best, code), new_best=best.id == row.id,
                    previous_best=previous.score if previous else None,
                )  # fmt: skip
        except IntegrityError:  # the same trace, sent twice at once
            raise RunRefused("duplicate_run", "This run was already recorded.", 409) from None
        self._announce(done, player)  # committed: listeners see a kept run
        return done

    # ---- listeners ------------------------------------------------------------------------------

    def on_kept(self, listener: Listener) -> None:
        """Call `listener(done, player)` after each run is kept (Telegram chats' high scores,
        core.notify.gamescores). A listener must be quick; its errors are logged, never raised."""
        self._listeners.append(listener)

    def _announce(self, done: Submitted, player: Player) -> None:
        for listener in self._listeners:
            try:
                listener(done, player)
            except Exception:  # a listener's trouble never undoes the run that was kept
                log.exception("a listener of kept runs failed for game %s", done.run.code)

    def _check_shape(self, claim: RunClaim, data: dict[str, Any]) -> None:
        s = self.settings
        if claim.status not in ENDINGS:
            raise RunRefused("bad_claim", "A run ends with level_complete, won or dead.")
        if not 0 <= claim.level < len(data["levels"]):
            raise RunRefused("bad_level", "This game has no such level.")
        lives = data["physics"]["lives"]
        if claim.lives is not None and not 1 <= claim.lives <= lives:
            raise RunRefused("bad_claim", f"A level starts with 1 to {lives} lives.")
        if claim.frames > s.runs_max_frames or len(claim.inputs) > s.runs_max_pairs:
            raise RunRefused("trace_too_large", "That run is too long to check.", 413)
        total = 0
        for pair in claim.inputs:
            if (len(pair) != 2 or not all(type(v) is int for v in pair)
                    or pair[0] < 1 or not 0 <= pair[1] <= 15):  # fmt: skip
                raise RunRefused("bad_trace", "The input trace is not [count, mask] pairs.")
            total += pair[0]
            if total > s.runs_max_frames:
                raise RunRefused("trace_too_large", "That run is too long to check.", 413)
        if total != claim.frames or claim.frames < 1:
            raise RunRefused("frames_mismatch", "The input trace does not hold the frames claimed.")
        if claim.time_ms is not None and abs(claim.time_ms - claim.frames * FRAME_MS) > FRAME_MS:
            raise RunRefused("time_mismatch", "The time claimed is not the run's time.")

    def _check_game_rate(self, session: Session, game_id: str, now: datetime) -> None:
        limit = self.settings.runs_per_game_per_minute
        if limit <= 0:
            return
        since = now - timedelta(minutes=1)
        kept = session.scalar(
            select(func.count()).where(Run.game_id == game_id, Run.created_at > since)
        )
        if (kept or 0) >= limit:
            raise RunRefused(
                "game_busy", "This game's board is very busy; try again in a minute.", 429
            )

    def _game(self, code: str) -> tuple[str, dict[str, Any]]:
        """The live game's id and its game.json (levels, physics), cached per process."""
        with self._lock:
            cached = self._games.get(code)
        with self.db.session() as session:
            stmt = (
                select(Game.id, Game.assets)
                .join(Order, Order.id == Game.order_id)
                .where(Game.code == code, Order.status == OrderStatus.READY.value)
                .where(or_(Game.expires_at.is_(None), Game.expires_at > utcnow()))
            )
            found = session.execute(stmt).one_or_none()
        if found is None:
            raise RunRefused("not_found", "We couldn't find that game.", 404)
        game_id, assets = found
        if cached is not None and cached[0] == game_id:
            return cached
        key = next((k for path, k in (assets or {}).items() if GAME_JSON.match(path)), None)
        if key is None:
            raise RunRefused("not_found", "That game keeps no levels to check runs against.", 404)
        data = json.loads(self.storage.get(key))
        entry = (game_id, {"levels": data["levels"], "physics": data["physics"],
                           "rules": data.get("rules")})  # fmt: skip
        with self._lock:
            self._games[code] = entry
            while len(self._games) > 256:
                self._games.popitem(last=False)
        return entry

    # ---- boards ---------------------------------------------------------------------------------

    def top(
        self,
        *,
        code: str,
        level: int,
        community: Community | None = None,
        limit: int = 10,
    ) -> list[RunView]:
        """The board: each player's best run of `level` (score, then fewer frames, then the
        earlier), ranked 1..; only runs launched from `community` when one is given."""
        game_id = self._game_id(code)
        if game_id is None:
            return []
        out: list[RunView] = []
        seen: set[tuple[str, str]] = set()
        with self.db.session() as session:
            stmt = _board(select(Run), game_id, level, community).order_by(*ORDER)
            for row in session.scalars(stmt.execution_options(yield_per=200)):
                who = (row.player_kind, row.player_id)
                if who in seen:
                    continue
                seen.add(who)
                out.append(_view(row, code, len(out) + 1))
                if len(out) >= limit:
                    break
        return out

    def best_of(
        self, *, code: str, level: int, player: Player, community: Community | None = None
    ) -> RunView | None:
        """A player's best run of `level`, with its rank among runs (game or community board)."""
        game_id = self._game_id(code)
        if game_id is None:
            return None
        with self.db.session() as session:
            row = self._best_row(session, game_id, level, player, community)
            return _view(row, code, _rank(session, row, community)) if row else None

    def community_top(self, *, community: Community, limit: int = 10) -> list[RunView]:
        """A community's best runs over every game and level (best score first), for chat boards."""
        with self.db.session() as session:
            stmt = (
                select(Run, Game.code)
                .join(Game, Game.id == Run.game_id)
                .where(Run.community_kind == community.kind, Run.community_id == community.id)
                .order_by(*ORDER)
                .limit(limit)
            )
            return [_view(row, code, i + 1) for i, (row, code) in enumerate(session.execute(stmt))]

    def delete_player(self, *, player: Player) -> int:
        """Erase every run of a player (the web's "forget me" for an anonymous browser id)."""
        with self.db.session() as session:
            done = session.execute(
                delete(Run).where(Run.player_kind == player.kind, Run.player_id == player.id)
            )
            return int(getattr(done, "rowcount", 0) or 0)

    def _game_id(self, code: str) -> str | None:
        try:
            return self._game(code)[0]
        except RunRefused:
            return None

    @staticmethod
    def _best_row(
        session: Session, game_id: str, level: int, player: Player,
        community: Community | None = None,
    ) -> Run | None:  # fmt: skip
        stmt = _board(select(Run), game_id, level, community).where(
            Run.player_kind == player.kind, Run.player_id == player.id
        )
        return session.scalars(stmt.order_by(*ORDER).limit(1)).first()


ORDER = (Run.score.desc(), Run.frames.asc(), Run.id.asc())


def _board(stmt: Any, game_id: str, level: int, community: Community | None) -> Any:
    stmt = stmt.where(Run.game_id == game_id, Run.level == level)
    if community is not None:
        stmt = stmt.where(Run.community_kind == community.kind, Run.community_id == community.id)
    return stmt


def _rank(session: Session, row: Run, community: Community | None) -> int:
    """1 + the players whose best run beats this one on its board."""
    better = or_(
        Run.score > row.score,
        and_(Run.score == row.score, Run.frames < row.frames),
        and_(Run.score == row.score, Run.frames == row.frames, Run.id < row.id),
    )
    stmt = _board(select(Run.player_kind, Run.player_id), row.game_id, row.level, community)
    stmt = stmt.where(better).where(
        or_(Run.player_kind != row.player_kind, Run.player_id != row.player_id)
    )
    players = session.scalar(select(func.count()).select_from(stmt.distinct().subquery()))
    return int(players or 0) + 1


def _check_rules(data: dict[str, Any]) -> None:
    """Only games made with the sim.js the twin mirrors can be checked (core.packaging.rules)."""
    if data.get("rules") != RULES_VERSION:
        raise RunRefused(
            "game_rules_changed",
            "This game was made with other game rules than the server checks: its scores can no "
            "longer be verified.",
            409,
        )


def _check_result(claim: RunClaim, status: str, score: int, ended_at: int, frames: int) -> None:
    if status == "playing":
        raise RunRefused("not_finished", "The replay of this run never finishes the level.")
    if ended_at != frames:
        raise RunRefused("trailing_frames", "The replay ended before the trace did.")
    if status != claim.status:
        raise RunRefused(
            "status_mismatch", f"The replay ends with '{status}', not '{claim.status}'."
        )
    if score != claim.score:
        raise RunRefused("score_mismatch", "The replay does not reach the score claimed.")


def _view(row: Run, code: str, rank: int | None = None) -> RunView:
    community = None
    if row.community_kind and row.community_id:
        community = Community(row.community_kind, row.community_id)
    return RunView(
        id=row.id, code=code, level=row.level, status=row.status, score=row.score,
        frames=row.frames, player_name=row.player_name, player_kind=row.player_kind,
        community=community, created_at=row.created_at, rank=rank,
    )  # fmt: skip
