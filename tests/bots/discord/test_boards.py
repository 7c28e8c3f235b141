"""Server leaderboards: /challenge, Play (a signed link per person and server), real runs kept by
the web app over HTTP, /leaderboard per server (paged, names escaped), and /delete."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from core.config import Settings
from tests.bots.discord.fake_discord import CHANNEL_ID, EPHEMERAL, GUILD_ID, FakeDiscord, Said
from tests.bots.discord.harness import Member, running_bot
from tests.bots.games import SECRET, keep_run, own_game, payload, submit, swapped, token_of
from tests.bots.telegram.harness import serving_web, web_client
from tests.runs.conftest import bot_run, game_data

__all__ = ["bot_run", "game_data"]  # the runs suite's fixtures: a game's levels, a winning trace
GUILD_B, CHANNEL_B = GUILD_ID + 100, CHANNEL_ID + 100
GUILD_C, CHANNEL_C = GUILD_ID + 200, CHANNEL_ID + 200


async def shown(fake: FakeDiscord, channel: int, contains: str, *, count: int = 1) -> Said:
    """The newest message everyone in `channel` sees whose text or embed holds `contains`."""
    deadline = time.monotonic() + 20
    while True:
        found = [s for s in fake.public(channel) if contains in s.content + _embed_text(s)]
        if len(found) >= count:
            return found[-1]
        assert time.monotonic() < deadline, [s.content for s in fake.public(channel)]
        await asyncio.sleep(0.02)


def _embed_text(said: Said) -> str:
    return " ".join(f"{e.get('title', '')} {e.get('description', '')} "
                    f"{(e.get('footer') or {}).get('text', '')}" for e in said.embeds)  # fmt: skip


def button(said: Said, label: str) -> dict[str, Any]:
    return next(b for row in said.components for b in row["components"] if b.get("label") == label)


@pytest.mark.node
def test_two_servers_keep_separate_boards_from_challenge_to_run(
    play: Any, runtime: Any, game_data: dict[str, Any], bot_run: dict[str, Any]
) -> None:
    """A challenge in two servers; each player's Play link is signed for their server; real runs
    over HTTP land on that server's board only; a token moved to another server is refused."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        own_game(runtime, provider="discord", external_id=301, code="PetGameA1",
                 pet="Mochi *star*", data=game_data)  # fmt: skip
        async with running_bot(settings, runtime, fake), serving_web(settings), web_client() as web:
            ann_a, ann_b = Member(fake, 301), Member(fake, 301, guild=GUILD_B, channel=CHANNEL_B)
            bob = Member(fake, 302, "B_o_b *x*")
            cy = Member(fake, 303, "Cy", guild=GUILD_B, channel=CHANNEL_B)
            ann_a.slash("challenge")
            post = await shown(fake, CHANNEL_ID, "challenges everyone")
            assert "**Ann** challenges" in post.content
            assert "Mochi \\*star\\*" in post.content
            assert button(post, "Play")["custom_id"] == "pp:play:PetGameA1"
            ann_b.slash("challenge", game="PetGameA1")
            await shown(fake, CHANNEL_B, "challenges everyone")

            bob.click_public("pp:play:PetGameA1")
            cy.click_public("pp:play:PetGameA1")
            link_bob, link_cy = (await bob.sees("your own link"))[0], (await cy.sees("your own"))[0]
            assert not link_bob.public
            assert "B\\_o\\_b \\*x\\*" in link_bob.content
            url_bob, url_cy = button(link_bob, "Play")["url"], button(link_cy, "Play")["url"]
            assert url_bob.startswith(f"{settings.public_url}/g/PetGameA1#t=")
            tok_bob, tok_cy = token_of(url_bob), token_of(url_cy)
            assert payload(tok_bob) | {"e": 0} == {
                "g": "PetGameA1",
                "k": "discord",
                "e": 0,
                "c": str(GUILD_ID),
                "p": "302",
                "n": "B_o_b *x*",
            }
            assert (payload(tok_cy)["c"], payload(tok_cy)["p"]) == (str(GUILD_B), "303")

            moved = await submit(web, url_bob, bot_run, token=swapped(tok_bob, c=str(GUILD_B)))
            assert (moved.status_code, moved.json()["error"]["code"]) == (403, "token_invalid")
            assert (await submit(web, url_bob, bot_run, token=tok_bob)).status_code == 201
            assert (await submit(web, url_cy, bot_run, token=tok_cy, lives=2)).status_code == 201

            bob.slash("leaderboard")
            board_a = await shown(fake, CHANNEL_ID, "Best runs in")
            assert f"**B\\_o\\_b \\*x\\*** – {bot_run['score']}" in board_a.embeds[0]["description"]
            assert "Cy" not in _embed_text(board_a)
            cy.slash("leaderboard")
            board_b = await shown(fake, CHANNEL_B, "Best runs in")
            assert "**Cy**" in board_b.embeds[0]["description"]
            assert "B\\_o\\_b" not in _embed_text(board_b)
            ann_b.slash("challenge")
            again = await shown(fake, CHANNEL_B, "challenges everyone", count=2)
            assert f"Best here so far: **Cy** with {bot_run['score']}" in again.content

            dan = Member(fake, 304, "Dan", guild=GUILD_C, channel=CHANNEL_C)
            dan.slash("leaderboard")
            empty = (await dan.sees("No runs on this server yet"))[0]
            assert fake.messages[empty.message_id]["flags"] & EPHEMERAL

            bob.slash("delete")  # /delete takes the runs they played too
            await bob.sees("Are you sure?")
            bob.click("pp:del:302:yes")
            await bob.sees("Done, all gone")
            bob.slash("leaderboard")
            await bob.sees("No runs on this server yet")

    play(scenario, runs_secret=SECRET)


