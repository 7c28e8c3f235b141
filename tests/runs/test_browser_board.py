"""The game page's side of the boards, in headless Chromium on the served page (/g/<code>): after
a run the server kept, the recap shows its rank and "New best!"; the Leaderboard dialog lists the
runs (a chat player's tricky name as text) with this player's best marked; with the runs API
unreachable the recap still shows and says the score was not submitted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from core.orders.tables import Run
from core.runs import Community, Player, sign_launch
from tests.game.conftest import TRICKY_NAME
from tests.game.play import bot_trace, open_paused, replay, state, watched_page
from tests.runs.conftest import publish_bundle
from tests.web.conftest import LiveServer
from web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.node, pytest.mark.slow]
CODE = "BoardGame1"
SECRET = "board-test-secret-0123456789"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("board-web")
    settings = Settings(data_dir=root / "data", models_dir=root / "models",
                        rate_limit_burst=10_000, runs_secret=SECRET)  # fmt: skip
    app = create_app(settings)
    with LiveServer(app) as server:
        rt = app.state.resources.runtime
        game_id, data = publish_bundle(rt, CODE)
        runs = bot_trace(data["levels"][0], root, data["physics"])
        yield {"url": f"{server.url}/g/{CODE}", "rt": rt, "game_id": game_id, "runs": runs}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 960, "height": 540})
    page = watched_page(context)
    yield page
    context.close()


def play_level(page: Any, url: str, runs: list[tuple[int, str]]) -> None:
    """Play level 1 with the bot's keys and let the level's beat pass to its recap."""
    open_paused(page, url)
    page.keyboard.press("Enter")
    replay(page, runs)
    assert state(page)["status"] == "level_complete"
    page.clock.run_for(1000)
    page.locator("#overlay-title").filter(has_text="Level 1 complete!").wait_for()


def test_a_kept_run_is_ranked_on_the_recap_and_marked_on_the_leaderboard(
    page: Any, site: dict[str, Any]
) -> None:
    rt = site["rt"]
    with rt.db.session() as session:  # someone better, from the web
        session.add(Run(game_id=site["game_id"], level=0, status="level_complete", score=10**6,
                        frames=600, lives=3, player_kind="anon", player_id="zed",
                        player_name="Zed", trace_hash="z" * 64))  # fmt: skip
    token = sign_launch(SECRET, code=CODE, community=Community("discord", "guild-1"),
                        player=Player("discord", "u-1", TRICKY_NAME), ttl_s=3600)  # fmt: skip
    with page.expect_response(lambda r: r.url.endswith(f"/api/games/{CODE}/runs")) as answer:
        play_level(page, f"{site['url']}#t={token}", site["runs"])
    assert answer.value.status == 201
    score = answer.value.json()["run"]["score"]
    assert "t=" not in page.url  # the player's pass left the address bar
    best = page.locator(".best[data-run='ranked']")
    best.wait_for()
    assert best.locator(".new-best").text_content() == "New best!"
    assert "#2 on level 1" in best.text_content()

    # A reload (the pass kept for the tab), the title's Leaderboard button: both runs, in order,
    # the name as text, this player's row marked.
    page.reload()
    page.wait_for_function("() => window.PETPIXEL !== undefined")
    page.clock.run_for(
        600
    )  # time is frozen: the first frame, and the late chunk (board.js) after it
    page.get_by_role("button", name="Leaderboard").click()
    dialog = page.get_by_role("dialog", name="Leaderboard")
    dialog.locator("tr.mine").wait_for()
    rows = dialog.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").all_text_contents()[:3] == ["1", "Zed", "1000000"]
    mine = dialog.locator("tr.mine")
    assert mine.get_attribute("aria-current") == "true"
    cells = mine.locator("td").all_text_contents()
    assert cells[:2] == ["2", f"{TRICKY_NAME} (you)"]
    assert cells[2] == str(score)
    assert dialog.locator("b").count() == 0  # the name stayed text
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    assert state(page)["status"] == "title"  # the keys went to the board, not the game
    assert page.errors == []


def test_offline_the_recap_shows_and_says_the_score_was_not_submitted(
    page: Any, site: dict[str, Any]
) -> None:
    page.route("**/api/games/*/runs*", lambda route: route.abort())
    play_level(page, site["url"], site["runs"])
    best = page.locator(".best[data-run='local']")
    best.wait_for()
    assert best.text_content() == "Score not submitted: offline."
    assert page.locator(".recap").is_visible()
