"""A real run in headless Chromium: the bot's trace played with real keys on the served game page
(/g/<code>), submitted by the page at the level's end, replayed by the server and kept; the same
trace replays to the same score in Python. From a file (no server), the game carries on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.config import Settings
from core.levels.game import replay as twin_replay
from core.orders.tables import Run
from tests.game.play import bot_trace, open_paused, replay, state, watched_page
from tests.runs.conftest import publish_bundle
from tests.web.conftest import LiveServer
from web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.slow]
CODE = "RunGame01"


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, Any, dict[str, Any]]]:
    root = tmp_path_factory.mktemp("runs-web")
    settings = Settings(data_dir=root / "data", models_dir=root / "models", rate_limit_burst=10_000)
    app = create_app(settings)
    with LiveServer(app) as server:
        rt = app.state.resources.runtime
        _, data = publish_bundle(rt, CODE)
        yield server, rt, data


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = watched_page(context)
    yield page
    context.close()


def test_a_run_played_in_chromium_is_verified_and_kept(
    page: Any, served: tuple[LiveServer, Any, dict[str, Any]], tmp_path: Path
) -> None:
    server, rt, data = served
    level = data["levels"][0]
    open_paused(page, f"{server.url}/g/{CODE}")
    page.keyboard.press("Enter")
    runs = bot_trace(level, tmp_path, data["physics"])
    with page.expect_response(lambda r: r.url.endswith(f"/api/games/{CODE}/runs")) as answer:
        replay(page, runs)
    assert state(page)["status"] == "level_complete"
    sent = answer.value.request.post_data_json
    body = answer.value.json()
    assert answer.value.status == 201, body
    assert (body["rank"], body["new_best"], body["previous_best"]) == (1, True, None)
    assert body["run"]["score"] == state(page)["score"] == sent["score"] > 0
    # The trace the page recorded is the bot's, frame for frame, and Python replays it the same.
    assert sent["frames"] == sum(n for n, _ in runs) == body["run"]["frames"]
    python = twin_replay(level, data["physics"], sent["inputs"], lives=sent["lives"])
    assert (python.status, python.score, python.ended_at) == (
        "level_complete",
        sent["score"],
        sent["frames"],
    )
    with rt.db.session() as session:
        kept = session.scalars(select(Run)).all()
        assert [(r.score, r.frames, r.player_kind) for r in kept] == [
            (sent["score"], sent["frames"], "anon")
        ]
    # The board shows it; this browser's id (header only) finds its best.
    board = page.evaluate(
        """async (code) => (await fetch(`/api/games/${code}/runs?level=0`, {headers: {'X-Player-Id':
        localStorage.getItem('petpixel:player')}})).json()""",
        CODE,
    )
    assert [r["score"] for r in board["top"]] == [sent["score"]]
    assert board["mine"]["rank"] == 1
    # The same trace again (a replayed submission) is refused, and nothing more is kept.
    again = page.evaluate(
        """async ([code, body]) => {
        const r = await fetch(`/api/games/${code}/runs`, {method: 'POST',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
        return [r.status, (await r.json()).error.code]; }""",
        [CODE, sent],
    )
    assert again == [409, "duplicate_run"]
    assert page.errors == []