def test_leaderboard_pages_and_escapes_names(play: Any, runtime: Any) -> None:
    """12 players: page 1 holds 10 with Next, Next shows ranks 11-12 and disables itself;
    markdown and mentions in names are escaped; another server's runs never show."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        data = {"levels": [{}], "physics": {"lives": 3}}
        game_id = own_game(runtime, provider="discord", external_id=301, code="PetGameP1",
                           pet="Rex_", data=data)  # fmt: skip
        for i in range(11):
            keep_run(runtime, game_id, kind="discord", community=str(GUILD_ID), player=str(500 + i),
                     name=f"P{i:02d}", score=1000 - i * 10)  # fmt: skip
        keep_run(runtime, game_id, kind="discord", community=str(GUILD_ID), player="600",
                 name="@everyone *Star*", score=5)  # fmt: skip
        keep_run(runtime, game_id, kind="discord", community=str(GUILD_B), player="700",
                 name="Elsewhere", score=5000)  # fmt: skip
        async with running_bot(settings, runtime, fake):
            ann = Member(fake, 301)
            ann.slash("leaderboard")
            first = await shown(fake, CHANNEL_ID, "Page 1 of 2")
            lines = first.embeds[0]["description"].splitlines()
            assert len(lines) == 10
            assert lines[0] == "`#1` **P00** – 1000 · Rex\\_"
            assert "Elsewhere" not in _embed_text(first)
            assert button(first, "Previous").get("disabled") is True
            assert button(first, "Next")["custom_id"] == f"pp:lb:{GUILD_ID}:1"
            ann.click_public(f"pp:lb:{GUILD_ID}:1")
            second = await shown(fake, CHANNEL_ID, "Page 2 of 2")
            assert second.message_id == first.message_id  # the same message, turned
            assert second.embeds[0]["description"].splitlines() == [
                "`#11` **P10** – 900 · Rex\\_",
                "`#12` **@\u200beveryone \\*Star\\*** – 5 · Rex\\_",
            ]
            assert button(second, "Next").get("disabled") is True
            assert button(second, "Previous")["custom_id"] == f"pp:lb:{GUILD_ID}:0"

    play(scenario, runs_secret=SECRET)
