"""PTB persistence backed by our database (core.botstate): state survives a bot restart."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from core.botstate import BotStateStore

USERS = "telegram:user"
CONV = "telegram:conv:"


class DatabasePersistence(BasePersistence[dict[str, Any], dict[str, Any], dict[str, Any]]):
    """user_data and conversation states as JSON rows; chat, bot and callback data are not kept."""

    def __init__(self, store: BotStateStore, *, update_interval: float = 1.0) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self.store = store

    async def get_user_data(self) -> dict[int, dict[str, Any]]:
        rows = await asyncio.to_thread(self.store.load, USERS)
        return {int(k): dict(v) for k, v in rows.items()}

    async def update_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        await asyncio.to_thread(self.store.save, USERS, str(user_id), data)

    async def drop_user_data(self, user_id: int) -> None:
        await asyncio.to_thread(self.store.delete, USERS, str(user_id))

    async def get_conversations(self, name: str) -> ConversationDict:
        rows = await asyncio.to_thread(self.store.load, CONV + name)
        return {tuple(json.loads(k)): v for k, v in rows.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        k = json.dumps(list(key))
        if new_state is None:
            await asyncio.to_thread(self.store.delete, CONV + name, k)
        else:
            await asyncio.to_thread(self.store.save, CONV + name, k, new_state)

    # Chat, bot and callback data are not stored (store_data says so); PTB still needs the methods.
    async def get_chat_data(self) -> dict[int, dict[str, Any]]:
        return {}

    async def get_bot_data(self) -> dict[str, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[str, Any]) -> None:  # noqa: ARG002
        return None

    async def update_bot_data(self, data: dict[str, Any]) -> None:  # noqa: ARG002
        return None

    async def update_callback_data(self, data: Any) -> None:  # noqa: ARG002
        return None

    async def drop_chat_data(self, chat_id: int) -> None:  # noqa: ARG002
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[str, Any]) -> None:  # noqa: ARG002
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[str, Any]) -> None:  # noqa: ARG002
        return None

    async def refresh_bot_data(self, bot_data: dict[str, Any]) -> None:  # noqa: ARG002
        return None

    async def flush(self) -> None:
        return None
