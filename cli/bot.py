"""`petpixel bot telegram`: the Telegram bot (long polling, or webhook mode behind the web app)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from cli.common import load_cli_settings, user_errors

bot_app = typer.Typer(help="Chat bots.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(bot_app, name="bot")


@bot_app.command("telegram")
def telegram(
    host: Annotated[str, typer.Option(help="Webhook mode: interface to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Webhook mode: TCP port.")] = 8000,
) -> None:
    """Run the Telegram bot; polling unless PETPIXEL_TELEGRAM_WEBHOOK_URL is set."""
    from bots.telegram.runner import run_polling, serve_webhook
    from workers.runtime import open_runtime

    settings = load_cli_settings()
    with user_errors():
        if not settings.telegram_token:
            from core.errors import InvalidRequest

            raise InvalidRequest(
                "Set PETPIXEL_TELEGRAM_TOKEN to your bot's token from @BotFather.",
                code="telegram_token_missing",
            )
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        with open_runtime(settings) as rt:
            mode = "webhook" if settings.telegram_webhook_url else "polling"
            print(f"PetPixel Telegram bot starting ({mode}); data in {settings.data_dir.resolve()}")
            if settings.telegram_webhook_url:
                asyncio.run(serve_webhook(settings, rt, host=host, port=port))
            else:
                run_polling(settings, rt)
