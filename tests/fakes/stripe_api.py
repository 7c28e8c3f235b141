"""A small Stripe API on 127.0.0.1 over real HTTP, for the real `stripe` library to talk to.

    with FakeStripe() as fake:      # fake.url -> PETPIXEL_STRIPE_API_BASE
        ...create a session through StripePayments...
        fake.pay(session_id)        # what the buyer does on Stripe's page
        body = fake.event("checkout.session.completed", session_id)
        headers = sign(body, secret)  # exactly as Stripe signs webhooks

Serves POST/GET /v1/checkout/sessions[/{id}] (list: created[gte|lt], status, limit,
starting_after; newest first, as Stripe does), POST /v1/checkout/sessions/{id}/expire (open
sessions only) and POST /v1/refunds (a PaymentIntent refunded once; again: 400
`charge_already_refunded`). Requests are recorded with their Idempotency-Key; a repeated key
replays the first response, as Stripe does.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.conftest import free_port


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None


@dataclass
class FakeStripe:
    api_key: str = "sk_test_fake"
    prices: dict[str, tuple[int, str]] = field(default_factory=dict)  # Price id -> amount, cur
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    refunds: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    clock: int = field(default_factory=lambda: int(time.time()))
    page_size: int = 100  # a smaller cap than the asked limit forces clients to paginate
    outage: bool = False  # True: every request answers 500, as Stripe does when it is down

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self._replies: dict[str, tuple[int, dict[str, Any]]] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self) -> FakeStripe:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- what the buyer and Stripe do -------------------------------------------------------
    def pay(
        self,
        session_id: str,
        *,
        status: str = "paid",
        amount: int | None = None,
        currency: str | None = None,
    ) -> None:
        """Complete the checkout: `status` "unpaid" is an async method still settling; `amount`
        and `currency` override what was charged (a tampered or mis-configured price)."""
        with self.lock:
            s = self.sessions[session_id]
            s.update(status="complete", payment_status=status, url=None)
            s["payment_intent"] = s["payment_intent"] or f"pi_{secrets.token_hex(8)}"
            if amount is not None:
                s["amount_total"] = amount
            if currency is not None:
                s["currency"] = currency

    def settle(self, session_id: str, *, paid: bool) -> None:
        """An async payment (bank debit) finally succeeds or fails."""
        with self.lock:
            self.sessions[session_id]["payment_status"] = "paid" if paid else "unpaid"

    def expire(self, session_id: str) -> None:
        with self.lock:
            self.sessions[session_id].update(status="expired", url=None)

    def event(self, kind: str, session_id: str, *, event_id: str | None = None) -> bytes:
        """The raw JSON body of a webhook event carrying the session as it is now."""
        return json.dumps(
            {
                "id": event_id or f"evt_{secrets.token_hex(8)}",
                "object": "event",
                "type": kind,
                "api_version": "2025-01-27.acacia",
                "created": int(time.time()),
                "livemode": False,
                "data": {"object": self.sessions[session_id]},
            }
        ).encode()

    def created(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    # --- the API --------------------------------------------------------------------------
    def handle(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "POST" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        if (
            method == "POST"
            and path.startswith("/v1/checkout/sessions/")
            and path.endswith("/expire")
        ):
            return self._expire_session(path.split("/")[-2])
        if method == "GET" and path == "/v1/checkout/sessions":
            return self._list_sessions(params)
        if method == "GET" and path.startswith("/v1/checkout/sessions/"):
            found = self.sessions.get(path.rsplit("/", 1)[1])
            return (
                (200, found)
                if found
                else _error(404, "No such checkout.session", "resource_missing")
            )
        if method == "POST" and path == "/v1/refunds":
            return self._refund(params)
        return _error(404, f"Unrecognized request URL ({method} {path})", "resource_missing")

    def _create_session(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        amount, currency = self._price(p["line_items"]["0"])
        self.clock += 1  # distinct, increasing `created` values keep list order well defined
        sid = f"cs_test_{secrets.token_hex(12)}"
        self.sessions[sid] = {
            "id": sid,
            "object": "checkout.session",
            "mode": p.get("mode", "payment"),
            "url": f"{self.url}/pay/{sid}",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": amount,
            "currency": currency,
            "created": self.clock,
            "client_reference_id": p.get("client_reference_id"),
            "metadata": p.get("metadata", {}),
            "payment_intent": None,
            "success_url": p["success_url"],
            "cancel_url": p["cancel_url"],
        }
        return 200, self.sessions[sid]

    def _expire_session(self, sid: str) -> tuple[int, dict[str, Any]]:
        found = self.sessions.get(sid)
        if found is None:
            return _error(404, "No such checkout.session", "resource_missing")
        if found["status"] != "open":
            message = 'Only Checkout Sessions with a status in ["open"] can be expired.'
            return _error(400, message, None)
        found.update(status="expired", url=None)
        return 200, found

    def _price(self, item: dict[str, Any]) -> tuple[int, str]:
        qty = int(item.get("quantity", 1))
        if "price" in item:
            amount, currency = self.prices[item["price"]]
        else:
            amount, currency = (
                int(item["price_data"]["unit_amount"]),
                item["price_data"]["currency"],
            )
        return amount * qty, currency

    def _list_sessions(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        created = p.get("created", {})
        rows = sorted(self.sessions.values(), key=lambda s: -s["created"])
        rows = [s for s in rows if _in_window(s["created"], created)]
        if p.get("status"):
            rows = [s for s in rows if s["status"] == p["status"]]
        if p.get("starting_after"):
            ids = [s["id"] for s in rows]
            rows = rows[ids.index(p["starting_after"]) + 1 :]
        limit = min(int(p.get("limit", 10)), self.page_size)
        return 200, {
            "object": "list",
            "url": "/v1/checkout/sessions",
            "data": rows[:limit],
            "has_more": len(rows) > limit,
        }

    def _refund(self, p: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        paid = [s for s in self.sessions.values() if s["payment_intent"] == p.get("payment_intent")]
        if not paid:
            return _error(404, "No such payment_intent", "resource_missing")
        if any(r["payment_intent"] == p["payment_intent"] for r in self.refunds):
            message = f"Charge for {p['payment_intent']} has already been refunded."
            return _error(400, message, "charge_already_refunded")
        refund = {
            "id": f"re_{secrets.token_hex(8)}",
            "object": "refund",
            "status": "succeeded",
            "payment_intent": p["payment_intent"],
            "amount": paid[0]["amount_total"],
            "currency": paid[0]["currency"],
            "metadata": p.get("metadata", {}),
        }
        self.refunds.append(refund)
        return 200, refund

    def serve(self, method: str, path: str, query: str, body: str, key: str | None) -> Any:
        params = _nest(parse_qsl(query or body, keep_blank_values=True))
        with self.lock:
            self.requests.append(Recorded(method, path, params, key))
            if self.outage:
                return 500, {"error": {"type": "api_error", "message": "Stripe is down (fake)"}}
            if key and key in self._replies:
                return self._replies[key]  # Stripe replays the first answer for a repeated key
            reply = self.handle(method, path, params)
            if key:
                self._replies[key] = reply
            return reply


def _in_window(created: int, window: dict[str, Any]) -> bool:
    checks = {
        "gte": created.__ge__,
        "gt": created.__gt__,
        "lte": created.__le__,
        "lt": created.__lt__,
    }
    return all(checks[op](int(v)) for op, v in window.items())


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (a[b][0][c]=v) back into nested dicts (list indexes stay keys)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


def _error(status: int, message: str, code: str | None) -> tuple[int, dict[str, Any]]:
    error = {"type": "invalid_request_error", "message": message}
    return status, {"error": {**error, "code": code} if code else error}


def _handler(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            url = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            if self.headers.get("Authorization") != f"Bearer {fake.api_key}":
                status, reply = _error(401, "Invalid API Key provided", "invalid_api_key")
            else:
                key = self.headers.get("Idempotency-Key")
                status, reply = fake.serve(self.command, url.path, url.query, body, key)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:  # keep test output quiet
            pass

    return Handler


def sign(payload: bytes, secret: str, *, timestamp: int | None = None) -> dict[str, str]:
    """The Stripe-Signature header Stripe sends with a webhook: t=<ts>,v1=<HMAC-SHA256 hex>."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={ts},v1={mac}", "Content-Type": "application/json"}
