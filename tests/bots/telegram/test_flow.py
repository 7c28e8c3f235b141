"""Whole conversations, photo to playable game, with the real bot, service, worker and pipeline."""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from bots.telegram.deps import BUILDING
from bots.telegram.persistence import DatabasePersistence
from core.botstate import BotStateStore
from core.config import Settings
from core.orders.builds import Steps, default_steps
from core.orders.lifecycle import OrderStatus
from runtime import open_runtime
from tests.bots.clock import ManualClock
from tests.bots.conftest import Stack, held_at, reached
from tests.bots.owned import Owned, owned, stored_files
from tests.bots.telegram.flows import photo_to_preview
from tests.bots.telegram.harness import User, running_bot, serving_web, web_client
from tests.fakes.telegram_api import Call, FakeTelegram

GAME_URL = re.compile(r"(\S*/g/([A-Za-z0-9]+))")


def _animations(fake: FakeTelegram, chat: int) -> list[bytes]:
    return [c.files["animation"] for c in fake.called("sendAnimation", chat)]


def _progress_messages(fake: FakeTelegram, chat: int, mark: str) -> dict[int, list[Call]]:
    """Every edit of each progress message (one ever edited to a text starting with `mark`)."""
    calls = fake.called("editMessageText", chat)
    ids = {int(c.params["message_id"]) for c in calls if str(c.params["text"]).startswith(mark)}
    edits: dict[int, list[Call]] = {}
    for call in calls:
        if int(call.params["message_id"]) in ids:
            edits.setdefault(int(call.params["message_id"]), []).append(call)
    return edits


def _assert_edited_in_place(edits: list[Call], done: str) -> None:
    """The progress message ends on `done` and never gets an edit that changes nothing (the pace
    of the edits is test_progress_edits_follow_the_bots_clock's)."""
    assert edits[-1].params["text"] == done
    texts = [str(c.params["text"]) for c in edits]
    assert all(a != b for a, b in itertools.pairwise(texts))


