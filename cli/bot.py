"""`petpixel bot telegram` (long polling, or webhook mode behind the web app) and
`petpixel bot discord` (gateway connection)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from cli.common import bot_companions, load_cli_settings, user_errors

bot_app = typer.Typer(help="Chat bots.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(bot_app, name="bot")


@bot_app.command("telegram")
def telegram(
    host: Annotated[str, typer.Option(help="Webhook mode: interface to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Webhook mode: TCP port.")] = 8000,
) -> None:
    """Run the Telegram bot; polling unless PETPIXEL_TELEGRAM_WEBHOOK_URL is set."""
    from bots.telegram.runner import run_polling
    from core.telegram_webhook import webhook_url
    from runtime import observe, open_runtime

    settings = load_cli_settings()
    observe(settings, role="bot")
    with user_errors():
        if not settings.telegram_token:
            from core.errors import InvalidRequest

            raise InvalidRequest(
                "Set PETPIXEL_TELEGRAM_TOKEN to your bot's token from @BotFather.",
                code="telegram_token_missing",
            )
        mode = "webhook" if settings.telegram_webhook_url else "polling"
        print(f"PetPixel Telegram bot starting ({mode}); data in {settings.data_dir.resolve()}")
        if settings.telegram_webhook_url:  # the web app (with its route) and the bot, one runtime
            import uvicorn

            from web.app import create_app

            webhook_url(settings)  # a clear error before anything starts
            companions = bot_companions(settings, only="telegram")
            uvicorn.run(create_app(settings, companions=companions), host=host, port=port,
                        log_config=None)  # fmt: skip
        else:
            with open_runtime(settings, role="bot") as rt:
                run_polling(settings, rt)


@bot_app.command("discord")
def discord_bot() -> None:
    """Run the Discord bot (slash commands /pixelpet, /mygames, /help, /privacy, /delete)."""
    from bots.discord.bot import require_token, run_bot
    from runtime import observe, open_runtime

    settings = load_cli_settings()
    observe(settings, role="bot")  # discord.py's own log lines reach this handler too
    with user_errors():
        require_token(settings)
        with open_runtime(settings, role="bot") as rt:
            print(f"PetPixel Discord bot starting; data in {settings.data_dir.resolve()}")
            import discord

            try:
                asyncio.run(run_bot(settings, rt))
            except discord.LoginFailure:
                from core.errors import InvalidRequest

                raise InvalidRequest(
                    "Discord refused PETPIXEL_DISCORD_TOKEN; copy the bot token again from the "
                    "developer portal.",
                    code="discord_token_invalid",
                ) from None
            except KeyboardInterrupt:
                print("Stopped.")
