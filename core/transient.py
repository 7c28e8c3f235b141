"""Which failures are connection trouble that passes (database, storage, broker unreachable or
cut off): one rule for the workers (retry with backoff) and the web (503 "try again", not 500)."""

from __future__ import annotations

from botocore.exceptions import ConnectionError as BotoConnectionError
from botocore.exceptions import HTTPClientError
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy.exc import DisconnectionError, InterfaceError
from sqlalchemy.exc import OperationalError as DBOperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

CONNECTION_TROUBLE: tuple[type[Exception], ...] = (
    ConnectionError,
    TimeoutError,
    DBOperationalError,
    DisconnectionError,
    InterfaceError,
    PoolTimeout,
    BotoConnectionError,
    HTTPClientError,
    BrokerError,
)