def test_happy_path_to_a_playable_game(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    """Photo -> preview -> another style -> another crop -> package -> progress -> game link,
    which is then opened over HTTP on the real web app."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake), serving_web(settings):
            ann = User(fake, 201)
            ann.text("/start")
            await photo_to_preview(ann, cat_jpeg, name="Mochi <b>&")
            assert fake.called("sendChatAction", 201)[0].params["action"] == "upload_photo"
            theme_prompt = fake.called("sendMessage", 201)[-2].params["text"]
            assert "Mochi &lt;b&gt;&amp;" in theme_prompt  # the name is escaped for HTML
            ann.click("pv:style")
            await ann.says("Pick a style", count=2)
            ann.click("style:gameboy")
            await ann.says("Here's", count=2)
            ann.click("pv:crop")
            await ann.says("Which part of the photo")
            ann.click("crop:centre")
            await ann.says("Here's", count=3)
            ann.click("pv:ok")
            await ann.says("Pick your game")
            ann.click("pkg:classic")
            await ann.says("Free during early access")
            ready = (await ann.says("game is ready"))[0]
            await _play_over_http(fake, runtime, ann, ready)
        first, again = fake.called("sendPhoto", 201)  # the style examples, twice
        assert first.files["photo"].startswith(b"\x89PNG")
        assert "Left to right: 👾 8-bit" in first.params["caption"]
        assert again.files == {}  # the second time by file_id: no upload
        assert again.params["photo"] == fake.messages_of(201, "photo")[0]["photo"][0]["file_id"]
        gifs = _animations(fake, 201)
        assert all(g.startswith(b"GIF8") for g in gifs)
        assert gifs[0] != gifs[1]  # a different style draws a different sprite
        assert gifs[1] != gifs[2]  # and so does another crop
        previews = _progress_messages(fake, 201, "🎨")
        assert len(previews) == 3  # one progress message per preview, edited in place
        for edits in previews.values():
            _assert_edited_in_place(edits, "🎨 Preview ready!")
        (build,) = _progress_messages(fake, 201, "🛠").values()
        _assert_edited_in_place(build, "🎮 Game ready!")
        assert all("Preview ready" not in c.params["text"] for c in build)
        assert "Oops" not in " ".join(fake.texts(201))

    # the production pace; games in chats on (a Challenge a group button under the game)
    play(scenario, telegram_edit_interval_s=1.0, runs_secret="flow-secret",
         telegram_game_short_name="petpixel")  # fmt: skip


def test_progress_edits_follow_the_bots_clock(play: Any, gated: Stack, cat_jpeg: bytes) -> None:
    """The build's progress message is edited at most once per telegram_edit_interval_s on the
    bot's clock, and its final edit goes at once. The clock is the test's: it stands still until
    the test moves it, and the build is held at its steps, so nothing depends on wall time."""
    rt, gates, clock = gated.rt, gated.gates, ManualClock()

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, rt, fake) as running:
            running.app.bot_data["deps"].clock = clock
            ann = User(fake, 211)
            await photo_to_preview(ann, cat_jpeg)
            ann.click("pv:ok")
            await ann.says("Pick your game")
            gates.levels.clear()
            gates.bundle.clear()
            ann.click("pkg:classic")
            await ann.says("Free during early access")
            (order,) = owned(rt, "telegram", "211").orders
            await held_at(rt, order, "Designing levels")
            # The build's progress message is posted while the build is held; only then may the
            # build move on (else a slow watcher would post the next step first).
            await ann.says("🛠")
            gates.levels.set()
            await held_at(rt, order, "Packing your game")
            # The watcher saw the new step and asked the throttle since (or, wrongly, edited).
            await clock.read(4, unless=lambda: "Packing" in " ".join(fake.texts(211)))
            (first,) = _progress_messages(fake, 211, "🛠").values()
            assert len(first) == 1  # only the first edit while the clock stands still
            assert "Packing" not in first[0].params["text"]
            clock.advance(settings.telegram_edit_interval_s)
            await ann.says("55% Packing your game")
            gates.bundle.set()  # no time passes: only a final edit may follow at once
            await ann.says("game is ready")
        (build,) = _progress_messages(fake, 211, "🛠").values()
        texts = [str(c.params["text"]) for c in build]
        assert texts == [first[0].params["text"], texts[1], "🎮 Game ready!"]
        assert texts[1].endswith("55% Packing your game")
        (preview,) = _progress_messages(fake, 211, "🎨").values()
        assert len(preview) <= 2  # the preview's: at most one edit at the start, then the final
        assert preview[-1].params["text"] == "🎨 Preview ready!"

    play(scenario, telegram_edit_interval_s=1.0)  # the production pace


async def _play_over_http(fake: FakeTelegram, runtime: Any, ann: User, ready: Call) -> None:
    """Open the link the bot sent, as the user would, and load what the page needs."""
    url, code = GAME_URL.search(ready.params["caption"]).groups()  # type: ignore[union-attr]
    buttons = [b for row in ready.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["url"] == url
    assert buttons[1]["url"].startswith("https://t.me/share/url?url=http")
    assert "Mochi%20%3Cb%3E%26" in buttons[1]["url"]  # the plain name, URL-quoted
    # Challenge a group: inline mode in a chat of their choice, offering this game there.
    assert buttons[2] == {"text": "🏁 Challenge a group", "switch_inline_query": code}
    game = runtime.orders.game_by_code(code=code)
    assert game is not None
    async with web_client() as client:
        page = await client.get(url)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<canvas" in page.text or "<script" in page.text
        files = [path for path in game.assets if path != "index.html"]
        assert files
        for path in files:
            asset = await client.get(f"{url}/{path}")
            assert asset.status_code == 200, path
            assert asset.content == runtime.storage.get(game.assets[path])
        missing = await client.get(url[: -len(code)] + "zzzzzzzz")
        assert missing.status_code == 404
    # The web app writes views in batches (view_flush_interval_s is short in these tests).
    deadline = asyncio.get_running_loop().time() + 30
    while (live := runtime.orders.game_by_code(code=code)) is None or live.views < 1:
        assert asyncio.get_running_loop().time() < deadline, "the visit was never written"
        await asyncio.sleep(0.02)
    ann.text("/mygames")
    listed = (await ann.says("Your games"))[0].params["text"]
    assert url in listed
    assert "1 plays" in listed  # the visit above was counted


def test_bad_photos_get_a_clear_answer(play: Any, runtime: Any, cat_image: Any) -> None:
    from PIL import Image

    from tests.conftest import encode

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 203)
            ann.photo(b"\xff\xd8\xff\xe0 this is not really a jpeg")
            await ann.says("Send one as a photo", count=1)
            ann.photo(encode(cat_image.resize((60, 40))))
            await ann.says("Send one as a photo", count=2)
            ann.photo(b"x", file_size=25 * 1024 * 1024)
            await ann.says("too big")
            ann.photo(encode(Image.new("RGB", (640, 480), (128, 128, 128))))  # no pet to find
            await ann.says("Pick a style")
            ann.click("style:8bit")
            await ann.says("What's your pet's name")
            ann.text("Ghost")
            await ann.says("adventure?")
            ann.click("theme:snow")
            await ann.says("couldn't find a pet")
            await ann.says("Please send another photo")
            ann.text("what now?")  # the conversation goes on: a photo is awaited again
            await ann.says("I need a photo of your pet", count=3)
        assert "Oops" not in " ".join(fake.texts(203))
        assert not fake.called("sendAnimation", 203)

    play(scenario)


def test_album_asks_which_photo(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 204)
            ann.photo(cat_jpeg, media_group_id="g1")
            ann.photo(cat_jpeg, media_group_id="g1")
            await ann.says("You sent 2 photos")
            ann.click("album:1")
            await ann.says("Pick a style")

    play(scenario)


def test_document_photo_and_upload_limit(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 205)
            ann.document(cat_jpeg, "image/jpeg", "cat.jpg")  # an uncompressed image file
            await ann.says("Pick a style")
            ann.photo(cat_jpeg)
            await ann.says("a lot of photos")

    play(scenario, telegram_uploads_per_hour=1)


def test_restart_mid_conversation_keeps_state(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        ann = User(fake, 206)
        async with running_bot(settings, runtime, fake):
            ann.photo(cat_jpeg)
            await ann.says("Pick a style")
            ann.click("style:pico8")
            await ann.says("What's your pet's name")
        async with running_bot(settings, runtime, fake):  # a new process would start like this
            ann.text("Pixel")
            await ann.says("adventure?")
            ann.click("theme:space")
        async with running_bot(settings, runtime, fake):  # restarted while the preview runs
            await ann.says("Here's")
            ann.click("pv:ok")
            await ann.says("Pick your game")

    play(scenario)


def test_restart_mid_build_resumes_the_watcher_and_delivers_the_link(
    play: Any, gated: Stack, cat_jpeg: bytes
) -> None:
    """Stopped and started again over the same database: at the package step (its buttons still
    work after the restart), while the build runs (the resumed watcher edits the same progress
    message on), and while the build finishes (the next start delivers the link, once)."""
    rt, gates = gated.rt, gated.gates

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        ann = User(fake, 212)
        async with running_bot(settings, rt, fake):
            await photo_to_preview(ann, cat_jpeg)
            ann.click("pv:ok")
            await ann.says("Pick your game")
        gates.levels.clear()
        gates.bundle.clear()
        async with running_bot(settings, rt, fake):  # a new process, the same database
            ann.click("pkg:classic")  # a button sent before the restart
            await ann.says("Free during early access")
            (order,) = owned(rt, "telegram", "212").orders
            await ann.says("30% Designing levels")
        saved = (await DatabasePersistence(BotStateStore(rt.db)).get_user_data())[212]
        assert saved["state"] == BUILDING
        assert (saved["watch"]["order_id"], saved["watch"]["kind"]) == (order, "build")
        async with running_bot(settings, rt, fake):  # stopped while the build ran
            gates.levels.set()
            await ann.says("55% Packing your game")  # the resumed watcher edits on
        gates.bundle.set()
        await reached(rt, order, OrderStatus.READY)  # finished while no bot ran
        async with running_bot(settings, rt, fake), serving_web(settings):
            ready = (await ann.says("game is ready"))[0]
            url = GAME_URL.search(ready.params["caption"]).group(1)  # type: ignore[union-attr]
            async with web_client() as client:
                assert (await client.get(url)).status_code == 200
        assert len([t for t in fake.texts(212) if "game is ready" in t]) == 1
        (build,) = _progress_messages(fake, 212, "🛠").values()  # one message, edited on
        assert build[-1].params["text"] == "🎮 Game ready!"
        saved = (await DatabasePersistence(BotStateStore(rt.db)).get_user_data())[212]
        assert "watch" not in saved
        assert "Oops" not in " ".join(fake.texts(212))

    play(scenario)


def test_two_users_at_once(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann, bob = User(fake, 207, "Ann"), User(fake, 208, "Bob")
            for user in (ann, bob):
                user.photo(cat_jpeg)
            for user in (ann, bob):
                await user.says("Pick a style")
                user.click("style:8bit")
            for user, name in ((ann, "Ann's cat"), (bob, "Bob's dog")):
                await user.says("What's your pet's name")
                user.text(name)
            for user in (ann, bob):
                await user.says("adventure?")
                user.click("theme:beach")
            await ann.says("Ann's cat</b> in")
            await bob.says("Bob's dog</b> in")
        users = {
            runtime.orders.get_or_create_user(provider="telegram", external_id=str(u)).id
            for u in (207, 208)
        }
        assert len(users) == 2
        for uid in users:
            assert [o.status for o in runtime.orders.list_orders(user_id=uid)] == [
                OrderStatus.PREVIEW_READY
            ]

    play(scenario)


def test_delete_after_confirmation_erases_everything(
    play: Any, gated: Stack, cat_jpeg: bytes
) -> None:
    """/delete asks first; yes erases the user's orders, photo, previews and game (rows and
    files) and their user and identity rows, and stops the watcher of a preview still drawing."""
    rt, gates = gated.rt, gated.gates

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, rt, fake) as running:
            ann = User(fake, 209)
            await photo_to_preview(ann, cat_jpeg)
            ann.click("pv:ok")
            await ann.says("Pick your game")
            ann.click("pkg:classic")
            await ann.says("game is ready")
            gates.sprite.clear()  # the next preview is being drawn while the user deletes
            ann.photo(cat_jpeg)
            await ann.says("Pick a style", count=2)
            ann.click("style:8bit")
            await ann.says("What's your pet's name", count=2)
            ann.text("Rex")
            await ann.says("adventure?", count=2)
            ann.click("theme:snow")
            await ann.says("Drawing Rex")
            before = owned(rt, "telegram", "209")
            assert (len(before.orders), len(before.games), before.user) == (2, 1, True)
            assert all(rt.storage.exists(k) for k in before.keys)
            files = stored_files(rt)
            ann.text("/delete")
            await ann.says("Are you sure?")
            ann.click("del:no")
            await ann.says("Nothing was deleted")
            assert owned(rt, "telegram", "209") == before
            ann.text("/delete")
            await ann.says("Are you sure?", count=2)
            ann.click("del:yes")
            done = (await ann.says("all gone"))[0].params["text"]
            assert f"orders: 2, games: 1, files: {len(files)})" in done
            assert owned(rt, "telegram", "209") == Owned()  # no identity, user, order or game
            assert not [k for k in before.keys if rt.storage.exists(k)]
            assert stored_files(rt) == []
            assert rt.orders.game_by_code(code=before.games[0]) is None
            assert running.app.bot_data["deps"].watchers.tasks(209) == []  # no watcher left behind
            ann.text("/mygames")
            await ann.says("don't have any games yet")
        assert "Oops" not in " ".join(fake.texts(209))

    play(scenario)


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds the preview job until the test opens it (opened at teardown in any case)."""
    event = threading.Event()
    yield event
    event.set()


