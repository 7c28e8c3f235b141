"""The Telegram Application: builder settings, handlers in order, and what runs at start-up.

with open_runtime(settings, role="bot") as rt:      # runtime: the composition root
    app = build_application(settings, rt)
    app.run_polling()                      # or see bots/telegram/runner.py for webhooks
"""

from __future__ import annotations

from typing import Any

from telegram import BotCommand
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    PreCheckoutQueryHandler,
    TypeHandler,
    filters,
)

from bots.telegram import keyboards as kb
from bots.telegram.deps import BotDeps, make_preview_reader
from bots.telegram.handlers import checkout, choices, commands, fallback, games, photo
from bots.telegram.handlers.common import bind_update_ids
from bots.telegram.persistence import DatabasePersistence
from bots.telegram.request import RetryingRequest
from bots.telegram.watch import resume_watchers, stop_watchers
from core.botstate import BotStateStore
from core.chatlimits import Limits
from core.config import Settings
from core.errors import InvalidRequest
from core.notify.gamescores import GameMessages
from runtime import Runtime, boards_for

App = Application[Any, Any, Any, Any, Any, Any]
GAME_COMMANDS = [  # in the menu when games in chats are on (a registered game and runs_secret)
    BotCommand("challenge", "Post your game in a chat for everyone to beat"),
    BotCommand("leaderboard", "This chat's best runs"),
]
COMMANDS = [
    BotCommand("new", "Start over with a new photo"),
    BotCommand("mygames", "Your games"),
    BotCommand("help", "How it works"),
    BotCommand("cancel", "Stop what we're doing"),
    BotCommand("privacy", "What we keep"),
    BotCommand("delete", "Delete your photos and games"),
]


def file_url(api_url: str) -> str:
    """`http://host:8081/bot` -> `http://host:8081/file/bot` (the Bot API server's file root)."""
    root, _, last = api_url.rstrip("/").rpartition("/")
    return f"{root}/file/{last}"


def build_application(settings: Settings, runtime: Runtime, *, webhook: bool = False) -> App:
    """A configured Application over an open runtime (runtime.open_runtime)."""
    if not settings.telegram_token:
        raise InvalidRequest(
            "Set PETPIXEL_TELEGRAM_TOKEN to your bot's token from @BotFather.",
            code="telegram_token_missing",
        )
    builder = (
        Application.builder()
        .token(settings.telegram_token)
        .persistence(DatabasePersistence(BotStateStore(runtime.db)))
        .concurrent_updates(True)  # one slow user never holds up another
        .request(RetryingRequest(connection_pool_size=64))
        .post_init(on_start)
        .post_stop(stop_watchers)
    )
    if settings.telegram_api_url:
        builder = builder.base_url(settings.telegram_api_url).base_file_url(
            file_url(settings.telegram_api_url)
        )
    if settings.telegram_rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    if webhook:
        builder = builder.updater(None)
    app = builder.build()
    app.bot_data["deps"] = new_deps(settings, runtime)
    add_handlers(app)
    return app


def new_deps(settings: Settings, rt: Runtime) -> BotDeps:
    """Services over an open runtime; checkouts are Telegram's (Stars, Stripe or free)."""
    limits = Limits(
        uploads_per_hour=settings.telegram_uploads_per_hour,
        max_active=settings.telegram_max_active_orders,
    )
    deps = BotDeps(settings, rt.orders, rt.checkout("telegram"), make_preview_reader(rt), limits)
    deps.boards = boards_for(settings, rt.runs)
    deps.games = GameMessages(BotStateStore(rt.db))
    return deps


def add_handlers(app: App) -> None:
    """Order matters: the first matching handler wins."""
    app.add_handler(TypeHandler(object, bind_update_ids), group=-1)  # log ids, then group 0
    for name, fn in [
        ("start", commands.start),
        ("help", commands.help_command),
        ("new", commands.new),
        ("mygames", commands.my_games),
        ("cancel", commands.cancel),
        ("privacy", commands.privacy),
        ("delete", commands.delete),
        ("challenge", games.challenge),
        ("leaderboard", games.leaderboard),
    ]:
        app.add_handler(CommandHandler(name, fn))
    app.add_handler(CallbackQueryHandler(games.play, game_pattern=".+"))  # Play on a game message
    app.add_handler(InlineQueryHandler(games.inline_query))
    app.add_handler(ChosenInlineResultHandler(games.chosen_inline))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, checkout.successful_payment))
    app.add_handler(PreCheckoutQueryHandler(checkout.pre_checkout))
    for prefix, fn in [
        (kb.STYLE, choices.pick_style),
        (kb.THEME, choices.pick_theme),
        (kb.ALBUM, photo.album_pick),
        (kb.PREVIEW, choices.preview_button),
        (kb.CROP, choices.pick_crop),
        (kb.SPECIES_PICK, choices.pick_species),
        (kb.FIX, choices.fix_button),
        (kb.PACKAGE, checkout.pick_package),
        (kb.DELETE, commands.delete_answer),
    ]:
        app.add_handler(CallbackQueryHandler(fn, pattern=f"^{prefix}:"))
    # GIFs arrive as animation *and* document: catch videos first so they are not read as photos.
    app.add_handler(
        MessageHandler(filters.VIDEO | filters.VIDEO_NOTE | filters.ANIMATION, fallback.video)
    )
    app.add_handler(MessageHandler(filters.PHOTO | filters.Document.ALL, photo.photo))
    app.add_handler(MessageHandler(filters.Sticker.ALL, fallback.sticker))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, fallback.text))
    app.add_handler(MessageHandler(filters.ALL, fallback.other))
    app.add_error_handler(fallback.on_error)


async def on_start(app: App) -> None:
    """After initialize: publish the command menu and pick up watchers from before a restart."""
    d: BotDeps = app.bot_data["deps"]
    games_on = d.boards is not None and d.settings.telegram_game_short_name
    await app.bot.set_my_commands(COMMANDS + GAME_COMMANDS if games_on else COMMANDS)
    resume_watchers(app)
