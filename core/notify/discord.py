"""Payment notices for Discord buyers, sent from any process (web, worker) over plain HTTP.

A Stripe payment lands in the web process (webhook) and a build ends in a worker; those have no
gateway connection, so `DiscordNotifier` opens the buyer's DM channel and posts one message over
REST with httpx (`PETPIXEL_DISCORD_API_URL`, else Discord's API). As on Telegram, the game-ready
message belongs to the bot's watcher (bots/discord/watch.py), so this notifier skips it.
"""

from __future__ import annotations

from typing import Any

from core.notify.chat import ChatNotifier, IdentityLookup
from core.notify.notices import Notice

DEFAULT_API_URL = "https://discord.com/api/v10"
PROVIDER = "discord"
BUTTON_LABELS = {"game_ready": "Play", "payment_review": "Order status"}
DEFAULT_BUTTON = "Open"


class DiscordNotifier(ChatNotifier):
    """Sends a `Notice` as one DM to the buyer; never raises. Safe from several threads."""

    provider = PROVIDER

    def __init__(
        self, *, token: str, orders: IdentityLookup, api_url: str | None = None,
        timeout_s: float = 5.0,
    ) -> None:  # fmt: skip
        super().__init__(orders=orders, timeout_s=timeout_s)
        self.api = (api_url or DEFAULT_API_URL).rstrip("/")
        self.headers = {"Authorization": f"Bot {token}", "User-Agent": "PetPixel (notify, 1)"}

    def deliver(self, external_id: str, notice: Notice) -> None:
        channel = self._post("/users/@me/channels", {"recipient_id": external_id})["id"]
        self._post(f"/channels/{channel}/messages", message_for(notice))

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        reply = self.http().post(f"{self.api}{path}", json=body, headers=self.headers)
        if reply.status_code >= 300:
            raise RuntimeError(f"Discord answered {reply.status_code}: {reply.text[:200]}")
        data: dict[str, Any] = reply.json()
        return data


def message_for(notice: Notice) -> dict[str, Any]:
    """The message body: the text (no mentions), and a link button when there is a URL."""
    body: dict[str, Any] = {"content": notice.text, "allowed_mentions": {"parse": []}}
    if notice.url and notice.url.startswith(("https://", "http://")):
        label = BUTTON_LABELS.get(notice.kind, DEFAULT_BUTTON)
        button = {"type": 2, "style": 5, "label": label, "url": notice.url}
        body["components"] = [{"type": 1, "components": [button]}]
    return body