@pytest.fixture
def gated_runtime(base_settings: Settings, gate: threading.Event) -> Iterator[Any]:
    """The real stack, with the real sprite step waiting for `gate` first."""
    real = default_steps()

    def make_sprite(*args: Any, **kwargs: Any) -> Any:
        gate.wait(60)
        return real.make_sprite(*args, **kwargs)

    with open_runtime(base_settings, role="bot", steps=Steps(make_sprite, real.generate_levels,
                                                 real.build_bundle)) as rt:  # fmt: skip
        yield rt


def test_limit_cancel_and_resume_by_deep_link(
    play: Any, gated_runtime: Any, gate: threading.Event, cat_jpeg: bytes
) -> None:
    """One creation at a time here; /cancel and /new start over; /start order_<token> resumes."""

    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, gated_runtime, fake):
            ann = User(fake, 210)
            ann.photo(cat_jpeg)
            await ann.says("Pick a style")
            ann.click("style:modern")
            await ann.says("What's your pet's name")
            ann.text("Biscuit")
            await ann.says("adventure?")
            ann.click("theme:city")
            await ann.says("Drawing")  # the preview is being drawn (held at the gate)
            ann.photo(cat_jpeg)
            busy = (await ann.says("in progress at a time"))[0]
            assert "1 creation" in busy.params["text"]
            gate.set()
            await ann.says("Here's")
            ann.text("/cancel")
            await ann.says("Okay, stopped")
            ann.click("pv:ok")  # a button from before /cancel does nothing now
            await fake.wait_for(
                "answerCallbackQuery", where=lambda c: "older message" in c.params.get("text", "")
            )
            (order,) = gated_runtime.orders.list_orders(
                user_id=gated_runtime.orders.get_or_create_user(
                    provider="telegram", external_id="210"
                ).id
            )
            ann.text("/start order_not-a-real-token")
            await ann.says("couldn't find that order")
            ann.text(f"/start order_{order.token}")
            await ann.says("Welcome back")
            await fake.wait_for("sendAnimation", chat_id=210, count=2)  # the preview, again
            ann.click("pv:ok")
            await ann.says("Pick your game")
            ann.text("/new")
            await ann.says("Fresh start")
            ann.photo(cat_jpeg)  # the preview is done: a new photo is welcome again
            await ann.says("Pick a style", count=2)
        assert "Oops" not in " ".join(fake.texts(210))

    play(scenario, telegram_max_active_orders=1)
