"""Games in chats: /challenge sends a Telegram Game, Play answers with a link signed for that chat
and player, real runs kept by the web app over HTTP update that chat's high scores
(setGameScore) and /leaderboard; inline sharing; /delete takes the runs too."""

from __future__ import annotations

from typing import Any

import pytest

from core.config import Settings
from tests.bots.games import SECRET, keep_run, own_game, payload, submit, swapped, token_of
from tests.bots.telegram.harness import User, running_bot, serving_web, web_client
from tests.fakes.telegram_api import Call, FakeTelegram
from tests.runs.conftest import bot_run, game_data

__all__ = ["bot_run", "game_data"]  # the runs suite's fixtures: a game's levels, a winning trace
GAMES_ON = {"runs_secret": SECRET, "telegram_game_short_name": "petpixel"}
GROUP_A, GROUP_B = -1001, -1002


async def game_message(fake: FakeTelegram, chat: int, count: int = 1) -> dict[str, Any]:
    """The newest game message the bot sent into `chat`."""
    sent = await fake.wait_for("sendGame", chat_id=chat, count=count)
    assert sent[-1].params["game_short_name"] == "petpixel"
    return fake.messages_of(chat, "game")[-1]


async def said_in(fake: FakeTelegram, chat: int, contains: str) -> str:
    def match(call: Call) -> bool:
        return contains in str(call.params.get("text"))

    return str((await fake.wait_for("sendMessage", chat_id=chat, where=match))[-1].params["text"])


