"""Drive the real discord.py bot against the fake Discord, as server members would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bots.discord.bot import PetPixelBot, running
from core.config import Settings
from tests.bots.discord.fake_discord import (
    APP_ID,
    CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    Said,
    snowflake,
    user_json,
)


def bot_settings(settings: Settings, fake: FakeDiscord, **extra: Any) -> Settings:
    """Fast test settings pointed at the fake: tiny sprites, quick polling."""
    values: dict[str, Any] = {
        "discord_token": fake.token,
        "discord_api_url": fake.api_url,
        "discord_gateway_url": fake.gateway_url,
        "discord_poll_interval_s": 0.05,
        "discord_edit_interval_s": 0.2,
        "preview_sprite_size": 32,
        "progress_interval_s": 0.0,
    }
    return settings.model_copy(update={**values, **extra})


@asynccontextmanager
async def running_bot(
    settings: Settings, runtime: Any, fake: FakeDiscord
) -> AsyncIterator[PetPixelBot]:
    """The bot as `petpixel bot discord` runs it; yields once the gateway said READY."""
    fake.identified.clear()
    async with running(settings, runtime) as bot:
        await asyncio.wait_for(fake.identified.wait(), 10)
        yield bot


class Member:
    """One person in a server's channel (the fake server's #general unless told otherwise)."""

    def __init__(
        self, fake: FakeDiscord, uid: int, name: str = "Ann", *, guild: int = GUILD_ID,
        channel: int = CHANNEL_ID,
    ) -> None:  # fmt: skip
        self.fake, self.id, self.name = fake, uid, name
        self.guild, self.channel = guild, channel

    def _push(self, kind: int, data: dict[str, Any], **extra: Any) -> str:
        token = f"tok-{snowflake()}"
        member: dict[str, Any] = {
            "user": user_json(self.id, self.name), "roles": [], "joined_at": None,
            "deaf": False, "mute": False, "flags": 0, "permissions": "2147483647",
        }  # fmt: skip
        channel = {"id": str(self.channel), "type": 0, "guild_id": str(self.guild),
                   "name": "general", "position": 0, "permission_overwrites": [],
                   "nsfw": False, "parent_id": None}  # fmt: skip
        self.fake.push({
            "id": str(snowflake()), "application_id": str(APP_ID), "type": kind,
            "token": token, "version": 1, "guild_id": str(self.guild),
            "channel_id": str(self.channel), "channel": channel, "member": member,
            "app_permissions": "2147483647", "locale": "en-US", "guild_locale": "en-US",
            "entitlements": [], "authorizing_integration_owners": {"0": str(self.guild)},
            "context": 0, "attachment_size_limit": 26214400, "data": data, **extra,
        })  # fmt: skip
        return token

    def slash(
        self,
        command: str,
        /,
        *,
        image: bytes | None = None,
        filename: str = "pet.jpg",
        content_type: str = "image/jpeg",
        size: int | None = None,
        **options: str,
    ) -> str:
        """Run a slash command; `image` becomes the attachment option, `size` may lie about it."""
        opts: list[dict[str, Any]] = [
            {"name": k, "type": 3, "value": v} for k, v in options.items()
        ]
        data: dict[str, Any] = {"id": str(snowflake()), "name": command, "type": 1}
        if image is not None:
            att = self.fake.add_attachment(image, filename, content_type)
            if size is not None:
                att["size"] = size
            opts.insert(0, {"name": "image", "type": 11, "value": att["id"]})
            data["resolved"] = {"attachments": {att["id"]: att}}
        data["options"] = opts
        return self._push(2, data)

    def click(self, custom_id: str) -> str:
        """Press the newest button with this custom_id in a message meant for us."""
        message = self.fake.latest_with(self.id, custom_id)
        return self._push(3, {"custom_id": custom_id, "component_type": 2}, message=message)

    def click_public(self, custom_id: str) -> str:
        """Press the newest button with this custom_id that everyone in our channel sees."""
        message = self.fake.public_with(self.channel, custom_id)
        return self._push(3, {"custom_id": custom_id, "component_type": 2}, message=message)

    def select(self, custom_id: str, value: str) -> str:
        message = self.fake.latest_with(self.id, custom_id)
        data = {"custom_id": custom_id, "component_type": 3, "values": [value]}
        return self._push(3, data, message=message)

    def press_old(self, custom_id: str, *values: str) -> str:
        """Press a component the message no longer shows (a double press, an old client)."""
        message = self.fake.messages[self.fake.to(self.id)[-1].message_id]
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 3 if values else 2}
        if values:
            data["values"] = list(values)
        return self._push(3, data, message=message)

    def submit(self, custom_id: str, host: str, **fields: str) -> str:
        """Submit a modal opened from the message that holds component `host`."""
        message = self.fake.latest_with(self.id, host)
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]}
                for k, v in fields.items()]  # fmt: skip
        return self._push(5, {"custom_id": custom_id, "components": rows}, message=message)

    async def sees(self, contains: str, *, count: int = 1, within: float = 30.0) -> list[Said]:
        """Wait until the bot has shown us (sent or edited) `count` messages containing this."""
        deadline = time.monotonic() + within
        while True:
            found = [s for s in self.fake.to(self.id) if contains in s.content]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                said = [s.content for s in self.fake.to(self.id)]
                raise AssertionError(f"bot never said {contains!r}; said {said}")
            await asyncio.sleep(0.02)

    async def modal(self, token: str, *, within: float = 10.0) -> dict[str, Any]:
        """Wait for the modal the bot opened in answer to interaction `token`."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            for method, path, body in self.fake.calls:
                if method == "POST" and f"/{token}/callback" in path and body["type"] == 9:
                    return body["data"]  # type: ignore[no-any-return]
            await asyncio.sleep(0.02)
        raise AssertionError("the bot opened no modal")

    async def to_theme(self, photo: bytes, *, name: str, style: str, theme: str) -> str:
        """/pixelpet with a photo and a name, then a style and a world (the preview starts);
        returns the order id."""
        self.slash("pixelpet", image=photo, name=name)
        await self.sees("Pick a style")
        oid = self.order_id()
        self.select(f"pp:style:{oid}", style)
        await self.sees("Where should")
        self.click(f"pp:theme:{oid}:{theme}")  # the name came with the command: no modal
        return oid

    async def to_preview(self, photo: bytes, *, name: str, style: str, theme: str) -> str:
        """`to_theme`, then until the preview GIF is shown; returns the order id."""
        oid = await self.to_theme(photo, name=name, style=style, theme=theme)
        await self.sees("Happy with it?")
        return oid

    def order_id(self) -> str:
        """The order id carried by the newest style menu sent to us."""
        for said in reversed(self.fake.to(self.id)):
            for row in said.components:
                for item in row["components"]:
                    if str(item.get("custom_id", "")).startswith("pp:style:"):
                        return str(item["custom_id"]).split(":")[2]
        raise AssertionError("no style menu yet")
