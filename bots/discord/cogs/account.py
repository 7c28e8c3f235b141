"""/mygames, /help, /privacy and /delete: everything about the user rather than one order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bots.discord import texts, ui
from bots.discord.cogs.orders import stale
from bots.discord.watch import stop_watchers

if TYPE_CHECKING:
    from bots.discord.bot import PetPixelBot

Interaction = discord.Interaction[Any]


class Account(commands.Cog):
    """The user's games and data."""

    def __init__(self, bot: PetPixelBot) -> None:
        self.bot, self.deps = bot, bot.deps

    async def cog_load(self) -> None:
        self.bot.routes[ui.DELETE] = self.delete_answer

    @app_commands.command(name="help", description="How PetPixel works")
    async def help(self, interaction: Interaction) -> None:
        """Explain the steps and the commands."""
        await interaction.response.send_message(texts.HELP, ephemeral=True)

    @app_commands.command(name="privacy", description="What we keep about you")
    async def privacy(self, interaction: Interaction) -> None:
        """Say what we keep and how to delete it."""
        await interaction.response.send_message(texts.PRIVACY, ephemeral=True)

    @app_commands.command(name="mygames", description="Your games")
    async def my_games(self, interaction: Interaction) -> None:
        """List the user's games with links, plays and best score."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        uid = await self.deps.user_id(interaction.user)
        games = await self.deps.call(self.deps.orders.list_games, user_id=uid)
        if not games:
            await interaction.edit_original_response(content=texts.NO_GAMES)
            return
        lines = [texts.GAMES_HEADER]
        for g in games[:20]:  # a message holds 2000 characters
            name = texts.esc(str(g.config.get("pet_name") or g.meta.get("pet_name") or g.code))
            best = g.meta.get("best_score", "–")
            lines.append(texts.GAME_LINE.format(url=g.url, name=name, views=g.views, best=best))
        await interaction.edit_original_response(content="\n".join(lines)[:2000])

    @app_commands.command(name="delete", description="Delete your photos and games")
    async def delete(self, interaction: Interaction) -> None:
        """Ask before deleting everything."""
        view = ui.confirm_delete(interaction.user.id)
        await interaction.response.send_message(texts.DELETE_CONFIRM, view=view, ephemeral=True)

    async def delete_answer(self, interaction: Interaction, parts: list[str]) -> None:
        """Delete the user's photos, games and bot state after a yes."""
        if parts[:1] != [str(interaction.user.id)]:
            await stale(interaction, texts.NOT_YOURS)
            return
        if parts[1:] != ["yes"]:
            await interaction.response.edit_message(content=texts.DELETE_KEPT, view=None)
            return
        await interaction.response.defer()
        d = self.deps
        uid = await d.user_id(interaction.user)
        await stop_watchers(self.bot, owner=interaction.user.id)
        for order in await d.call(d.orders.list_orders, user_id=uid):
            await d.call(d.flows.drop, order.id)
        report = await d.call(d.orders.delete_user_data, user_id=uid)
        content = texts.DELETED.format(orders=report.orders, games=report.games, files=report.files)
        await interaction.edit_original_response(content=content, view=None)
