"""/leaderboard, /challenge and the Challenge / Play / page buttons: a server's verified runs.

A server's board is its community in core.runs (`discord`, guild id): only runs the server
replayed and accepted, played from a link that carries a signed launch token for that guild and
that player. Everyone who presses Play under a challenge gets their own link (ephemeral), so a
run is attributed to the person and the server it was launched for, never to a guessable id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bots.discord import texts, ui
from bots.discord.cogs.orders import stale
from core.orders.schemas import GameView
from core.runs.boards import BoardPage, Community

if TYPE_CHECKING:
    from bots.discord.bot import PetPixelBot

Interaction = discord.Interaction[Any]
KIND = "discord"
PAGE_SIZE = 10
EMBED_COLOUR = 0xF5A623


def community(guild_id: int) -> Community:
    return Community(kind=KIND, id=str(guild_id))


def pet_of(game: GameView) -> str:
    return str(game.config.get("pet_name") or game.meta.get("pet_name") or game.code)


def board_embed(page: BoardPage, guild_name: str) -> discord.Embed:
    """One page of a server's board; every name escaped for Discord markdown."""
    lines = [
        texts.BOARD_LINE.format(
            rank=row.rank,
            player=texts.esc(row.player_name),
            score=row.score,
            pet=texts.esc(row.pet_name),
        )
        for row in page.rows
    ]
    embed = discord.Embed(
        title=texts.BOARD_TITLE.format(guild=texts.esc(guild_name))[:256],
        description="\n".join(lines)[:4096],
        colour=EMBED_COLOUR,
    )
    embed.set_footer(text=texts.BOARD_FOOTER.format(page=page.page + 1, pages=page.pages))
    return embed


class Boards(commands.Cog):
    """Server leaderboards and challenges."""

    def __init__(self, bot: PetPixelBot) -> None:
        self.bot, self.deps = bot, bot.deps

    async def cog_load(self) -> None:
        self.bot.routes.update({
            ui.BOARD: self.turn_page, ui.CHALLENGE: self.challenge_button, ui.PLAY: self.play,
        })  # fmt: skip

    @app_commands.command(name="leaderboard", description="This server's best runs")
    async def leaderboard(self, interaction: Interaction) -> None:
        """Page one of this server's board, for everyone in the channel."""
        boards = self.deps.boards
        if interaction.guild_id is None or boards is None:
            await stale(interaction, texts.SERVER_ONLY if boards else texts.NO_SCORES_FEATURE)
            return
        page = await self.deps.call(
            boards.page, community=community(interaction.guild_id), page=0, size=PAGE_SIZE
        )
        if not page.rows:
            await interaction.response.send_message(texts.BOARD_EMPTY, ephemeral=True)
            return
        await interaction.response.send_message(**self._board(interaction, page))

    async def turn_page(self, interaction: Interaction, parts: list[str]) -> None:
        """Previous / Next: show that page in place."""
        boards = self.deps.boards
        guild = interaction.guild_id
        if boards is None or guild is None or parts[:1] != [str(guild)] or len(parts) < 2:
            await stale(interaction)
            return
        page = await self.deps.call(
            boards.page, community=community(guild), page=int(parts[1] or 0), size=PAGE_SIZE
        )
        if not page.rows:  # every run was deleted meanwhile
            await interaction.response.edit_message(content=texts.BOARD_EMPTY, embed=None,
                                                    view=None)  # fmt: skip
            return
        await interaction.response.edit_message(**self._board(interaction, page))

    def _board(self, interaction: Interaction, page: BoardPage) -> dict[str, Any]:
        name = getattr(interaction.guild, "name", None) or texts.THIS_SERVER
        view = ui.board_pages(interaction.guild_id or 0, page.page, page.pages)
        return {"embed": board_embed(page, name), "view": view}

    @app_commands.command(name="challenge", description="Post your game for this server to beat")
    @app_commands.describe(game="Which of your games (your newest when left out)")
    async def challenge(self, interaction: Interaction, game: str | None = None) -> None:
        """Post one of the user's games in the channel, with a Play button for everyone."""
        if interaction.guild_id is None or self.deps.boards is None:
            await stale(interaction, texts.SERVER_ONLY)
            return
        games = await self._games(interaction.user)
        chosen = games[0] if games and game is None else next(
            (g for g in games if g.code == game), None)  # fmt: skip
        if chosen is None:
            await stale(interaction, texts.UNKNOWN_GAME if games else texts.NO_GAME_TO_SHARE)
            return
        await self._post(interaction, chosen)

    @challenge.autocomplete("game")
    async def _game_choices(
        self, interaction: Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        games = await self._games(interaction.user)
        return [
            app_commands.Choice(name=pet_of(g)[:100], value=g.code)
            for g in games
            if current.lower() in pet_of(g).lower()
        ][:25]

    async def challenge_button(self, interaction: Interaction, parts: list[str]) -> None:
        """Challenge under a finished game: post it in this channel (servers only)."""
        if interaction.guild_id is None or self.deps.boards is None:
            await stale(interaction, texts.SERVER_ONLY)
            return
        games = await self._games(interaction.user)
        chosen = next((g for g in games if parts[:1] == [g.code]), None)
        if chosen is None:
            await stale(interaction, texts.NOT_YOURS if games else texts.NO_GAME_TO_SHARE)
            return
        await self._post(interaction, chosen)

    async def _games(self, user: discord.abc.User) -> list[GameView]:
        uid = await self.deps.user_id(user)
        return await self.deps.call(self.deps.orders.list_games, user_id=uid)

    async def _post(self, interaction: Interaction, game: GameView) -> None:
        """The challenge itself: who, which pet, the server's best on it, and Play."""
        assert self.deps.boards is not None
        assert interaction.guild_id is not None
        best = await self.deps.call(
            self.deps.boards.best, community=community(interaction.guild_id), code=game.code
        )
        text = texts.CHALLENGE.format(who=texts.esc(interaction.user.display_name),
                                      pet=texts.esc(pet_of(game)))  # fmt: skip
        if best is not None:
            text += "\n" + texts.CHALLENGE_BEST.format(player=texts.esc(best.player_name),
                                                       score=best.score)  # fmt: skip
        await interaction.response.send_message(text, view=ui.play_button(game.code))

    async def play(self, interaction: Interaction, parts: list[str]) -> None:
        """Play under a challenge: this person's own link, signed for this server (ephemeral)."""
        boards, guild = self.deps.boards, interaction.guild_id
        if boards is None or guild is None or not parts:
            await stale(interaction, texts.SERVER_ONLY)
            return
        game = await self.deps.call(self.deps.orders.game_by_code, code=parts[0])
        if game is None:
            await stale(interaction, texts.GAME_GONE)
            return
        user = interaction.user
        url = await self.deps.call(
            boards.launch_url, game_url=game.url, code=game.code, community=community(guild),
            player_id=str(user.id), player_name=user.display_name,
        )  # fmt: skip
        text = texts.PLAY_LINK.format(pet=texts.esc(pet_of(game)),
                                      player=texts.esc(user.display_name))  # fmt: skip
        await interaction.response.send_message(
            text, view=ui.link("Play", url, "🎮"), ephemeral=True
        )
