"""Restarts, several users, limits, stale and foreign buttons, /delete, expired tokens."""

from __future__ import annotations

import asyncio
from typing import Any

from bots.discord.flow import BUILDING, DONE, FlowStore
from bots.discord.texts import BUILD_DONE
from core.botstate import BotStateStore
from core.config import Settings
from core.orders.lifecycle import OrderStatus
from tests.bots.conftest import Stack, reached
from tests.bots.discord.fake_discord import APP_ID, FakeDiscord
from tests.bots.discord.harness import Member, running_bot
from tests.bots.telegram.harness import serving_web, web_client


async def _to_theme(who: Member, photo: bytes, style: str = "16bit", *, name: str) -> str:
    who.slash("pixelpet", image=photo, name=name)
    await who.sees("Pick a style")
    oid = who.order_id()
    who.select(f"pp:style:{oid}", style)
    await who.sees("Where should")
    return oid


def test_buttons_work_after_a_restart(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """State lives in the database: a press after a restart carries on, and a watcher that was
    running when the bot stopped is resumed and delivers the preview."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        ann = Member(fake, 401)
        async with running_bot(settings, runtime, fake):
            ann.slash("pixelpet", image=cat_jpeg, name="Mochi")
            await ann.sees("Pick a style")
            oid = ann.order_id()
        async with running_bot(settings, runtime, fake):  # a new process, same database
            ann.select(f"pp:style:{oid}", "pico8")
            await ann.sees("Where should")
            ann.click(f"pp:theme:{oid}:snow")
            await ann.sees("🎨 Drawing Mochi")
        assert runtime.orders.status(order_id=oid).status in ("draft", "preview_ready")
        async with running_bot(settings, runtime, fake) as bot:
            await ann.sees("Happy with it?")  # delivered by the resumed watcher
            ann.click(f"pp:pv:{oid}:ok")
            await ann.sees("Pick your game")
            assert bot.deps.flows.get(oid).step == "package"  # type: ignore[union-attr]
        assert "Oops" not in " ".join(s.content for s in fake.to(401))

    play(scenario)


def test_restart_mid_build_resumes_the_watcher_and_delivers_the_link(
    play: Any, gated: Stack, cat_jpeg: bytes
) -> None:
    """Stopped and started again over the same database: at the package step (its buttons still
    work after the restart), while the build runs (the resumed watcher edits the same progress
    message on), and while the build finishes (the next start delivers the link, once)."""
    rt, gates = gated.rt, gated.gates

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        ann = Member(fake, 402)
        async with running_bot(settings, rt, fake):
            oid = await ann.to_preview(cat_jpeg, name="Mochi", style="16bit", theme="park")
            ann.click(f"pp:pv:{oid}:ok")
            await ann.sees("Pick your game")
        gates.levels.clear()
        gates.bundle.clear()
        async with running_bot(settings, rt, fake):  # a new process, the same database
            ann.click(f"pp:pkg:{oid}:classic")  # a button sent before the restart
            await ann.sees("Free during early access")
            await ann.sees("30% Designing levels")
        flows = FlowStore(BotStateStore(rt.db))
        assert [(w.order_id, w.kind) for w in flows.watches()] == [(oid, "build")]
        assert flows.get(oid).step == BUILDING  # type: ignore[union-attr]
        async with running_bot(settings, rt, fake):  # stopped while the build ran
            gates.levels.set()
            await ann.sees("55% Packing your game")  # the resumed watcher edits on
        gates.bundle.set()
        await reached(rt, oid, OrderStatus.READY)  # finished while no bot ran
        async with running_bot(settings, rt, fake), serving_web(settings):
            ready = (await ann.sees("game is ready"))[0]
            url = ready.components[0]["components"][0]["url"]
            async with web_client() as client:
                assert (await client.get(url)).status_code == 200
        assert len(await ann.sees("game is ready")) == 1
        building = [s for s in fake.to(402) if s.content.startswith("🛠")]
        assert len({s.message_id for s in building}) == 1  # one progress message, edited on
        assert building[-1].content == BUILD_DONE
        assert flows.watches() == []
        assert flows.get(oid).step == DONE  # type: ignore[union-attr]
        assert "Oops" not in " ".join(s.content for s in fake.to(402))

    play(scenario)


def test_two_users_at_once(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Two people order side by side; nobody can press the other's buttons."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann, bo = Member(fake, 411, "Ann"), Member(fake, 412, "Bo")
            oid_a, oid_b = await asyncio.gather(
                _to_theme(ann, cat_jpeg, name="Alpha"),
                _to_theme(bo, cat_jpeg, "modern", name="Beta"),
            )
            assert oid_a != oid_b
            ann.click(f"pp:theme:{oid_a}:park")
            bo.click(f"pp:theme:{oid_b}:city")
            a, b = await asyncio.gather(ann.sees("Happy with it?"), bo.sees("Happy with it?"))
            assert "Alpha" in a[0].content
            assert "Beta" in b[0].content
            assert a[0].files["preview.gif"] != b[0].files["preview.gif"]
            fake.owner_of[b[0].message_id] = ann.id  # say Ann could see Bo's preview and press
            ann.click(f"pp:pv:{oid_b}:ok")
            await ann.sees("someone else's pet")
            assert runtime.orders.status(order_id=oid_b).status == "preview_ready"

    play(scenario)


def test_limits_and_stale_buttons(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Photos per hour, creations in progress, and a button from an older step."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = Member(fake, 421)
            oid = await _to_theme(ann, cat_jpeg, name="Mochi")
            ann.press_old(f"pp:style:{oid}", "8bit")  # the style menu again: that step is over
            await ann.sees("older step")
            ann.slash("pixelpet", image=cat_jpeg)
            await ann.sees("Pick a style", count=2)
            ann.slash("pixelpet", image=cat_jpeg)
            await ann.sees("a lot of photos")
            ann.press_old(f"pp:pkg:{oid}:classic")
            await ann.sees("older step", count=2)
            bo = Member(fake, 422)
            bo.slash("help")
            await bo.sees("How PetPixel works")
            bo.slash("privacy")
            await bo.sees("What we keep")
        synced = [p for m, p, _b in fake.calls if m == "PUT"]
        assert synced == [f"/applications/{APP_ID}/guilds/42/commands"]  # the dev server only

    play(scenario, discord_uploads_per_hour=2, discord_guild_id=42)


def test_delete_removes_photos_and_games(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake) as bot:
            ann = Member(fake, 441)
            oid = await _to_theme(ann, cat_jpeg, name="Mochi")
            ann.click(f"pp:theme:{oid}:park")
            await ann.sees("Happy with it?")
            ann.slash("delete")
            await ann.sees("Are you sure?")
            ann.click("pp:del:441:no")
            await ann.sees("Nothing was deleted")
            ann.slash("delete")
            await ann.sees("Are you sure?", count=2)
            ann.click("pp:del:441:yes")
            done = (await ann.sees("all gone"))[0].content
            assert "orders: 1" in done
            assert bot.deps.flows.get(oid) is None
            uid = runtime.orders.get_or_create_user(provider="discord", external_id="441").id
            assert runtime.orders.list_orders(user_id=uid) == []
            assert not runtime.storage.exists(f"orders/{oid}/photo.jpg")
            ann.press_old(f"pp:pv:{oid}:ok")
            await ann.sees("older step")
            ann.slash("mygames")
            await ann.sees("don't have any games yet")

    play(scenario)


def test_old_token_moves_to_a_dm(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Interaction tokens die after 15 minutes: past the age limit the watcher talks by DM."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = Member(fake, 451)
            oid = await _to_theme(ann, cat_jpeg, name="Mochi")
            ann.click(f"pp:theme:{oid}:park")
            preview = (await ann.sees("Happy with it?"))[0]
            assert preview.via == "channel"
            assert preview.files["preview.gif"].startswith(b"GIF8")
            moved = (await ann.sees("I'll message you here"))[0]
            assert moved.via == "channel"
            opened = [b for m, p, b in fake.calls if (m, p) == ("POST", "/users/@me/channels")]
            assert [str(b["recipient_id"]) for b in opened] == ["451"]
            ann.click(f"pp:pv:{oid}:ok")  # the button on the DM works like any other
            await ann.sees("Pick your game")

    play(scenario, discord_token_ttl_s=0.0)


def test_a_watcher_resumes_from_the_database(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """A watch row left by a stopped bot is picked up at start; its interaction token is gone
    (Discord answers 404), so the preview arrives by DM instead."""
    import time

    from bots.discord.flow import PREVIEWING, Flow, FlowStore, Watch
    from core.botstate import BotStateStore

    user = runtime.orders.get_or_create_user(provider="discord", external_id="461")
    order = runtime.orders.create_order(user_id=user.id, photo=cat_jpeg)
    runtime.orders.request_preview(
        order_id=order.id, choices={"style": "16bit", "theme": "park", "pet_name": "Mochi"}
    )
    flows = FlowStore(BotStateStore(runtime.db))
    flows.put(Flow(order_id=order.id, owner=461, step=PREVIEWING, pet_name="Mochi", style="16bit"))
    flows.put_watch(Watch(order_id=order.id, kind="preview", owner=461, app_id=APP_ID,
                          token="died-long-ago", born=time.time(), message_id=1))  # fmt: skip

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = Member(fake, 461)
            preview = (await ann.sees("Happy with it?"))[0]
            assert preview.via == "channel"
            assert preview.files["preview.gif"].startswith(b"GIF8")
            ann.click(f"pp:pv:{order.id}:ok")
            await ann.sees("Pick your game")
        assert flows.watches() == []

    play(scenario)
