"""Whole conversations, photo to playable game, with the real bot, service, worker and pipeline."""

from __future__ import annotations

import asyncio
import itertools
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from core.config import Settings
from core.orders.builds import Steps, default_steps
from core.orders.lifecycle import OrderStatus
from runtime import open_runtime
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


def _assert_throttled(edits: list[Call], interval: float, done: str) -> None:
    """Every edit but the final one waits `interval` after the one before it."""
    assert edits[-1].params["text"] == done
    texts = [str(c.params["text"]) for c in edits]
    assert all(a != b for a, b in itertools.pairwise(texts))  # never a no-op edit
    for before, after in itertools.pairwise(edits[:-1]):
        assert after.at - before.at >= interval * 0.99, texts


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
        interval = settings.telegram_edit_interval_s
        previews = _progress_messages(fake, 201, "🎨")
        assert len(previews) == 3  # one progress message per preview, edited in place
        for edits in previews.values():
            _assert_throttled(edits, interval, "🎨 Preview ready!")
        (build,) = _progress_messages(fake, 201, "🛠").values()
        _assert_throttled(build, interval, "🎮 Game ready!")
        assert all("Preview ready" not in c.params["text"] for c in build)
        assert "Oops" not in " ".join(fake.texts(201))

    play(scenario, telegram_edit_interval_s=1.0)  # the production pace


async def _play_over_http(fake: FakeTelegram, runtime: Any, ann: User, ready: Call) -> None:
    """Open the link the bot sent, as the user would, and load what the page needs."""
    url, code = GAME_URL.search(ready.params["caption"]).groups()  # type: ignore[union-attr]
    buttons = [b for row in ready.params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["url"] == url
    assert buttons[1]["url"].startswith("https://t.me/share/url?url=http")
    assert "Mochi%20%3Cb%3E%26" in buttons[1]["url"]  # the plain name, URL-quoted
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


def test_delete_after_confirmation(play: Any, runtime: Any, cat_jpeg: bytes) -> None:
    async def scenario(fake: FakeTelegram, settings: Settings) -> None:
        async with running_bot(settings, runtime, fake):
            ann = User(fake, 209)
            ann.photo(cat_jpeg)
            await ann.says("Pick a style")
            ann.text("/delete")
            await ann.says("Are you sure?")
            ann.click("del:no")
            await ann.says("Nothing was deleted")
            ann.text("/delete")
            await ann.says("Are you sure?", count=2)
            ann.click("del:yes")
            await ann.says("orders: 1")
            ann.text("/mygames")
            await ann.says("don't have any games yet")

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
