"""Games in chats: /challenge, inline sharing, Play, and /leaderboard (verified runs only).

PetPixel plays in Telegram as a Telegram Game (the one registered with @BotFather,
`telegram_game_short_name`): /challenge sends it into the chat (sendGame), and inline mode
(`@bot` in any chat, or the Challenge a group button) offers the user's games as game results.
Which PetPixel game a message launches is ours to remember (core.notify.gamescores). Play answers
the press with a URL (answerCallbackQuery url=...) that carries a launch token signed for this
game, this chat and this player; a run the server accepts from that link then updates the chat's
high-score table (setGameScore) and our own board for the chat (/leaderboard).

A chat is its id when the game was sent there, and `ci:<chat_instance>` for a message shared with
inline mode (Telegram tells a bot which chat an inline message is in only by that identifier).
"""

from __future__ import annotations

from telegram import InlineQueryResultGame, Update
from telegram.constants import ParseMode

from bots.telegram import keyboards, texts
from bots.telegram.deps import Context, deps, user_id
from bots.telegram.handlers.commands import reply
from core.notify.gamescores import Target, message_ref
from core.orders.schemas import GameView
from core.runs.boards import Community

KIND = "telegram"
BOARD_SIZE = 10
MAX_RESULTS = 50  # Telegram's cap per inline answer


def pet_of(game: GameView) -> str:
    return str(game.config.get("pet_name") or game.meta.get("pet_name") or game.code)


def enabled(context: Context) -> str | None:
    """The game short name when games in chats are on (a registered game and boards)."""
    d = deps(context)
    return d.settings.telegram_game_short_name if d.boards and d.games else None


async def _games(update: Update, context: Context) -> list[GameView]:
    uid = await user_id(update, context)
    return await deps(context).call(deps(context).orders.list_games, user_id=uid)


async def challenge(update: Update, context: Context) -> None:
    """/challenge [code]: post one of the user's games (the newest by default) into this chat."""
    short_name, d = enabled(context), deps(context)
    if short_name is None or d.games is None:
        await reply(update, texts.GAMES_OFF)
        return
    games = await _games(update, context)
    wanted = context.args[0] if context.args else None
    chosen = next((g for g in games if wanted in (None, g.code)), None)
    if chosen is None:
        await reply(update, texts.UNKNOWN_GAME if games else texts.NO_GAME_TO_SHARE)
        return
    chat = update.effective_chat
    assert chat is not None
    sent = await chat.send_game(short_name, reply_markup=keyboards.play_game(pet_of(chosen)))
    ref = message_ref(chat_id=chat.id, message_id=sent.message_id)
    await d.call(d.games.remember_game, ref=ref, code=chosen.code)


async def inline_query(update: Update, context: Context) -> None:
    """`@bot [name]` in any chat: the user's games as Telegram Games to share there."""
    query = update.inline_query
    assert query is not None
    short_name = enabled(context)
    if short_name is None:
        await query.answer([], cache_time=0, is_personal=True)
        return
    wanted = query.query.strip().lower()
    games = [g for g in await _games(update, context)
             if not wanted or wanted == g.code.lower() or wanted in pet_of(g).lower()]  # fmt: skip
    results = [
        InlineQueryResultGame(
            id=g.code, game_short_name=short_name, reply_markup=keyboards.play_game(pet_of(g))
        )
        for g in games[:MAX_RESULTS]
    ]
    await query.answer(results, cache_time=0, is_personal=True)


async def chosen_inline(update: Update, context: Context) -> None:
    """A game was shared with inline mode: remember which game its message launches."""
    chosen = update.chosen_inline_result
    d = deps(context)
    if chosen is None or not chosen.inline_message_id or d.games is None:
        return
    ref = message_ref(inline_message_id=chosen.inline_message_id)
    await d.call(d.games.remember_game, ref=ref, code=chosen.result_id)


async def play(update: Update, context: Context) -> None:
    """Play on a game message: this player's own link, signed for this game and chat."""
    query, d = update.callback_query, deps(context)
    assert query is not None
    if d.boards is None or d.games is None:
        await query.answer(texts.GAMES_OFF, show_alert=True)
        return
    message = query.message
    if query.inline_message_id:
        target = Target(inline_message_id=query.inline_message_id)
        chat = f"ci:{query.chat_instance}"
    elif message is not None:
        target = Target(chat_id=message.chat.id, message_id=message.message_id)
        chat = str(message.chat.id)
    else:
        await query.answer(texts.GAME_GONE, show_alert=True)
        return
    code = await d.call(d.games.game_of, ref=message_ref(**target.__dict__))
    game = await d.call(d.orders.game_by_code, code=code) if code else None
    if game is None:
        await query.answer(texts.GAME_GONE, show_alert=True)
        return
    player = query.from_user
    url = await d.call(d.boards.launch_url, game_url=game.url, code=game.code,
                       community=Community(KIND, chat),
                       player_id=str(player.id), player_name=player.first_name)  # fmt: skip
    await d.call(d.games.remember_target, community_id=chat, code=game.code, target=target)
    await query.answer(url=url)


async def leaderboard(update: Update, context: Context) -> None:
    """/leaderboard: this chat's best verified runs (games sent here with /challenge)."""
    d, chat = deps(context), update.effective_chat
    assert chat is not None
    if d.boards is None:
        await reply(update, texts.GAMES_OFF)
        return
    page = await d.call(d.boards.page, community=Community(KIND, str(chat.id)), page=0,
                        size=BOARD_SIZE)  # fmt: skip
    if not page.rows:
        await reply(update, texts.BOARD_EMPTY)
        return
    lines = [texts.BOARD_TITLE.format(chat=texts.esc(chat.title or texts.THIS_CHAT))]
    lines += [
        texts.BOARD_LINE.format(
            rank=r.rank, player=texts.esc(r.player_name), score=r.score, pet=texts.esc(r.pet_name)
        )
        for r in page.rows
    ]
    lines.append(texts.BOARD_FOOTER)
    assert update.effective_message is not None
    await update.effective_message.reply_text("\n".join(lines), parse_mode=ParseMode.HTML)
