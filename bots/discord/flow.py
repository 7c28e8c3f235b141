"""Per-order conversation state and progress watchers, kept in our database (core.botstate).

Every component carries its order id in its custom_id, and everything else the next step needs
lives here, so a click after a restart finds the same state. Rows:
`("discord:order:<order_id>", "flow") -> Flow` and `("discord:watch", <order_id>) -> Watch`
(what happened to each Premium purchase is core's: core.payments.discord_premium).
The methods are blocking: call them through `BotDeps.call`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from core.botstate import BotStateStore

# Named conversation steps (Flow.step).
# FIX: the preview failed on a photo problem and its way forward (crop, use Other) is offered.
STYLE, THEME, NAME, PREVIEWING, PREVIEW, RESTYLE, CROP, PACKAGE, PAYING, BUILDING, DONE, FIX = (
    "style",
    "theme",
    "name",
    "previewing",
    "preview",
    "restyle",
    "crop",
    "package",
    "paying",
    "building",
    "done",
    "fix",
)
WATCH_SCOPE = "discord:watch"


@dataclass
class Flow:
    """Where one order's conversation stands, and the choices made so far."""

    order_id: str
    owner: int  # the Discord user who started it; nobody else may press its buttons
    step: str = STYLE
    pet_name: str | None = None
    style: str | None = None
    theme: str | None = None
    crop: list[float] | None = None  # left, top, right, bottom as fractions; None = whole photo
    species: str = "auto"  # auto|cat|dog|other (rows saved before it existed read as auto)


@dataclass
class Watch:
    """A running progress watcher: where its message is and how to reach the user."""

    order_id: str
    kind: str  # "preview" or "build"
    owner: int
    app_id: int
    token: str | None  # the interaction token (15 minutes of life); None once moved to a DM
    born: float  # when that token was issued (epoch seconds)
    message_id: int | None  # the progress message
    channel_id: int | None = None  # the DM channel, once the token was too old


class FlowStore:
    """Load, save and drop flows and watches; each call is one transaction."""

    def __init__(self, store: BotStateStore) -> None:
        self.store = store

    def get(self, order_id: str) -> Flow | None:
        value = self.store.load(_scope(order_id)).get("flow")
        return Flow(**value) if isinstance(value, dict) else None

    def put(self, flow: Flow) -> None:
        self.store.save(_scope(flow.order_id), "flow", asdict(flow))

    def drop(self, order_id: str) -> None:
        self.store.delete(_scope(order_id), "flow")
        self.store.delete(WATCH_SCOPE, order_id)

    def watches(self) -> list[Watch]:
        return [Watch(**value) for value in self.store.load(WATCH_SCOPE).values()]

    def put_watch(self, watch: Watch) -> None:
        self.store.save(WATCH_SCOPE, watch.order_id, asdict(watch))

    def drop_watch(self, order_id: str) -> None:
        self.store.delete(WATCH_SCOPE, order_id)


def _scope(order_id: str) -> str:
    return f"discord:order:{order_id}"
