"""Verified runs (core/runs): a real trace is replayed and kept; forged, truncated, oversized,
replayed and impossible traces and forged or swapped launch tokens are refused with nothing
stored; boards per game, level and community; a person's runs go with /delete."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.levels.game import replay
from core.orders.service import OrderService
from core.orders.tables import Game, Identity, Run, User
from core.runs import Community, Player, RunClaim, RunRefused, RunService, sign_launch
from tests.runs.conftest import SECRET

pytestmark = pytest.mark.node
ANON = "browser-id-0123456789abcdef"


def claim(run: dict[str, Any], **changes: Any) -> RunClaim:
    base = {"level": 0, "frames": run["frames"], "inputs": run["inputs"], "score": run["score"],
            "status": run["status"]}  # fmt: skip
    return RunClaim(**{**base, **changes})


def stored(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Run)) or 0)


def refused(runs: RunService, code: str, why: str, **kwargs: Any) -> RunRefused:
    with pytest.raises(RunRefused) as caught:
        runs.submit(**{"code": "GameOne01", "anon_id": ANON, **kwargs})
    assert caught.value.code == code, (caught.value.code, caught.value.message, why)
    return caught.value


def token(code: str = "GameOne01", kind: str = "discord", community: str = "guild-1",
          player: str = "u-1", name: str = "Ada", ttl: int = 3600) -> str:  # fmt: skip
    return sign_launch(SECRET, code=code, community=Community(kind, community),
                       player=Player(kind, player, name), ttl_s=ttl)  # fmt: skip


def test_a_real_run_is_replayed_and_kept(runs: RunService, db: Database,
                                         bot_run: dict[str, Any]) -> None:  # fmt: skip
    assert bot_run["status"] == "level_complete"
    assert bot_run["score"] > 0
    timed = claim(bot_run, time_ms=round(bot_run["frames"] * 1000 / 60))
    done = runs.submit(code="GameOne01", claim=timed,
                       anon_id=ANON, name="  Rex <b>fan</b>\x07 ")  # fmt: skip
    assert (done.rank, done.new_best, done.previous_best) == (1, True, None)
    assert (done.run.score, done.run.frames, done.run.status) == (
        bot_run["score"],
        bot_run["frames"],
        "level_complete",
    )
    assert (
        done.run.player_name == "Rex <b>fan</b>"
    )  # as given (minus control chars): escaped on output
    assert done.community_rank is None
    assert done.run.community is None
    assert stored(db) == 1
    with db.session() as session:
        row = session.scalars(select(Run)).one()
        assert row.player_kind == "anon"
        assert ANON not in row.player_id  # the id is no credential
    top = runs.top(code="GameOne01", level=0)
    assert [(r.rank, r.score) for r in top] == [(1, bot_run["score"])]
    assert runs.top(code="GameTwo02", level=0) == []


@pytest.mark.parametrize("why", ["score", "truncated", "truncated_claim", "trailing", "status",
                                 "frames", "time", "mask", "count", "level", "lives"])  # fmt: skip
def test_forged_and_impossible_runs_are_refused(
    runs: RunService, db: Database, bot_run: dict[str, Any], why: str
) -> None:
    inputs, frames = bot_run["inputs"], bot_run["frames"]
    cut = inputs[:-1]
    cases = {
        "score": ("score_mismatch", claim(bot_run, score=bot_run["score"] + 10)),
        "truncated": ("not_finished", claim(bot_run, inputs=cut, frames=sum(n for n, _ in cut))),
        "truncated_claim": ("frames_mismatch", claim(bot_run, inputs=cut)),
        "trailing": (
            "trailing_frames",
            claim(bot_run, inputs=[*inputs, [30, 0]], frames=frames + 30),
        ),
        "status": ("status_mismatch", claim(bot_run, status="won")),
        "frames": ("frames_mismatch", claim(bot_run, frames=frames + 1)),
        "time": ("time_mismatch", claim(bot_run, time_ms=frames * 1000 // 60 + 500)),
        "mask": ("bad_trace", claim(bot_run, inputs=[*inputs[:-1], [inputs[-1][0], 16]])),
        "count": ("bad_trace", claim(bot_run, inputs=[[0, 2], *inputs])),
        "level": ("bad_level", claim(bot_run, level=2)),
        "lives": ("bad_claim", claim(bot_run, lives=9)),
    }
    code, forged = cases[why]
    refused(runs, code, why, claim=forged)
    assert stored(db) == 0


def test_oversized_traces_are_refused_before_replay(runs: RunService, db: Database,
                                                    bot_run: dict[str, Any]) -> None:  # fmt: skip
    ten_minutes = runs.settings.runs_max_frames
    long = claim(bot_run, inputs=[[ten_minutes + 1, 2]], frames=ten_minutes + 1)
    assert refused(runs, "trace_too_large", "frames", claim=long).status_code == 413
    many = [[1, i % 2] for i in range(runs.settings.runs_max_pairs + 1)]
    refused(runs, "trace_too_large", "pairs", claim=claim(bot_run, inputs=many, frames=len(many)))
    assert stored(db) == 0


def test_the_same_trace_twice_is_refused(runs: RunService, db: Database,
                                         bot_run: dict[str, Any]) -> None:  # fmt: skip
    runs.submit(code="GameOne01", claim=claim(bot_run), anon_id=ANON)
    err = refused(runs, "duplicate_run", "again", claim=claim(bot_run))
    assert err.status_code == 409
    refused(runs, "duplicate_run", "another player", claim=claim(bot_run), anon_id="x" * 20)
    assert stored(db) == 1
    runs.submit(code="GameTwo02", claim=claim(bot_run), anon_id=ANON)  # another game: its own run
    assert stored(db) == 2


def test_launch_tokens_credit_the_community_and_cannot_be_forged_or_swapped(
    runs: RunService, db: Database, bot_run: dict[str, Any]
) -> None:
    good = token()
    payload, signature = good.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))

    def reencode(**changes: Any) -> str:
        text = json.dumps({**body, **changes}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(text).rstrip(b"=").decode() + "." + signature

    bad = {
        "token_invalid": [reencode(c="guild-2"), reencode(p="u-2"), reencode(k="telegram"),
                          reencode(e=body["e"] + 10**6), good[:-2] + "AA", "nonsense", good + ".x",
                          sign_launch("another-secret", code="GameOne01",
                                      community=Community("discord", "guild-1"),
                                      player=Player("discord", "u-1"), ttl_s=60)],
        "token_wrong_game": [token(code="GameTwo02")],
        "token_expired": [token(ttl=-1)],
    }  # fmt: skip
    for code, tokens in bad.items():
        for forged in tokens:
            assert (
                refused(runs, code, forged, claim=claim(bot_run), token=forged).status_code == 403
            )
    assert stored(db) == 0
    done = runs.submit(code="GameOne01", claim=claim(bot_run), token=good, anon_id=None)
    assert done.run.community == Community("discord", "guild-1")
    assert (done.run.player_name, done.community_rank) == ("Ada", 1)
    with db.session() as session:
        row = session.scalars(select(Run)).one()
        assert (row.player_kind, row.player_id) == ("discord", "u-1")


def variants(bot_run: dict[str, Any], game_data: dict[str, Any], count: int) -> list[RunClaim]:
    """Other honest runs: the bot's trace after a wait of some frames, kept when it still
    finishes the level (the claim is what the replay gives: score and frames)."""
    out = []
    for wait in range(1, 400):
        inputs = [[wait, 0], *bot_run["inputs"]]
        done = replay(game_data["levels"][0], game_data["physics"], inputs)
        if done.status == "level_complete" and done.ended_at == done.frames:
            out.append(claim(bot_run, inputs=inputs, frames=done.frames, score=done.score))
        if len(out) == count:
            return out
    raise AssertionError("no such waits")


def test_boards_per_community_and_best_per_player(runs: RunService, bot_run: dict[str, Any],
                                                  game_data: dict[str, Any]) -> None:  # fmt: skip
    """Two Discord guilds and two Telegram chats each see only their own runs."""
    found = variants(bot_run, game_data, 5)
    where = [("discord", "g1", "a"), ("discord", "g2", "b"), ("telegram", "-100", "c"),
             ("telegram", "-200", "d"), ("discord", "g1", "e")]  # fmt: skip
    for c, (kind, community, player) in zip(found, where, strict=True):
        runs.submit(
            code="GameOne01",
            claim=c,
            token=token(kind=kind, community=community, player=player, name=player.upper()),
        )
    order = sorted(range(5), key=lambda i: (-found[i].score, found[i].frames, i))
    names = [where[i][2].upper() for i in order]
    for kind, community in [("discord", "g1"), ("discord", "g2"), ("telegram", "-100"),
                            ("telegram", "-200")]:  # fmt: skip
        board = runs.top(code="GameOne01", level=0, community=Community(kind, community))
        mine = [n for n, i in zip(names, order, strict=True) if where[i][:2] == (kind, community)]
        assert [r.player_name for r in board] == mine, (kind, community)
        assert [r.rank for r in board] == list(range(1, len(mine) + 1))
        top = runs.community_top(community=Community(kind, community))
        assert [r.player_name for r in top] == mine
    everyone = runs.top(code="GameOne01", level=0)
    assert [r.player_name for r in everyone] == names
    assert [r.rank for r in everyone] == [1, 2, 3, 4, 5]
    # The bot's own run for player "a": their best now, one row per player on the board.
    done = runs.submit(
        code="GameOne01", claim=claim(bot_run), token=token(community="g1", player="a")
    )
    assert done.previous_best == found[0].score
    better = (bot_run["score"], -bot_run["frames"]) > (found[0].score, -found[0].frames)
    assert done.new_best == better
    assert len(runs.top(code="GameOne01", level=0)) == 5
    best = runs.best_of(code="GameOne01", level=0, player=Player("discord", "a"))
    assert best is not None
    assert best.score == max(bot_run["score"], found[0].score)


def test_deletion_removes_a_persons_runs(
    runs: RunService, svc: OrderService, db: Database, bot_run: dict[str, Any],
    game_data: dict[str, Any],
) -> None:  # fmt: skip
    """/delete: the runs they played (by chat identity) and every run played in their games go;
    other people's runs in other games stay. The web's anonymous player forgets its own."""
    person = svc.get_or_create_user(provider="telegram", external_id="42", display_name="Ann")
    c = claim(bot_run)
    runs.submit(
        code="GameOne01", claim=c, token=token(kind="telegram", community="-1", player="42")
    )
    with db.session() as session:  # GameTwo02 becomes the person's game; a stranger plays it
        game = session.scalars(select(Game).where(Game.code == "GameTwo02")).one()
        game.user_id = person.id
    runs.submit(code="GameTwo02", claim=c, anon_id=ANON)
    runs.submit(code="GameOne01", claim=variants(bot_run, game_data, 1)[0], anon_id=ANON)
    assert stored(db) == 3
    svc.delete_user_data(user_id=person.id)
    with db.session() as session:
        left = session.scalars(select(Run)).all()
        assert [(r.player_kind, r.game_id is not None) for r in left] == [("anon", True)]
        assert session.scalar(select(func.count()).select_from(Identity)) == 0
        assert session.get(User, person.id) is None
    from core.runs import anon_player

    assert runs.delete_player(player=anon_player(ANON)) == 1
    assert stored(db) == 0


def test_submissions_spend_their_own_bucket_per_address(settings: Any) -> None:
    """Each submission is replayed: past runs_rate_limit_burst a client gets 429 before any
    replay (the board's GET and other pages only spend the default bucket)."""
    from tests.web.conftest import web_client
    from web.ratelimit import rules_for

    assert rules_for("/api/games/Ab3x/runs", "POST") == ("default", "runs")
    assert rules_for("/api/games/Ab3x/runs", "GET") == ("default",)
    client = web_client(settings, runs_rate_limit_burst=2, runs_rate_limit_per_minute=1)
    answers = [client.post("/api/games/Ab3x/runs", json={}).status_code for _ in range(3)]
    assert answers[2] == 429
    assert 429 not in answers[:2]
    assert client.get("/api/games/Ab3x/runs").status_code != 429