@pytest.mark.node
def test_two_groups_keep_separate_boards_and_high_scores(
    play: Any, runtime: Any, game_data: dict[str, Any], bot_run: dict[str, Any]
) -> None:
    """The same game challenged in two groups: each Play link is signed for its group and player,
    a token moved to the other group is refused, and each accepted run updates only its own
    group's table (setGameScore) and board (/leaderboard, HTML-escaped names)."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        own_game(runtime, provider="telegram", external_id=41, code="TgGameA1", pet="Mochi <b>&",
                 data=game_data)  # fmt: skip
        async with running_bot(settings, runtime, fake) as bot, serving_web(settings), \
                web_client() as web:  # fmt: skip
            ann_a, ann_b = User(fake, 41, group=GROUP_A), User(fake, 41, group=GROUP_B)
            bob, cy = User(fake, 42, "Bob <i>", group=GROUP_A), User(fake, 43, "Cy", group=GROUP_B)
            ann_a.text("/challenge")
            in_a = await game_message(fake, GROUP_A)
            launch = in_a["reply_markup"]["inline_keyboard"][0][0]
            assert launch == {"text": "🎮 Play Mochi <b>&", "callback_game": {}}
            ann_b.text("/challenge TgGameA1")
            in_b = await game_message(fake, GROUP_B)

            url_bob, url_cy = await bob.link(bob.play(in_a)), await cy.link(cy.play(in_b))
            assert url_bob.startswith(f"{settings.public_url}/g/TgGameA1#t=")
            tok_bob, tok_cy = token_of(url_bob), token_of(url_cy)
            assert payload(tok_bob) | {"e": 0} == {
                "g": "TgGameA1",
                "k": "telegram",
                "e": 0,
                "c": str(GROUP_A),
                "p": "42",
                "n": "Bob <i>",
            }
            assert (payload(tok_cy)["c"], payload(tok_cy)["p"]) == (str(GROUP_B), "43")

            moved = await submit(web, url_bob, bot_run, token=swapped(tok_bob, c=str(GROUP_B)))
            assert (moved.status_code, moved.json()["error"]["code"]) == (403, "token_invalid")
            assert (await submit(web, url_bob, bot_run, token=tok_bob)).status_code == 201
            assert (await submit(web, url_cy, bot_run, token=tok_cy, lives=2)).status_code == 201
            scored = await fake.wait_for("setGameScore", count=2)
            score = bot_run["score"]
            assert fake.high_scores(GROUP_A) == {42: score}
            assert fake.high_scores(GROUP_B) == {43: score}
            # The same score again (another kept run): Telegram keeps the table, which is no error.
            assert (await submit(web, url_bob, bot_run, token=tok_bob, lives=1)).status_code == 201
            await fake.wait_for("setGameScore", count=3)
            assert fake.refused[-1] == ("setGameScore", "Bad Request: BOT_SCORE_NOT_MODIFIED")
            assert fake.high_scores(GROUP_A) == {42: score}
            table = await bot.app.bot.get_game_high_scores(42, chat_id=GROUP_A,
                                                       message_id=in_a["message_id"])  # fmt: skip
            assert [(s.position, s.user.first_name, s.score) for s in table] == [
                (1, "Bob <i>", score)
            ]

            bob.text("/leaderboard")
            board_a = await said_in(fake, GROUP_A, "Best runs in")
            assert f"<b>Bob &lt;i&gt;</b> – {score} · Mochi &lt;b&gt;&amp;" in board_a
            assert "Cy" not in board_a
            cy.text("/leaderboard")
            assert "<b>Cy</b>" in (board_b := await said_in(fake, GROUP_B, "Best runs in"))
            assert "Bob" not in board_b

            alone = User(fake, 42, "Bob <i>")  # /delete in the private chat takes the runs too
            alone.text("/delete")
            await alone.says("Are you sure?")
            alone.click("del:yes")
            await alone.says("Done, all gone")
            bob.text("/leaderboard")
            await said_in(fake, GROUP_A, "No runs in this chat yet")
        assert len(scored) == 2
        menu = {c["command"] for c in fake.called("setMyCommands")[0].params["commands"]}
        assert menu >= {"challenge", "leaderboard", "mygames"}
        assert len(fake.called("setGameScore")) == 3  # none for the forged run

    play(scenario, **GAMES_ON)


@pytest.mark.node
def test_inline_sharing_scores_on_the_shared_message(
    play: Any, runtime: Any, game_data: dict[str, Any], bot_run: dict[str, Any]
) -> None:
    """`@bot` offers the user's games as Telegram Games; the chosen one's Play link is signed for
    that chat (its chat_instance), and the accepted run scores on that inline message."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        own_game(runtime, provider="telegram", external_id=41, code="TgGameI1", pet="Rex",
                 data=game_data)  # fmt: skip
        async with running_bot(settings, runtime, fake), serving_web(settings), \
                web_client() as web:  # fmt: skip
            ann, dee = User(fake, 41), User(fake, 44, "Dee")
            ann.inline("re")
            answer = (await fake.wait_for("answerInlineQuery"))[0].params
            assert [(r["type"], r["id"], r["game_short_name"]) for r in answer["results"]] == [
                ("game", "TgGameI1", "petpixel")]  # fmt: skip
            assert (
                answer["results"][0]["reply_markup"]["inline_keyboard"][0][0]["callback_game"] == {}
            )
            dee.inline("")  # someone without games gets none
            assert (await fake.wait_for("answerInlineQuery", count=2))[1].params["results"] == []

            stray = dee.play(inline_message_id="never-shared", chat_instance="777")
            assert await dee.link(stray) == "That game is no longer available."
            ann.choose("TgGameI1", "inl-123")
            url = await dee.link(dee.play(inline_message_id="inl-123", chat_instance="777"))
            assert (payload(token_of(url))["c"], payload(token_of(url))["p"]) == ("ci:777", "44")
            assert (await submit(web, url, bot_run, token=token_of(url))).status_code == 201
            call = (await fake.wait_for("setGameScore"))[0]
            assert call.params["inline_message_id"] == "inl-123"
            assert fake.high_scores("inl-123") == {44: bot_run["score"]}

    play(scenario, **GAMES_ON)


def test_leaderboard_lists_the_chats_best_runs_escaped(play: Any, runtime: Any) -> None:
    """One row per player and game, best first; another chat's runs never show."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        data = {"levels": [{}], "physics": {"lives": 3}}
        game_id = own_game(runtime, provider="telegram", external_id=41, code="TgGameL1",
                           pet="A&B", data=data)  # fmt: skip
        for player, name, score in [("1", "<script>", 50), ("2", "Zoë", 70), ("2", "Zoë", 60)]:
            keep_run(runtime, game_id, kind="telegram", community=str(GROUP_A), player=player,
                     name=name, score=score)  # fmt: skip
        keep_run(runtime, game_id, kind="telegram", community=str(GROUP_B), player="3",
                 name="Elsewhere", score=99)  # fmt: skip
        async with running_bot(settings, runtime, fake):
            User(fake, 41, group=GROUP_A).text("/leaderboard")
            board = await said_in(fake, GROUP_A, "Best runs in")
            assert board.splitlines()[1:3] == [
                "1. <b>Zoë</b> – 70 · A&amp;B",
                "2. <b>&lt;script&gt;</b> – 50 · A&amp;B",
            ]
            assert "Elsewhere" not in board
            assert len(board.splitlines()) == 4

    play(scenario, **GAMES_ON)
