"""Photos in: acknowledge at once, download (20 MB cap), create the order, then offer the styles.

A photo can arrive as a compressed photo, as an uncompressed image document, or as part of an
album (several updates sharing a media_group_id): for an album we wait a moment for all its parts
and ask which one to use.
"""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update
from telegram.constants import ChatAction, ParseMode

from bots.telegram import keyboards, texts
from bots.telegram.deps import ALBUM, IDLE, STYLE, Context, deps, set_state, state, user_id
from bots.telegram.examples import style_sheet
from bots.telegram.handlers.common import clear_buttons, pressed, stale
from core.errors import PetPixelError

ALBUM_WAIT_S = 0.8  # album parts arrive as separate updates within a few hundred ms
MB = 1024 * 1024


def style_names() -> list[str]:
    from core.pixelart.styles import STYLES

    return list(STYLES)


def file_of(message: Message) -> tuple[str, int] | None:
    """(file_id, size) of the biggest photo size or of an image document; None otherwise."""
    if message.photo:
        best = message.photo[-1]
        return best.file_id, best.file_size or 0
    doc = message.document
    if doc and (doc.mime_type or "").startswith("image/"):
        return doc.file_id, doc.file_size or 0
    return None


async def photo(update: Update, context: Context) -> None:
    """A photo or image file: start an order with it (or collect it when it is part of an album)."""
    message = update.effective_message
    assert message is not None
    ref = file_of(message)
    if ref is None:
        await message.reply_text(texts.NOT_AN_IMAGE)
        return
    if message.media_group_id:
        await _collect_album(update, context, message.media_group_id, ref)
        return
    await take_photo(update, context, *ref)


async def _collect_album(
    update: Update, context: Context, group: str, ref: tuple[str, int]
) -> None:
    data = context.user_data
    assert data is not None
    album = data.get("album") or {}
    if album.get("group") != group:
        album = {"group": group, "files": []}
        context.application.create_task(_ask_album(update, context, group))
    album["files"].append(list(ref))
    data["album"] = album


async def _ask_album(update: Update, context: Context, group: str) -> None:
    await asyncio.sleep(ALBUM_WAIT_S)
    album = (context.user_data or {}).get("album") or {}
    if album.get("group") != group:
        return
    count = len(album["files"])
    set_state(context, ALBUM)
    assert update.effective_chat is not None
    await update.effective_chat.send_message(
        texts.ALBUM_ASK.format(count=count), reply_markup=keyboards.album(count)
    )


async def album_pick(update: Update, context: Context) -> None:
    """The user picked one photo of an album."""
    query, value = pressed(update)
    files = ((context.user_data or {}).get("album") or {}).get("files", [])
    if state(context) != ALBUM or int(value) >= len(files):
        await stale(query)
        return
    set_state(context, IDLE)
    await query.answer()
    await clear_buttons(query)
    file_id, size = files[int(value)]
    await take_photo(update, context, file_id, size)


async def take_photo(update: Update, context: Context, file_id: str, size: int) -> None:
    """Acknowledge within a moment, then check limits, download and create the order."""
    chat, tg = update.effective_chat, update.effective_user
    assert chat is not None
    assert tg is not None
    d = deps(context)
    _, ack = await asyncio.gather(
        chat.send_action(ChatAction.UPLOAD_PHOTO), chat.send_message(texts.ACK)
    )
    problem = _check_limits(context, tg.id, size)
    if problem:
        await ack.edit_text(problem)
        return
    photo = await (await context.bot.get_file(file_id)).download_as_bytearray()
    uid = await user_id(update, context)
    try:
        order = await d.call(d.orders.create_order, user_id=uid, photo=bytes(photo))
    except PetPixelError as exc:
        await ack.edit_text(
            texts.esc(exc.message) + "\n" + texts.WANT_PHOTO, parse_mode=ParseMode.HTML
        )
        return
    # A new order starts from its own defaults: no crop or species carried over from the last.
    set_state(context, STYLE, order_id=order.id, album=None, token=order.token, crop=None,
              species="auto")  # fmt: skip
    await ack.edit_text(texts.PHOTO_OK)
    await offer_styles(chat, context)


async def offer_styles(chat: Chat, context: Context) -> None:
    """The style keyboard on a picture of each style's look (uploaded once, then by file_id)."""
    d, names = deps(context), style_names()
    legend = " · ".join(texts.STYLE_BLURBS.get(n, n).split(":")[0] for n in names)
    caption = f"{texts.ASK_STYLE}\n{texts.STYLE_LEGEND.format(names=legend)}"
    picture: str | bytes
    if d.style_sheet_file_id:
        picture = d.style_sheet_file_id
    else:
        picture = await asyncio.to_thread(style_sheet, tuple(names))  # drawn once per process
    sent = await chat.send_photo(picture, caption=caption, reply_markup=keyboards.styles(names))
    if sent.photo:
        d.style_sheet_file_id = sent.photo[-1].file_id


def _check_limits(context: Context, tg_user: int, size: int) -> str | None:
    d = deps(context)
    if size > d.settings.telegram_max_download_bytes:
        return texts.TOO_BIG.format(mb=d.settings.telegram_max_download_bytes // MB)
    if d.watchers.active_count(tg_user) >= d.limits.max_active:
        return texts.BUSY.format(count=d.limits.max_active)
    if not d.limits.take_upload(tg_user):
        return texts.TOO_MANY_UPLOADS
    return None
