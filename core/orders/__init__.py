"""Users, orders, games and events: the models, the lifecycle, and OrderService (see service.py)."""

from core.orders.lifecycle import InvalidTransition, OrderStatus
from core.orders.schemas import (
    CheckoutInfo,
    GameView,
    Links,
    OrderChoices,
    OrderStatusView,
    OrderView,
    PaymentResult,
    UserView,
)
from core.orders.store import NotFound

__all__ = [
    "CheckoutInfo",
    "GameView",
    "InvalidTransition",
    "Links",
    "NotFound",
    "OrderChoices",
    "OrderStatus",
    "OrderStatusView",
    "OrderView",
    "PaymentResult",
    "UserView",
]
