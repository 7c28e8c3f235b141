"""Claim leases: which run holds an order's preview or build, and until when.

A run claims its order in the same compare-and-set UPDATE that checks the status: it writes a
random owner and `lease_until` = now + job_lease_s, and a heartbeat thread renews that every
job_heartbeat_s while the job runs. So:

- a live lease means the job is running somewhere: another delivery of the same job (a Redis
  redelivery, a duplicate enqueue, a sweep) finds it and does nothing, and a slow but alive build
  never runs twice;
- a lease that ran out means its worker died (SIGKILL, out of memory, a lost machine): the sweeper
  queues the job again at its next run, within job_lease_s + sweeper_interval_s of the death,
  instead of waiting for stuck_after_s or the broker's visibility timeout;
- a run's owner names its machine and process, so when a prefork pool process dies mid-job and its
  worker hands the message out again at once (task_reject_on_worker_lost), the next run on that
  machine sees the holder is gone and takes the job over without waiting for the lease.

A lease names its job (`lease_job`: the build, or the preview of given choices). A preview asked for
with new choices takes the lease over at once; the old run's heartbeat then finds it gone and the
old run stops at its next checkpoint (LeaseLost). Clocks of workers and sweeper must agree to well
under job_lease_s (NTP does).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import secrets
import socket
import threading
from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import ColumnElement, case, or_, select, update
from sqlalchemy.orm import Session

from core.db import Database
from core.orders.lifecycle import OrderStatus
from core.orders.tables import Order, utcnow

log = logging.getLogger(__name__)

BUILD_JOB = "build"


class LeaseLost(Exception):
    """This run's lease ran out or was taken over: another run owns the job now."""


def preview_job(choices: Any) -> str:
    """The job name of a preview of these choices (a pydantic model): new choices, new job."""
    data = json.dumps(choices.model_dump(mode="json"), sort_keys=True).encode()
    return "preview:" + hashlib.sha256(data).hexdigest()[:24]


def _machine() -> str:
    """8 hex digits naming this machine (container): its host name and boot."""
    boot = Path("/proc/sys/kernel/random/boot_id")
    seed = f"{socket.gethostname()}/{boot.read_text().strip() if boot.exists() else ''}"
    return hashlib.sha256(seed.encode()).hexdigest()[:8]


MACHINE = _machine()


def new_owner() -> str:
    """A run's name: machine, process id and 64 random bits (32 hex digits)."""
    return f"{MACHINE}{os.getpid():08x}{secrets.token_hex(8)}"


def died_here(owner: str) -> bool:
    """True when `owner` ran in a process of this machine that has ended: a pool process killed
    mid-job (out of memory, say), whose worker hands the job out again at once."""
    if len(owner) != 32 or not owner.startswith(MACHINE) or not Path("/proc/self/stat").exists():
        return False
    pid = int(owner[8:16], 16)
    if pid == os.getpid():
        return False
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    except (OSError, IndexError):
        return False
    return state in {"Z", "X"}  # a zombie runs nothing either


def free_for(job: str, now: datetime) -> ColumnElement[bool]:
    """No live lease on the order for `job`: none, run out, or held by an older job."""
    return or_(Order.lease_until.is_(None), Order.lease_until < now, Order.lease_job != job)


def claim(
    session: Session,
    order_id: str,
    *,
    expected: Collection[OrderStatus],
    target: OrderStatus,
    job: str,
    owner: str,
    lease_s: float,
) -> bool:
    """Move the order from `expected` to `target` and take its lease for `job`, counting the
    attempt; False when the status is elsewhere or a live run of `job` holds the order."""
    now = utcnow()
    values = {
        "status": target.value, "attempts": Order.attempts + 1, "updated_at": now,
        "lease_job": job, "lease_owner": owner, "lease_until": now + timedelta(seconds=lease_s),
        # re-queues count per job: a preview of new choices starts from none
        "requeues": case((Order.lease_job == job, Order.requeues), else_=0),
    }  # fmt: skip
    statuses = [s.value for s in expected]
    changed = _take(session, order_id, statuses, free_for(job, now), values)
    if not changed:  # a live lease: does its holder still run?
        held = select(Order.lease_owner).where(Order.id == order_id, Order.lease_job == job)
        holder = session.scalar(held)
        if holder is not None and died_here(holder):
            log.warning("order %s: taking the job over from a dead process", order_id)
            changed = _take(session, order_id, statuses, Order.lease_owner == holder, values)
    if changed:
        session.expire_all()
    return changed


def _take(
    session: Session,
    order_id: str,
    statuses: list[str],
    free: ColumnElement[bool],
    values: dict[str, Any],
) -> bool:
    stmt = (
        update(Order)
        .where(Order.id == order_id, Order.status.in_(statuses), free)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(stmt).rowcount == 1)  # type: ignore[attr-defined]


def cleared() -> dict[str, Any]:
    """Column values that end a lease, for the UPDATE that finishes or fails the job."""
    return {"lease_owner": None, "lease_until": None, "requeues": 0}


class Lease:
    """The claim of one run, renewed by a heartbeat thread while the run is inside `with`."""

    def __init__(
        self, db: Database, order_id: str, owner: str, *, lease_s: float, heartbeat_s: float
    ) -> None:
        self.db = db
        self.order_id = order_id
        self.owner = owner
        self.lease_s = lease_s
        self.heartbeat_s = min(heartbeat_s, lease_s / 2)  # renewed well before it runs out
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Lease:
        self._thread = threading.Thread(target=self._beat, daemon=True,
                                        name=f"lease-{self.order_id[:8]}")  # fmt: skip
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.heartbeat_s + 5)
        self.release()

    def check(self) -> None:
        """Raise LeaseLost when the heartbeat found the lease gone (a checkpoint of the run)."""
        if self.lost.is_set():
            raise LeaseLost(f"order {self.order_id}: another run holds the job now")

    def confirm(self) -> None:
        """Renew now; raise LeaseLost unless this run still holds the job (before publishing)."""
        if not self.renew():
            self.check()

    def renew(self) -> bool:
        """Push `lease_until` out again; False (and `lost` set) when the lease is not ours."""
        now = utcnow()
        stmt = (
            update(Order)
            .where(Order.id == self.order_id, Order.lease_owner == self.owner)
            .values(lease_until=now + timedelta(seconds=self.lease_s), updated_at=now)
            .execution_options(synchronize_session=False)
        )
        with self.db.session() as session:
            held = session.execute(stmt).rowcount == 1  # type: ignore[attr-defined]
        if not held:
            self.lost.set()
        return bool(held)

    def release(self) -> None:
        """Give the lease up (the run ended, or will retry); best effort: it runs out anyway."""
        stmt = (
            update(Order)
            .where(Order.id == self.order_id, Order.lease_owner == self.owner)
            .values(lease_owner=None, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        try:
            with self.db.session() as session:
                session.execute(stmt)
        except Exception:  # the database is down: the lease runs out on its own
            log.warning("could not release the lease on order %s", self.order_id, exc_info=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.heartbeat_s):
            try:
                if not self.renew():
                    log.warning("order %s: lease lost, this run will stop", self.order_id)
                    return
            except Exception:  # a blip: keep the run going, the next beat tries again
                log.warning("could not renew the lease on order %s", self.order_id, exc_info=True)
