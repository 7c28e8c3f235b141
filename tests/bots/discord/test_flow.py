"""Whole conversations, /pixelpet to a playable game, with the real bot, service and worker."""

from __future__ import annotations

import itertools
import re
from typing import Any

from bots.discord.texts import BUILD_DONE
from core.config import Settings
from tests.bots.clock import ManualClock
from tests.bots.conftest import Stack, held_at
from tests.bots.discord.fake_discord import EPHEMERAL, FakeDiscord
from tests.bots.discord.harness import Member, running_bot
from tests.bots.telegram.harness import serving_web, web_client

GAME_URL = re.compile(r"(\S*/g/([A-Za-z0-9]+))")


def test_happy_path_to_a_playable_game(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Photo -> style -> world -> name (modal) -> preview -> another style -> package ->
    progress -> game link, which is then opened over HTTP on the real web app."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake), serving_web(settings):
            ann = Member(fake, 301)
            ann.slash("pixelpet", image=cat_jpeg)
            await ann.sees("Pick a style")
            oid = ann.order_id()
            ann.select(f"pp:style:{oid}", "16bit")
            await ann.sees("Where should your pet adventure")
            modal = await ann.modal(ann.click(f"pp:theme:{oid}:park"))
            assert modal["custom_id"] == f"pp:name:{oid}"
            ann.submit(f"pp:name:{oid}", f"pp:theme:{oid}:park", name="Mochi *the* @cat")
            await ann.sees("Happy with it?")
            ann.click(f"pp:pv:{oid}:style")
            await ann.sees("Pick another style")
            ann.select(f"pp:style:{oid}", "gameboy")
            await ann.sees("Happy with it?", count=2)
            ann.click(f"pp:pv:{oid}:ok")
            await ann.sees("Pick your game")
            ann.click(f"pp:pkg:{oid}:classic")
            await ann.sees("Free during early access")
            ready = (await ann.sees("game is ready"))[0]
            url, code = GAME_URL.search(ready.content).groups()  # type: ignore[union-attr]
            async with web_client() as client:
                page = await client.get(url)
                assert page.status_code == 200
                assert "<script" in page.text or "<canvas" in page.text
            game = runtime.orders.game_by_code(code=code)
            assert game is not None
            assert ready.components[0]["components"][0]["url"] == url
            assert ready.files["preview.gif"].startswith(b"GIF8")
            ann.slash("mygames")
            assert url in (await ann.sees("Your games"))[0].content
            challenge = ready.components[0]["components"][1]  # post it for the channel to beat
            assert (challenge["label"], challenge["custom_id"]) == ("Challenge", f"pp:chal:{code}")
            ann.click(f"pp:chal:{code}")
            posted = await ann.sees("challenges everyone to beat **Mochi \\*the\\* @cat**")
            assert posted[0].public
            assert posted[0].components[0]["components"][0]["custom_id"] == f"pp:play:{code}"
        assert "Oops" not in " ".join(s.content for s in fake.to(301))

    play(scenario, runs_secret="flow-test-secret")


def test_progress_edits_one_ephemeral_message(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Each job edits one ephemeral follow-up in place (the pace of the edits is
    test_progress_edits_follow_the_bots_clock's)."""

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            bo = Member(fake, 302, "Bo")
            await bo.to_preview(cat_jpeg, name="Rex", style="8bit", theme="beach")
        drawing = [s for s in fake.to(302) if s.content.startswith("🎨")]
        assert len({s.message_id for s in drawing}) == 1  # one progress message, edited
        first, *edits = drawing
        assert first.via == "webhook"
        assert fake.messages[first.message_id]["flags"] & EPHEMERAL
        assert edits[-1].content.startswith("🎨 Preview ready")
        texts = [s.content for s in drawing]
        assert all(a != b for a, b in itertools.pairwise(texts))  # never a no-op edit
        assert all(len(c) <= 100 for c in _custom_ids(fake))

    play(scenario)


def test_progress_edits_follow_the_bots_clock(play: Any, gated: Stack, cat_jpeg: bytes) -> None:
    """The build's progress message is edited at most once per discord_edit_interval_s on the
    bot's clock, and its final edit goes at once. The clock is the test's: it stands still until
    the test moves it, and the build is held at its steps, so nothing depends on wall time."""
    rt, gates, clock = gated.rt, gated.gates, ManualClock()

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        def building() -> list[str]:
            return [s.content for s in fake.to(303) if s.content.startswith("🛠")]

        async with running_bot(settings, rt, fake) as bot:
            bot.deps.clock = clock
            cy = Member(fake, 303, "Cy")
            oid = await cy.to_preview(cat_jpeg, name="Rex", style="8bit", theme="beach")
            cy.click(f"pp:pv:{oid}:ok")
            await cy.sees("Pick your game")
            gates.levels.clear()
            gates.bundle.clear()
            cy.click(f"pp:pkg:{oid}:classic")
            await cy.sees("Free during early access")
            await held_at(rt, oid, "Designing levels")
            # The progress message and its first edit come while the build is held; only then
            # may it move on (else a slow watcher would show the next step first).
            await cy.sees("🛠", count=2)
            gates.levels.set()
            await held_at(rt, oid, "Packing your game")
            # The watcher saw the new step and asked the throttle since (or, wrongly, edited).
            await clock.read(4, unless=lambda: any("Packing" in t for t in building()))
            posted, *edits = building()
            assert len(edits) == 1  # only the first edit while the clock stands still
            assert "Packing" not in edits[0]
            clock.advance(settings.discord_edit_interval_s)
            await cy.sees("55% Packing your game")
            gates.bundle.set()  # no time passes: only a final edit may follow at once
            await cy.sees("game is ready")
        assert building() == [posted, edits[0], building()[2], BUILD_DONE]
        assert building()[2].endswith("55% Packing your game")
        preview = [s for s in fake.to(303) if s.content.startswith("🎨")]
        assert len(preview) <= 3  # posted, at most one edit at the start, the final one
        assert preview[-1].content.startswith("🎨 Preview ready")

    play(scenario, discord_edit_interval_s=1.0)


def _custom_ids(fake: FakeDiscord) -> list[str]:
    return [
        str(item["custom_id"])
        for said in fake.said
        for row in said.components
        for item in row["components"]
        if "custom_id" in item
    ]


def test_fix_the_crop_redraws_from_that_part_of_the_photo(
    play: Any, runtime: Any, cat_jpeg: bytes
) -> None:
    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            cy = Member(fake, 303, "Cy")
            oid = await cy.to_preview(cat_jpeg, name="Tom", style="16bit", theme="park")
            assert runtime.orders.get_order(order_id=oid).choices.user_crop is None
            cy.click(f"pp:pv:{oid}:crop")
            ask = (await cy.sees("Which part of the photo"))[0]
            keys = [b["custom_id"].rsplit(":", 1)[1] for row in ask.components
                    for b in row["components"]]  # fmt: skip
            assert keys == ["all", "centre", "left", "right", "top", "bottom"]
            cy.click(f"pp:crop:{oid}:left")
            await cy.sees("Happy with it?", count=2)  # redrawn from the left part
            assert runtime.orders.get_order(order_id=oid).choices.user_crop == (0.0, 0.0, 0.6, 1.0)
            cy.press_old(f"pp:crop:{oid}:right")  # the crop step is over
            await cy.sees("older step")
        assert "Oops" not in " ".join(s.content for s in fake.to(303))

    play(scenario)


def test_bad_photos_get_core_messages(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Non-image, corrupt, tiny and too-big attachments: core's friendly reasons, no order."""
    import io

    from PIL import Image

    tiny = io.BytesIO()
    Image.new("RGB", (64, 64), "white").save(tiny, "PNG")

    async def scenario(fake: FakeDiscord, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            text, broken, small, huge = (Member(fake, 310 + i) for i in range(4))
            text.slash("pixelpet", image=b"just some notes\n" * 20, filename="a.txt",
                       content_type="text/plain")  # fmt: skip
            broken.slash("pixelpet", image=cat_jpeg[: len(cat_jpeg) // 3])
            small.slash("pixelpet", image=tiny.getvalue(), filename="t.png")
            huge.slash("pixelpet", image=b"x", size=settings.max_upload_bytes + 1)
            assert "not a photo we can use" in (await text.sees("Try `/pixelpet`"))[0].content
            assert "damaged or incomplete" in (await broken.sees("Try `/pixelpet`"))[0].content
            assert "only 64x64 pixels" in (await small.sees("Try `/pixelpet`"))[0].content
            await huge.sees("too big for me (over 10 MB)")
            ann = Member(fake, 315)
            ann.slash("pixelpet", image=cat_jpeg, name=" ")
            await ann.sees("Names need 1 to 40 characters")
        assert len(fake.downloads) == 3  # the too-big file was never downloaded
        assert (
            runtime.orders.list_orders(
                user_id=runtime.orders.get_or_create_user(provider="discord", external_id="310").id
            )
            == []
        )

    play(scenario)
