"""A fake Telegram Bot API server (aiohttp on 127.0.0.1) for driving the real PTB Application.

It answers what our bot calls, records every call, long-polls getUpdates from an injectable queue,
serves uploaded files for getFile + download, and refuses what Telegram refuses: callback data over
64 bytes, an edit that changes nothing, a URL answer to a button that does not launch a game, a game
message whose first button does not launch it, and a score no higher than the one kept (unless
forced). Games (sendGame, setGameScore, getGameHighScores) keep one high-score table per chat, and
one per inline message for games shared with inline mode; `answerInlineQuery` results are checked.
Use `FakeTelegram` as an async context manager; `stop()` releases waiting long polls so PTB's
updater can shut down at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

BOT = {
    "id": 777,
    "is_bot": True,
    "first_name": "PetPixel",
    "username": "petpixel_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
SIMPLE_TRUE = {
    "sendChatAction",
    "answerPreCheckoutQuery",
    "setWebhook",
    "deleteWebhook",
    "setMyCommands",
    "refundStarPayment",
}
SENDS = {"sendMessage", "sendPhoto", "sendAnimation", "sendDocument", "sendInvoice"}
JSON_FIELDS = {"reply_markup", "prices", "allowed_updates", "commands", "media", "results"}
GAMES = {"petpixel": "PetPixel"}  # short name -> title, as registered with @BotFather /newgame
EDITS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}


class ApiError(Exception):
    def __init__(self, description: str, code: int = 400) -> None:
        super().__init__(description)
        self.description, self.code = description, code


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    at: float


class FakeTelegram:
    """The server plus the state a test inspects: `calls`, `messages`, `files`."""

    def __init__(self, token: str = "123:TEST") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}
        self._updates: list[dict[str, Any]] = []
        self.sent_updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._closing = False
        self._failures: dict[str, int] = {}
        self.refused: list[tuple[str, str]] = []  # (method, description) of every error answer
        self.queries: dict[str, dict[str, Any]] = {}  # callback query id -> the query pushed
        self.users: dict[int, dict[str, Any]] = {}  # every user seen in a pushed update
        # High scores: {user id: score} per chat (games sent there) or per inline message.
        self.scores: dict[int | str, dict[int, int]] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def release(self) -> None:
        """Answer every waiting (and every later) long poll at once, so an updater can stop."""
        self._closing = True
        async with self._changed:
            self._changed.notify_all()

    def resume(self) -> None:
        """Long polls wait again (after `release`, for a bot started anew)."""
        self._closing = False

    async def stop(self) -> None:
        """Release every waiting long poll, then close the server."""
        await self.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- what tests inject -------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (update_id added); returns its id."""
        update = {"update_id": next(self._update_ids), **update}
        for body in update.values():
            if isinstance(body, dict) and isinstance(body.get("from"), dict):
                self.users[int(body["from"]["id"])] = body["from"]
        if "callback_query" in update:
            self.queries[str(update["callback_query"]["id"])] = update["callback_query"]
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return int(update["update_id"])

    def push_again(self, update_id: int) -> None:
        """Deliver an already delivered update once more (Telegram may redeliver)."""
        original = next(u for u in self.sent_updates if u["update_id"] == update_id)
        self._updates.append({**original, "update_id": next(self._update_ids)})
        asyncio.get_running_loop().create_task(self._notify())

    def fail_next(self, method: str, times: int = 1) -> None:
        """Answer the next `times` calls of `method` with 502 Bad Gateway, as Telegram may."""
        self._failures[method] = times

    def add_file(self, data: bytes) -> tuple[str, str]:
        """Store a file as if a user uploaded it; returns (file_id, file_unique_id)."""
        n = next(self._ids)
        file_id = f"file{n}"
        self.files[file_id] = data
        return file_id, f"u{n}"

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # --- what tests read ---------------------------------------------------------------------
    def texts(self, chat_id: int) -> list[str]:
        """Everything the bot sent or edited into this chat, in order."""
        return [
            str(c.params.get("text") or c.params.get("caption") or f"<{c.method}>")
            for c in self.calls
            if str(c.params.get("chat_id")) == str(chat_id)
        ]

    def latest_with_button(self, chat_id: int, data: str) -> dict[str, Any]:
        """The newest message in the chat carrying an inline button with this callback data."""
        for (chat, _mid), message in reversed(list(self.messages.items())):
            rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
            if chat == chat_id and any(b.get("callback_data") == data for r in rows for b in r):
                return dict(message)
        raise AssertionError(f"no button {data!r} in chat {chat_id}: {self.texts(chat_id)}")

    def messages_of(self, chat_id: int, kind: str) -> list[dict[str, Any]]:
        """The bot's messages in this chat that carry `kind` ("photo", "animation"...)."""
        return [m for (chat, _), m in self.messages.items() if chat == chat_id and kind in m]

    def called(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method
            and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
        ]

    async def wait_for(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        where: Any = None,
        within: float = 60.0,
    ) -> list[Call]:
        """Wait until `count` calls of `method` (matching `where(call)`) have been made."""
        deadline = time.monotonic() + within
        while True:
            found = [c for c in self.called(method, chat_id) if where is None or where(c)]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.params.get("text")) for c in self.calls[-15:]]
                raise AssertionError(f"no {count}x {method} within {within}s; last calls {seen}")
            await asyncio.sleep(0.02)

    async def delivered(self, update_id: int, *, within: float = 60.0) -> None:
        """Wait until getUpdates has handed this update to the bot."""
        deadline = time.monotonic() + within
        while not any(u["update_id"] == update_id for u in self.sent_updates):
            if time.monotonic() > deadline:
                raise AssertionError(f"update {update_id} was never fetched")
            await asyncio.sleep(0.02)

    # --- the HTTP side -----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(ApiError("Unauthorized", 401))
        params, files = await _read_params(request)
        if method != "getUpdates":
            self.calls.append(Call(method, params, files, time.monotonic()))
        if self._failures.get(method, 0) > 0:
            self._failures[method] -= 1
            return _error(ApiError("Bad Gateway", 502))
        try:
            result = await self._dispatch(method, params, files)
        except ApiError as exc:
            self.refused.append((method, exc.description))
            return _error(exc)
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        _check_callback_data(params)
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return await self._get_updates(params)
        if method in SIMPLE_TRUE:
            return True
        if method == "getFile":
            return self._get_file(params["file_id"])
        if method in SENDS:
            return self._send(method, params, files)
        if method in EDITS:
            return self._edit(method, params)
        if method == "answerCallbackQuery":
            return self._answer_query(params)
        if method == "sendGame":
            return self._send_game(params)
        if method == "setGameScore":
            return self._set_score(params)
        if method == "getGameHighScores":
            return self._high_scores(params)
        if method == "answerInlineQuery":
            return _check_inline_results(params.get("results") or [])
        if method == "deleteMessage":
            self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
            return True
        raise ApiError(f"Not Found: method {method} is not faked", 404)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset, timeout = int(params.get("offset") or 0), float(params.get("timeout") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and not self._closing and timeout > 0:
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), timeout)
        out = list(self._updates)
        self.sent_updates.extend(out)
        return out

    def _get_file(self, file_id: str) -> dict[str, Any]:
        if file_id not in self.files:
            raise ApiError("Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"photos/{file_id}.jpg",
        }

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1].split(".")[0]
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    def _send(self, method: str, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "from": BOT,
            "chat": {"id": chat_id, "type": "private"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "A group"},
        }
        for key in ("text", "caption", "reply_markup"):
            if key in params:
                message[key] = params[key]
        if method == "sendAnimation":
            file_id, unique = self.add_file(files.get("animation", b""))
            message["animation"] = {
                "file_id": file_id,
                "file_unique_id": unique,
                "width": 1,
                "height": 1,
                "duration": 1,
            }
            message["document"] = {"file_id": file_id, "file_unique_id": unique}
        if method == "sendPhoto":
            message["photo"] = [self._sent_photo(params, files)]
        if method == "sendInvoice":
            message["invoice"] = {
                "title": params["title"],
                "description": params["description"],
                "start_parameter": "",
                "currency": params["currency"],
                "total_amount": sum(p["amount"] for p in params["prices"]),
            }
        self.messages[(chat_id, message["message_id"])] = message
        return message

    def _sent_photo(self, params: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        """An uploaded photo is stored; a photo sent by file_id must be one we know."""
        if "photo" in files:
            file_id, unique = self.add_file(files["photo"])
        elif str(params.get("photo")) in self.files:
            file_id, unique = str(params["photo"]), f"u{params['photo']}"
        else:
            raise ApiError("Bad Request: wrong file identifier/HTTP URL specified")
        return {"file_id": file_id, "file_unique_id": unique, "width": 1, "height": 1}

    def _answer_query(self, params: dict[str, Any]) -> bool:
        """A URL answer is for a Play press on a game message only (Telegram: URL_INVALID)."""
        query = self.queries.get(str(params.get("callback_query_id")))
        if query is None:
            raise ApiError("Bad Request: query is too old and response timeout expired")
        if params.get("url") and not query.get("game_short_name"):
            raise ApiError("Bad Request: URL_INVALID")
        return True

    def _send_game(self, params: dict[str, Any]) -> dict[str, Any]:
        short_name = str(params.get("game_short_name"))
        if short_name not in GAMES:
            raise ApiError("Bad Request: GAME_SHORTNAME_INVALID")
        rows = (params.get("reply_markup") or {}).get("inline_keyboard") or [[{}]]
        if "callback_game" not in rows[0][0]:
            raise ApiError("Bad Request: first button must launch the game")
        message = self._send("sendGame", {k: v for k, v in params.items() if k != "text"}, {})
        message["game"] = {"title": GAMES[short_name], "description": "", "photo": [],
                           "short_name": short_name}  # fmt: skip
        return message

    def _table(self, params: dict[str, Any]) -> tuple[int | str, dict[str, Any] | None]:
        """Whose table a score call means: (chat id, the game message) or (inline message id,
        None)."""
        if params.get("inline_message_id"):
            return str(params["inline_message_id"]), None
        key = (int(params.get("chat_id") or 0), int(params.get("message_id") or 0))
        message = self.messages.get(key)
        if message is None or "game" not in message:
            raise ApiError("Bad Request: message to set game score not found")
        return key[0], message

    def _set_score(self, params: dict[str, Any]) -> Any:
        table_key, message = self._table(params)
        user, score = int(params["user_id"]), int(params["score"])
        if score < 0:
            raise ApiError("Bad Request: SCORE_INVALID")
        table = self.scores.setdefault(table_key, {})
        forced = str(params.get("force", "")).lower() in ("true", "1")
        if user in table and score <= table[user] and not forced:
            raise ApiError("Bad Request: BOT_SCORE_NOT_MODIFIED")
        table[user] = score
        return True if message is None else dict(message)

    def _high_scores(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        table_key, _message = self._table(params)
        ranked = sorted(self.scores.get(table_key, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        return [
            {"position": i, "user": self.users.get(uid, {"id": uid, "is_bot": False,
                                                        "first_name": str(uid)}), "score": score}
            for i, (uid, score) in enumerate(ranked, 1)
        ]  # fmt: skip

    def high_scores(self, table: int | str) -> dict[int, int]:
        """The high-score table of a chat (its id) or of an inline message (its id)."""
        return dict(self.scores.get(table, {}))

    def _edit(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        if key not in self.messages:
            raise ApiError("Bad Request: message to edit not found")
        message = self.messages[key]
        if method == "editMessageText" and "text" not in message:
            raise ApiError("Bad Request: there is no text in the message to edit")
        field = {"editMessageText": "text", "editMessageCaption": "caption"}.get(method)
        new = dict(message)
        if field is not None:
            new[field] = params.get(field, "")
        new.pop("reply_markup", None)
        if "reply_markup" in params and params["reply_markup"].get("inline_keyboard"):
            new["reply_markup"] = params["reply_markup"]
        if new == message:
            raise ApiError(
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message"
            )
        self.messages[key] = new
        return new


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """PTB posts form fields (JSON-encoded where not plain strings) or multipart with files."""
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        return dict(await request.json()), files
    form = await request.post()
    for key, value in form.items():
        if hasattr(value, "file"):
            files[key] = value.file.read()
            continue
        params[key] = json.loads(value) if key in JSON_FIELDS else value
    return params, files


def _check_callback_data(params: dict[str, Any]) -> None:
    markup = params.get("reply_markup")
    for row in (markup or {}).get("inline_keyboard", []) if isinstance(markup, dict) else []:
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > 64:
                raise ApiError("Bad Request: BUTTON_DATA_INVALID")


def _check_inline_results(results: list[dict[str, Any]]) -> bool:
    """Ids of 1-64 bytes, unique; a game result names a registered game."""
    ids = [str(r.get("id", "")) for r in results]
    if len(set(ids)) != len(ids) or any(not 0 < len(i.encode()) <= 64 for i in ids):
        raise ApiError("Bad Request: RESULT_ID_INVALID")
    for result in results:
        if result.get("type") == "game" and result.get("game_short_name") not in GAMES:
            raise ApiError("Bad Request: GAME_SHORTNAME_INVALID")
    if len(results) > 50:
        raise ApiError("Bad Request: RESULTS_TOO_MUCH")
    return True


def _error(exc: ApiError) -> web.Response:
    body = {"ok": False, "error_code": exc.code, "description": exc.description}
    return web.json_response(body, status=exc.code)
