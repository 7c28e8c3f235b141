from tests.orders.fixtures import order_settings

__all__ = ["order_settings"]
