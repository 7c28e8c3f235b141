"""The species choice: stored with the order, redrawn on change, used by the build, frozen once
paid; the photo problems the preview reports and the next step each offers."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from core.config import Settings
from core.db import Database, alembic_config, current_revision, make_engine, migrate
from core.errors import InvalidRequest
from core.orders.builds import Builds
from core.orders.choices import guessed_line, next_steps, species_button
from core.orders.lifecycle import InvalidTransition, OrderStatus
from core.orders.service import OrderService
from core.orders.tables import Order
from core.storage import LocalStorage
from tests.orders.fixtures import RecordingJobs
from tests.orders.species_steps import SpeciesSteps, photo_problem
from tests.orders.test_migrations import head


@pytest.fixture
def species_steps() -> SpeciesSteps:
    return SpeciesSteps(guess="cat")


@pytest.fixture
def builds(
    order_settings: Settings, db: Database, storage: LocalStorage, species_steps: SpeciesSteps
) -> Builds:
    return Builds(settings=order_settings, db=db, storage=storage, steps=species_steps.steps())


def test_the_choice_is_stored_validated_and_survives(
    svc: OrderService, db: Database, cat_jpeg: bytes
) -> None:
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg,
                             choices={"species": "dog"})  # fmt: skip
    assert order.choices.species == "dog"
    again = OrderService(settings=svc.settings, db=Database(str(db.engine.url)),
                         storage=svc.storage, payments=svc.payments, jobs=svc.jobs)  # fmt: skip
    assert again.get_order(order_id=order.id).choices.species == "dog"
    assert again.status(order_id=order.id).species_choice == "dog"
    assert svc.create_order(user_id=order.user_id, photo=cat_jpeg).choices.species == "auto"
    with pytest.raises(InvalidRequest) as err:
        svc.create_order(user_id=order.user_id, photo=cat_jpeg, choices={"species": "horse"})
    assert err.value.code == "bad_choice"


def test_preview_stores_the_guess_and_a_change_redraws_with_the_new_species(
    svc: OrderService, builds: Builds, species_steps: SpeciesSteps, jobs: RecordingJobs,
    cat_jpeg: bytes,
) -> None:  # fmt: skip
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg,
                             choices={"style": "8bit", "pet_name": "Tom"})  # fmt: skip
    svc.request_preview(order_id=order.id)
    assert builds.run_preview(order.id) == OrderStatus.PREVIEW_READY
    st = svc.status(order_id=order.id)
    assert (st.species_choice, st.species, st.species_guessed) == ("auto", "cat", True)
    assert guessed_line(st.species, st.species_guessed).startswith("Looks like a cat")

    redo = svc.choose_species(order_id=order.id, species="dog")
    assert (redo.status, redo.species, redo.species_guessed) == (OrderStatus.DRAFT, None, False)
    assert jobs.sent[-1] == ("preview", order.id)
    assert builds.run_preview(order.id) == OrderStatus.PREVIEW_READY
    assert species_steps.asked == ["auto", "dog"]
    view = svc.get_order(order_id=order.id)
    assert (view.choices.species, view.species, view.species_guessed) == ("dog", "dog", False)
    assert (view.choices.style, view.choices.pet_name) == ("8bit", "Tom")  # the rest is kept
    assert guessed_line(view.species, view.species_guessed) == ""
    assert species_button("dog", view.species) == "🐶 Dog ✓"


def test_the_build_draws_what_the_preview_guessed(
    svc: OrderService, builds: Builds, species_steps: SpeciesSteps, cat_jpeg: bytes
) -> None:
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    svc.request_preview(order_id=order.id)
    builds.run_preview(order.id)
    svc.choose_package(order_id=order.id, package="deluxe")  # deluxe draws an HD sprite too
    built = builds.run_build(order.id)
    assert built == OrderStatus.READY, svc.status(order_id=order.id).error_message
    assert species_steps.asked == ["auto", "cat"]  # the HD sprite: the guess, not "auto" again
    code = svc.status(order_id=order.id).links.game_code
    assert code
    game = svc.game_by_code(code=code)
    assert game is not None
    assert game.config["species"] == "cat"


@pytest.mark.parametrize("status", [OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID,
                                    OrderStatus.READY])  # fmt: skip
def test_the_species_is_frozen_once_payment_starts(
    svc: OrderService, db: Database, cat_jpeg: bytes, status: OrderStatus
) -> None:
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    with db.session() as session:
        session.get(Order, order.id).status = status.value  # type: ignore[union-attr]
    with pytest.raises(InvalidTransition) as err:
        svc.choose_species(order_id=order.id, species="cat")
    assert "can't change" in err.value.message
    assert svc.get_order(order_id=order.id).choices.species == "auto"


def test_a_paid_order_that_failed_is_not_redrawn(
    svc: OrderService, db: Database, cat_jpeg: bytes
) -> None:
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    with db.session() as session:
        row = session.get(Order, order.id)
        assert row is not None
        row.status, row.paid_at, row.refund_due = OrderStatus.FAILED.value, row.created_at, True
    with pytest.raises(InvalidTransition, match="already paid"):
        svc.choose_species(order_id=order.id, species="other")


@pytest.mark.parametrize(
    ("code", "steps"),
    [("no_pet_found", ("use_other", "photo")), ("several_pets", ("crop", "photo")),
     ("head_cut_off", ("crop", "photo")), ("pet_too_small", ("photo",)),
     ("cutout_unsure", ("photo",))],
)  # fmt: skip
def test_photo_problems_fail_the_preview_with_their_code_and_next_step(
    order_settings: Settings, svc: OrderService, db: Database, storage: LocalStorage,
    cat_jpeg: bytes, code: str, steps: tuple[str, ...],
) -> None:  # fmt: skip
    gate = SpeciesSteps(errors=[photo_problem(code)])
    builds = Builds(settings=order_settings, db=db, storage=storage, steps=gate.steps())
    order = svc.create_order(user_id=svc.create_user().id, photo=cat_jpeg)
    svc.request_preview(order_id=order.id)
    assert builds.run_preview(order.id) == OrderStatus.FAILED
    st = svc.status(order_id=order.id)
    assert (st.error_code, st.error_message) == (code, photo_problem(code).message)
    assert next_steps(st.error_code) == steps
    # "It's a pet, use Other" (or any change) starts the failed preview again.
    assert svc.choose_species(order_id=order.id, species="other").status == OrderStatus.DRAFT
    assert builds.run_preview(order.id) == OrderStatus.PREVIEW_READY
    assert gate.asked == ["auto", "other"]
    assert svc.status(order_id=order.id).species == "other"


def test_other_codes_ask_for_another_photo() -> None:
    assert next_steps("no_subject") == ("photo",)
    assert next_steps(None) == ("photo",)


def test_orders_made_before_the_species_migration_read_as_auto(db_url: str) -> None:
    """Down to 0001, add an order the old way, up to head again (SQLite and PostgreSQL)."""
    command.downgrade(alembic_config(db_url), "0001")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, display_name, created_at) "
                              "VALUES ('u1', 'Old', CURRENT_TIMESTAMP)"))  # fmt: skip
            conn.execute(text(
                "INSERT INTO orders (id, token, user_id, status, amount, currency, "
                "progress_percent, progress_label, refund_due, attempts, style, theme, pet_name, "
                "difficulty, seed, created_at, updated_at) VALUES ('o1', 't1', 'u1', 'draft', 0, "
                "'usd', 0, '', false, 0, '16bit', 'park', 'Old', 'easy', 0, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP)"
            ))  # fmt: skip
    finally:
        engine.dispose()
    migrate(db_url)
    assert current_revision(db_url) == head()
    db = Database(db_url)
    try:
        with db.session() as session:
            row = session.get(Order, "o1")
            assert row is not None
            assert (row.species, row.species_drawn, row.species_guessed) == ("auto", None, False)
    finally:
        db.dispose()
