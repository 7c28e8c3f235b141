"""Job bodies: the preview (photo -> sprite files) and the build (paid order -> published game).

Both are plain methods over ids, called by the Celery tasks in workers/tasks/builds.py (or a test,
or a CLI). They are idempotent: a second run of a finished job changes nothing, and a run cut short
(worker killed, connection lost) can simply run again. Progress goes to the order row
(ProgressWriter), so web and bots read it from the database. User errors (a photo with no pet...)
fail the order with the reason kept; anything else propagates so the task can retry, and `fail()`
records the final give-up."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.config import Settings
from core.db import Database
from core.errors import PetPixelError
from core.hero.traits import SpeciesChoice
from core.orders.leases import BUILD_JOB, Lease, LeaseLost, claim, cleared, new_owner, preview_job
from core.orders.lifecycle import FINAL_STATUSES, InvalidTransition, OrderStatus
from core.orders.packages import Package, get_package
from core.orders.publish import (
    finish_game,
    png_bytes,
    reserve_game,
    save_preview_keys,
    species_of,
    sprite_info,
    store_preview,
    upload_bundle,
)
from core.orders.schemas import DIFFICULTY_LEVELS, OrderChoices
from core.orders.store import ProgressWriter, get_order_row, get_upload_row, move
from core.orders.tables import Event, Order
from core.orders.views import choices_of
from core.packaging.hero import player_box
from core.progress import ProgressFn, scaled
from core.storage import Storage

log = logging.getLogger(__name__)

INTERNAL_ERROR = (
    "Something went wrong on our side while making this. We have kept the details; "
    "please try again in a few minutes."
)


@dataclass(frozen=True)
class Steps:
    """The pipeline functions a build calls; by default the real ones, imported on first use."""

    make_sprite: Callable[..., Any]
    generate_levels: Callable[..., list[dict[str, Any]]]
    build_bundle: Callable[..., dict[str, bytes]]


def default_steps() -> Steps:
    from core.levels import generate_levels
    from core.packaging import build_bundle
    from core.pipeline import make_sprite

    return Steps(make_sprite, generate_levels, build_bundle)


@dataclass(frozen=True)
class _Job:
    """What a build reads from the order at its start (so no row outlives its session)."""

    order_id: str
    user_id: str
    choices: OrderChoices
    package: str | None
    photo_key: str
    sheet_key: str | None
    atlas_key: str | None
    gif_key: str | None
    species: SpeciesChoice  # what the build draws: the choice, or the preview's guess for auto
    asset_key: str  # the folder of the order's public preview art


class Builds:
    """The job bodies over one database and storage; build once per worker process."""

    def __init__(
        self, *, settings: Settings, db: Database, storage: Storage, steps: Steps | None = None
    ) -> None:
        self.settings = settings
        self.db = db
        self.storage = storage
        self._steps = steps

    @property
    def steps(self) -> Steps:
        if self._steps is None:
            self._steps = default_steps()  # heavy imports once per process, on first job
        return self._steps

    def run_preview(self, order_id: str, progress: ProgressFn | None = None) -> OrderStatus:
        """Make the sprite preview of a draft order -> preview_ready (or failed with the reason)."""
        started = self._start(order_id, OrderStatus.DRAFT)
        if started is None:
            return self.current_status(order_id)
        job, lease = started
        with lease:
            try:
                return self._preview(job, lease, progress)
            except LeaseLost:
                log.warning("preview of order %s handed over to a newer run", order_id)
                return self.current_status(order_id)

    def _preview(self, job: _Job, lease: Lease, progress: ProgressFn | None) -> OrderStatus:
        order_id = job.order_id
        report = self._reporter(order_id, progress, lease)
        photo = self.storage.get(job.photo_key)
        try:
            result = self._sprite(photo, job.choices, None, scaled(report, 0, 90))
        except PetPixelError as exc:
            return self.fail(order_id, code=exc.code, message=exc.message)
        report(92, "Saving your sprite")
        lease.confirm()
        keys = store_preview(self.storage, order_id, job.asset_key, result)
        species, guessed = species_of(result)
        with self.db.session() as session:
            # re-requested with new choices meanwhile: a newer job runs
            if choices_of(get_order_row(session, order_id)) != job.choices:
                return OrderStatus.DRAFT
            if not move(session, order_id, OrderStatus.PREVIEW_READY, progress_percent=100,
                        progress_label="Preview ready", species_drawn=species,
                        species_guessed=guessed, **cleared()):  # fmt: skip
                return OrderStatus.PREVIEW_READY  # a parallel run saved it first
            save_preview_keys(session, order_id, keys, sprite_info(result))
            session.add(Event(type="order.preview_ready", user_id=job.user_id, order_id=order_id,
                              data={"style": job.choices.style, "species": species,
                                    "species_guessed": guessed}))  # fmt: skip
        return OrderStatus.PREVIEW_READY

    def run_build(self, order_id: str, progress: ProgressFn | None = None) -> OrderStatus:
        """Build and publish the game of a paid order -> ready (or failed, refund due)."""
        started = self._start(order_id, OrderStatus.BUILDING)
        if started is None:
            return self.current_status(order_id)
        job, lease = started
        with lease:
            try:
                return self._build(job, lease, progress)
            except LeaseLost:
                log.warning("build of order %s handed over to another run", order_id)
                return self.current_status(order_id)

    def _build(self, job: _Job, lease: Lease, progress: ProgressFn | None) -> OrderStatus:
        order_id = job.order_id
        report = self._reporter(order_id, progress, lease)
        report(2, "Starting your game")
        code = reserve_game(self.db, order_id, job.user_id)
        try:
            files, config, meta = self._make_game(job, report)
        except PetPixelError as exc:
            return self.fail(order_id, code=exc.code, message=exc.message)
        report(70, "Publishing your game")
        lease.confirm()
        assets = upload_bundle(self.storage, code, files)
        with self.db.session() as session:
            # One compare-and-set publishes: a run that lost its lease but still got here finds
            # the order ready and changes nothing (same code, same files).
            if not move(session, order_id, OrderStatus.READY, progress_percent=100,
                        progress_label="Your game is ready", **cleared()):  # fmt: skip
                return OrderStatus.READY
            finish_game(session, order_id, assets=assets, config=config, meta=meta,
                        ttl_days=self.settings.game_ttl_days)  # fmt: skip
            session.add(Event(type="order.ready", user_id=job.user_id, order_id=order_id,
                              data={"code": code, "package": job.package}))  # fmt: skip
        return OrderStatus.READY

    def fail(self, order_id: str, *, code: str, message: str) -> OrderStatus:
        """Fail an order with its reason kept; a paid one is marked refund-due. Idempotent."""
        with self.db.session() as session:
            order = get_order_row(session, order_id)
            if OrderStatus(order.status) in FINAL_STATUSES:
                return OrderStatus(order.status)
            refund = order.paid_at is not None
            move(session, order_id, OrderStatus.FAILED, error_code=code[:64],
                 error_message=message, refund_due=refund, **cleared())  # fmt: skip
            session.add(Event(type="order.failed", user_id=order.user_id, order_id=order_id,
                              data={"code": code, "refund_due": refund}))  # fmt: skip
        return OrderStatus.FAILED

    def current_status(self, order_id: str) -> OrderStatus:
        with self.db.session() as session:
            return OrderStatus(get_order_row(session, order_id).status)

    def _start(self, order_id: str, running: OrderStatus) -> tuple[_Job, Lease] | None:
        """Claim the order and its lease for a run (counting the attempt); None when there is
        nothing to do: finished, not at this job's stage, or a live run of the same job has it."""
        building = running == OrderStatus.BUILDING
        owner = new_owner()
        with self.db.session() as session:
            order = get_order_row(session, order_id)
            upload = get_upload_row(session, order_id)
            job = _Job(order_id, order.user_id, choices_of(order), order.package,
                       upload.original_key, upload.sheet_key, upload.atlas_key,
                       upload.preview_gif_key, build_species(order),
                       order.asset_key)  # fmt: skip
            expected = {OrderStatus.PAID, running} if building else {running}
            name = BUILD_JOB if building else preview_job(job.choices)
            if not claim(session, order_id, expected=expected, target=running, job=name,
                         owner=owner, lease_s=self.settings.job_lease_s):  # fmt: skip
                return None
        lease = Lease(self.db, order_id, owner, lease_s=self.settings.job_lease_s,
                      heartbeat_s=self.settings.job_heartbeat_s)  # fmt: skip
        return job, lease

    def _reporter(self, order_id: str, progress: ProgressFn | None, lease: Lease) -> ProgressFn:
        """Progress to the order row (and `progress`); each report is also a lease checkpoint."""
        writer = ProgressWriter(self.db, order_id, self.settings.progress_interval_s)

        def report(percent: int, label: str) -> None:
            lease.check()
            writer(percent, label)
            if progress is not None:
                progress(percent, label)

        return report

    def _sprite(
        self,
        photo: bytes,
        choices: OrderChoices,
        size: int | None,
        progress: ProgressFn,
        species: SpeciesChoice | None = None,
    ) -> Any:
        return self.steps.make_sprite(
            photo, settings=self.settings, style=choices.style,
            size=size or self.settings.preview_sprite_size, seed=choices.seed,
            user_crop=choices.user_crop, progress=progress,
            species=species or choices.species,
        )  # fmt: skip

    def _make_game(
        self, job: _Job, report: ProgressFn
    ) -> tuple[dict[str, bytes], dict[str, Any], dict[str, Any]]:
        package = get_package(self.settings, job.package or "")
        sheet, atlas, gif = self._sheet(job, scaled(report, 2, 30))
        report(30, "Designing levels")
        levels = self.steps.generate_levels(
            seed=job.choices.seed, theme=job.choices.theme, count=package.levels,
            difficulty=DIFFICULTY_LEVELS[job.choices.difficulty], player=player_box(atlas),
        )  # fmt: skip
        report(55, "Packing your game")
        files = self._bundle(job, sheet, atlas, gif, levels)
        if package.hd_sprite:
            files.update(self._hd_sprite(job, scaled(report, 56, 68)))
        return files, _config(job, package, levels), {"palette": atlas.get("palette", [])}

    def _sheet(self, job: _Job, progress: ProgressFn) -> tuple[bytes, dict[str, Any], bytes | None]:
        """The preview's sheet when it exists (same choices and seed), else a fresh sprite."""
        if job.sheet_key and job.atlas_key:
            atlas = json.loads(self.storage.get(job.atlas_key))
            gif = self.storage.get(job.gif_key) if job.gif_key else None
            return self.storage.get(job.sheet_key), atlas, gif
        photo = self.storage.get(job.photo_key)
        result = self._sprite(photo, job.choices, None, progress, job.species)
        return png_bytes(result.sheet), result.atlas, result.preview_gif

    def _bundle(
        self,
        job: _Job,
        sheet: bytes,
        atlas: dict[str, Any],
        gif: bytes | None,
        levels: list[dict[str, Any]],
    ) -> dict[str, bytes]:
        """The one call into core.packaging (kept alone so its signature lives in one place)."""
        c = job.choices
        return self.steps.build_bundle(
            sheet_png=sheet, atlas=atlas, levels=levels, pet_name=c.pet_name, style=c.style,
            theme=c.theme, seed=c.seed, palette=list(atlas.get("palette", [])), preview_gif=gif,
        )  # fmt: skip

    def _hd_sprite(self, job: _Job, progress: ProgressFn) -> dict[str, bytes]:
        photo = self.storage.get(job.photo_key)
        result = self._sprite(photo, job.choices, 128, progress, job.species)
        return {"download/sprite-hd.png": png_bytes(result.sprite)}


def build_species(order: Order) -> SpeciesChoice:
    """The species a build draws: the person's choice, else what the preview they saw drew."""
    if order.species != "auto" or order.species_drawn is None:
        return order.species  # type: ignore[return-value]
    return order.species_drawn  # type: ignore[return-value]


def _config(job: _Job, package: Package, levels: list[dict[str, Any]]) -> dict[str, Any]:
    c = job.choices
    return {
        "package": package.name, "levels": len(levels),
        "boss": any(level.get("boss") for level in levels),
        "style": c.style, "theme": c.theme, "difficulty": c.difficulty, "seed": c.seed,
        "pet_name": c.pet_name, "species": job.species,
    }  # fmt: skip


__all__ = ["Builds", "InvalidTransition", "Steps", "default_steps"]
