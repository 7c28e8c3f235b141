"""A small fake of Discord's REST API and gateway on 127.0.0.1, for the real discord.py client.

REST (under /api/v10): login, application info, command sync (bulk overwrite), interaction
callbacks, webhook follow-ups and edits (JSON or multipart with files), DM channels, channel
messages, Premium entitlements (list, consume); attachments are served from the fake's own
/attachments/. The gateway says HELLO, accepts IDENTIFY, answers READY, acks heartbeats, then
forwards the dispatches tests `push` (INTERACTION_CREATE for slash commands, component presses
and modal submits) or `grant` (ENTITLEMENT_CREATE for a purchase). Everything is recorded;
`aclose` closes every socket, so no test waits on a timeout.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

APP_ID = 910000000000000001
BOT_ID = 910000000000000002
GUILD_ID = 910000000000000003
CHANNEL_ID = 910000000000000004
DISCORD_EPOCH_MS = 1420070400000
EPHEMERAL = 64
_counter = itertools.count(1)


def snowflake() -> int:
    """A real-looking id: its timestamp is now (discord.py reads interaction ages from it)."""
    return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(_counter) % 4096)


def user_json(uid: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": str(uid), "username": name, "discriminator": "0", "global_name": name,
            "avatar": None, "bot": bot, "public_flags": 0}  # fmt: skip


BOT_USER = user_json(BOT_ID, "PetPixel", bot=True)


@dataclass
class Said:
    """One message created or edited by the bot, as the user it was meant for sees it."""

    to: int
    message_id: int
    content: str
    components: list[dict[str, Any]]
    files: dict[str, bytes]
    via: str  # "callback", "webhook" or "channel"
    at: float = field(default_factory=time.monotonic)
    edit: bool = False
    embeds: list[dict[str, Any]] = field(default_factory=list)
    public: bool = False  # seen by everyone in its channel (not ephemeral, not a DM)


class FakeDiscord:
    def __init__(self) -> None:
        self.token = "fake-discord-token"
        self.calls: list[tuple[str, str, Any]] = []  # (method, path, json body)
        self.call_at: list[float] = []  # time.monotonic() of each call, in step with `calls`
        self.said: list[Said] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.owner_of: dict[int, int] = {}  # message id -> user it was sent to
        self.interactions: dict[str, dict[str, Any]] = {}  # token -> the interaction pushed
        self.originals: dict[str, int] = {}  # token -> message id of "@original"
        self.attachments: dict[str, bytes] = {}
        self.synced: list[Any] = []
        self.downloads: list[str] = []  # attachment names fetched by the bot
        self.identified = asyncio.Event()
        self.entitlements: dict[int, dict[str, Any]] = {}  # id -> entitlement (Premium)
        self._events: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self._query: dict[str, str] = {}  # the query string of the REST call being answered
        self._sockets: set[web.WebSocketResponse] = set()
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------------
    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{name}", self._attachment)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # --- gateway ------------------------------------------------------------------------------
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        sender: asyncio.Task[None] | None = None
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                op = json.loads(msg.data).get("op")
                if op == 1:
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2 and sender is None:
                    await self._dispatch(ws, "READY", self._ready())
                    self.identified.set()
                    sender = asyncio.create_task(self._forward(ws))
        finally:
            self._sockets.discard(ws)
            if sender is not None:
                sender.cancel()
        return ws

    def _ready(self) -> dict[str, Any]:
        return {"v": 10, "user": BOT_USER, "guilds": [], "session_id": "fake-session",
                "resume_gateway_url": self.gateway_url, "shard": [0, 1],
                "application": {"id": str(APP_ID), "flags": 0}}  # fmt: skip

    async def _dispatch(self, ws: web.WebSocketResponse, event: str, data: Any) -> None:
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": next(self._seq), "d": data}))

    async def _forward(self, ws: web.WebSocketResponse) -> None:
        while not ws.closed:
            event = await self._events.get()
            try:
                await self._dispatch(ws, *event)
            except ConnectionError:
                self._events.put_nowait(event)  # the next connection delivers it
                return

    def push(self, interaction: dict[str, Any]) -> None:
        """Queue an INTERACTION_CREATE; delivered once the bot is (or is again) connected."""
        self.interactions[interaction["token"]] = interaction
        self._events.put_nowait(("INTERACTION_CREATE", interaction))

    def grant(self, user_id: int, sku_id: int, *, dispatch: bool = True) -> dict[str, Any]:
        """A user bought a consumable SKU: the entitlement is listed, and with `dispatch` also
        sent as ENTITLEMENT_CREATE (delivered once the bot is connected)."""
        ent: dict[str, Any] = {
            "id": str(snowflake()), "sku_id": str(sku_id), "application_id": str(APP_ID),
            "user_id": str(user_id), "type": 1, "deleted": False, "consumed": False,
            "starts_at": None, "ends_at": None,
        }  # fmt: skip
        self.entitlements[int(ent["id"])] = ent
        if dispatch:
            self.redeliver(ent)
        return ent

    def redeliver(self, entitlement: dict[str, Any]) -> None:
        """Send ENTITLEMENT_CREATE for an entitlement (again), as it was first granted."""
        self._events.put_nowait(("ENTITLEMENT_CREATE", {**entitlement, "consumed": False}))

    # --- REST ---------------------------------------------------------------------------------
    async def _attachment(self, request: web.Request) -> web.Response:
        self.downloads.append(request.match_info["name"])
        data = self.attachments.get(request.match_info["name"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

    async def _rest(self, request: web.Request) -> web.Response:
        body, files = await _read_body(request)
        path = "/" + request.match_info["path"]
        self.calls.append((request.method, path, body))
        self.call_at.append(time.monotonic())
        parts = path.strip("/").split("/")
        authorised = request.headers.get("Authorization") == f"Bot {self.token}"
        if not authorised and parts[0] not in ("interactions", "webhooks"):  # those use tokens
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        routes: dict[tuple[str, str], Callable[..., tuple[int, Any]]] = {
            ("GET", "users"): self._users,
            ("POST", "users"): self._open_dm,
            ("GET", "oauth2"): self._app_info,
            ("PUT", "applications"): self._sync,
            ("GET", "applications"): self._list_entitlements,
            ("POST", "applications"): self._consume,
            ("POST", "interactions"): self._callback,
            ("POST", "channels"): self._channel_send,
            ("PATCH", "channels"): self._channel_edit,
        }
        handler = routes.get((request.method, parts[0]))
        if parts[0] == "webhooks":
            handler = self._webhook
        if handler is None:
            return _json({"message": f"fake has no {request.method} {path}", "code": 0}, 404)
        self._query = dict(request.query)
        status, reply = handler(request.method, parts, body or {}, files)
        return web.Response(status=204) if status == 204 else _json(reply, status)

    def _users(self, _m: str, parts: list[str], *_: Any) -> tuple[int, Any]:
        return 200, BOT_USER if parts[1] == "@me" else user_json(int(parts[1]), "someone")

    def _app_info(self, *_: Any) -> tuple[int, Any]:
        return 200, {"id": str(APP_ID), "name": "PetPixel", "description": "", "icon": None,
                     "bot_public": True, "bot_require_code_grant": False, "owner": BOT_USER,
                     "verify_key": "0" * 64, "flags": 0, "summary": ""}  # fmt: skip

    def _sync(self, _m: str, _p: list[str], body: Any, _f: Any) -> tuple[int, Any]:
        self.synced = body
        return 200, [{**c, "id": str(snowflake()), "application_id": str(APP_ID), "version": "1",
                      "default_member_permissions": None} for c in body]  # fmt: skip

    def _list_entitlements(self, _m: str, parts: list[str], *_: Any) -> tuple[int, Any]:
        """GET /applications/{id}/entitlements, ascending ids, with Discord's filters."""
        query = self._query
        skus = set(filter(None, query.get("sku_ids", "").split(",")))
        after, limit = int(query.get("after", 0)), int(query.get("limit", 100))
        out = [e for i, e in sorted(self.entitlements.items()) if i > after
               and (not skus or e["sku_id"] in skus)
               and query.get("user_id") in (None, e["user_id"])
               and not (e["deleted"] and query.get("exclude_deleted", "1") == "1")]  # fmt: skip
        return (200, out[:limit]) if parts[2:] == ["entitlements"] else (404, {"code": 0})

    def _consume(self, _m: str, parts: list[str], *_: Any) -> tuple[int, Any]:
        """POST /applications/{id}/entitlements/{entitlement id}/consume."""
        ent = self.entitlements.get(int(parts[3])) if len(parts) == 5 else None
        if ent is None or parts[4] != "consume":
            return 404, {"message": "Unknown Entitlement", "code": 10068}
        ent["consumed"] = True
        return 204, None

    def _open_dm(self, _m: str, _p: list[str], body: Any, _f: Any) -> tuple[int, Any]:
        uid = int(body["recipient_id"])
        return 200, {"id": str(uid + 1), "type": 1, "recipients": [user_json(uid, "someone")],
                     "last_message_id": None}  # fmt: skip

    def _channel_send(self, _m: str, parts: list[str], body: Any, files: Any) -> tuple[int, Any]:
        channel = int(parts[1])
        to = channel - 1  # DM channels are user id + 1 (see _open_dm)
        return 200, self._new_message(to, channel, body, files, via="channel")

    def _channel_edit(self, _m: str, parts: list[str], body: Any, files: Any) -> tuple[int, Any]:
        return self._edit(int(parts[3]), body, files, via="channel")

    def _callback(self, _m: str, parts: list[str], body: Any, files: Any) -> tuple[int, Any]:
        token, kind = parts[2], body["type"]
        inter = self.interactions[token]
        to = int(_user_of(inter)["id"])
        data = body.get("data") or {}
        message: dict[str, Any] | None = None
        if kind in (4, 5):  # a new response message (5: "thinking…", filled in by an edit)
            channel = int(inter.get("channel_id") or CHANNEL_ID)
            message = self._new_message(to, channel, data, files, via="callback")
            self.originals[token] = int(message["id"])
        elif kind in (6, 7):  # acknowledges / updates the message the component sits on
            host = int(inter["message"]["id"])
            self.originals[token] = host
            if kind == 7:
                message = self._edit(host, data, files, via="callback")[1]
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            resource["message"] = message
        reply = {"interaction": {"id": inter["id"], "type": inter["type"],
                                 "response_message_id": str(self.originals.get(token, 0)),
                                 "response_message_loading": kind == 5,
                                 "response_message_ephemeral": bool(data.get("flags", 0) & 64)},
                 "resource": resource}  # fmt: skip
        return 200, reply

    def _webhook(self, method: str, parts: list[str], body: Any, files: Any) -> tuple[int, Any]:
        token = parts[2]
        inter = self.interactions.get(token)
        if inter is None or time.time() - _age_origin(inter) > 15 * 60:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        if len(parts) == 3 and method == "POST":  # a follow-up
            to = int(_user_of(inter)["id"])
            channel = int(inter.get("channel_id") or CHANNEL_ID)
            return 200, self._new_message(to, channel, body, files, via="webhook")
        target = parts[4]
        mid = self.originals[token] if target == "@original" else int(target)
        if method == "GET":
            return 200, self.messages[mid]
        return self._edit(mid, body, files, via="webhook")

    def _new_message(
        self, to: int, channel: int, body: dict[str, Any], files: dict[str, bytes], *, via: str
    ) -> dict[str, Any]:
        mid = snowflake()
        msg = {"id": str(mid), "channel_id": str(channel), "author": BOT_USER, "type": 0,
               "content": body.get("content") or "", "timestamp": _now(), "edited_timestamp": None,
               "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
               "attachments": self._stored_files(files), "embeds": body.get("embeds") or [],
               "pinned": False,
               "flags": body.get("flags") or 0,
               "components": body.get("components") or []}  # fmt: skip
        self.messages[mid] = msg
        self.owner_of[mid] = to
        public = via != "channel" and not msg["flags"] & EPHEMERAL
        self.said.append(Said(to, mid, msg["content"], msg["components"], files, via,
                              embeds=msg["embeds"], public=public))  # fmt: skip
        return msg

    def _edit(
        self, mid: int, body: dict[str, Any], files: dict[str, bytes], *, via: str
    ) -> tuple[int, Any]:
        msg = self.messages.get(mid)
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        for key in ("content", "components", "embeds"):
            if key in body:
                msg[key] = body[key] or ("" if key == "content" else [])
        if files:
            msg["attachments"] = self._stored_files(files)
        msg["edited_timestamp"] = _now()
        public = via != "channel" and not msg["flags"] & EPHEMERAL
        self.said.append(Said(self.owner_of[mid], mid, msg["content"], msg["components"], files,
                              via, edit=True, embeds=msg["embeds"], public=public))  # fmt: skip
        return 200, msg

    def _stored_files(self, files: dict[str, bytes]) -> list[dict[str, Any]]:
        out = []
        for filename, data in files.items():
            aid = snowflake()
            self.attachments[f"{aid}-{filename}"] = data
            url = f"{self.root}/attachments/{aid}-{filename}"
            out.append({"id": str(aid), "filename": filename, "size": len(data), "url": url,
                        "proxy_url": url})  # fmt: skip
        return out

    # --- for tests ----------------------------------------------------------------------------
    def add_attachment(self, data: bytes, filename: str, content_type: str) -> dict[str, Any]:
        aid = snowflake()
        self.attachments[f"{aid}-{filename}"] = data
        url = f"{self.root}/attachments/{aid}-{filename}"
        return {"id": str(aid), "filename": filename, "size": len(data), "url": url,
                "proxy_url": url, "content_type": content_type}  # fmt: skip

    def to(self, uid: int) -> list[Said]:
        return [s for s in self.said if s.to == uid]

    def latest_with(self, uid: int, custom_id: str) -> dict[str, Any]:
        """The newest message sent to `uid` that has a component with this custom_id now."""
        for mid in sorted(self.messages, reverse=True):
            if self.owner_of.get(mid) == uid and custom_id in json.dumps(
                self.messages[mid]["components"]
            ):
                return self.messages[mid]
        raise AssertionError(f"no message to {uid} has a component {custom_id!r}")

    def public_with(self, channel: int, custom_id: str) -> dict[str, Any]:
        """The newest message everyone in `channel` sees with a component with this custom_id."""
        for mid in sorted(self.messages, reverse=True):
            msg = self.messages[mid]
            if (int(msg["channel_id"]) == channel and not msg["flags"] & EPHEMERAL
                    and custom_id in json.dumps(msg["components"])):  # fmt: skip
                return msg
        raise AssertionError(f"no public message in {channel} has a component {custom_id!r}")

    def public(self, channel: int) -> list[Said]:
        """What the bot showed everyone in `channel` (sent or edited), in order."""
        return [s for s in self.said if s.public and self._channel_of(s) == channel]

    def _channel_of(self, said: Said) -> int:
        return int(self.messages[said.message_id]["channel_id"])


def _user_of(interaction: dict[str, Any]) -> dict[str, Any]:
    return interaction.get("user") or interaction["member"]["user"]  # type: ignore[no-any-return]


def _age_origin(interaction: dict[str, Any]) -> float:
    return ((int(interaction["id"]) >> 22) + DISCORD_EPOCH_MS) / 1000


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _json(body: Any, status: int = 200) -> web.Response:
    # Exactly "application/json": discord.py decodes JSON only for that header value.
    return web.Response(
        body=json.dumps(body).encode(), status=status, headers={"Content-Type": "application/json"}
    )


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    """(JSON body, {filename: bytes}) from a JSON or multipart request."""
    if not request.can_read_body:
        return None, {}
    if not request.content_type.startswith("multipart/"):
        return await request.json(), {}
    body: Any = None
    files: dict[str, bytes] = {}
    reader = await request.multipart()
    async for part in reader:
        assert isinstance(part, BodyPartReader)
        if part.name == "payload_json":
            body = json.loads(await part.read())
        else:
            files[part.filename or part.name or "file"] = bytes(await part.read())
    return body, files
