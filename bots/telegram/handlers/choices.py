"""Choices after the photo: style, pet name, theme; then the preview, its three buttons and its
species row; after a photo problem, its way forward (fix the crop, use Other)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bots.telegram import keyboards, texts
from bots.telegram.deps import (
    CROP,
    FIX,
    NAME,
    PACKAGE,
    PREVIEW,
    PREVIEWING,
    STYLE,
    THEME,
    Context,
    deps,
    set_state,
    state,
)
from bots.telegram.handlers.checkout import offer_packages
from bots.telegram.handlers.common import clear_buttons, pressed, stale
from bots.telegram.handlers.photo import offer_styles, style_names
from bots.telegram.watch import preview_caption, start_watch
from core.errors import PetPixelError
from core.hero.traits import SPECIES
from core.orders.choices import ASK_CROP, CROPS, species_label
from core.petnames import BAD_NAME_LENGTH, check_name


async def pick_style(update: Update, context: Context) -> None:
    """Style chosen: ask for the name (or redraw at once when the name is already known)."""
    query, style = pressed(update)
    if style not in style_names() or state(context) not in (STYLE, PREVIEW):
        await stale(query)
        return
    redraw = state(context) == PREVIEW
    set_state(context, PREVIEWING if redraw else NAME, style=style)  # before any await: no double
    await query.answer()
    await clear_buttons(query)  # the keyboard sits on the examples picture: keep the picture
    if redraw:
        await request_preview(update, context)
        return
    assert update.effective_chat is not None
    await update.effective_chat.send_message(texts.ASK_NAME)


async def name_text(update: Update, context: Context) -> None:
    """The pet's name, typed: validate it, then offer the themes."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    name, problem = check_name(message.text)
    if name is None:
        await message.reply_text(problem or BAD_NAME_LENGTH)
        return
    from core.levels import THEMES

    set_state(context, THEME, pet_name=name, theme_prompt=None)
    asked = await message.reply_text(
        texts.ASK_THEME.format(name=texts.esc(name)),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboards.themes(list(THEMES)),
    )
    assert context.user_data is not None
    context.user_data["theme_prompt"] = asked.message_id  # only its buttons pick the theme


async def pick_theme(update: Update, context: Context) -> None:
    """Theme chosen: start the free preview."""
    from core.levels import THEMES

    query, theme = pressed(update)
    prompt = (context.user_data or {}).get("theme_prompt")
    # An earlier order's theme buttons stay on screen until used: they must not pick this one's.
    elsewhere = (
        prompt is not None and query.message is not None and query.message.message_id != prompt
    )
    if state(context) != THEME or theme not in THEMES or elsewhere:
        await stale(query)
        return
    set_state(context, PREVIEWING, theme=theme)
    await query.answer()
    await clear_buttons(query)
    await request_preview(update, context)


async def request_preview(update: Update, context: Context) -> None:
    """Queue the preview with the chosen style, name, theme and crop, and watch it."""
    d, data = deps(context), context.user_data
    assert data is not None
    assert update.effective_chat is not None
    assert update.effective_user
    choices = {
        "style": data.get("style"),
        "theme": data.get("theme"),
        "pet_name": data.get("pet_name"),
        "user_crop": data.get("crop"),
        "species": data.get("species") or "auto",
    }
    try:
        await d.call(d.orders.request_preview, order_id=data["order_id"], choices=choices)
    except PetPixelError as exc:
        await update.effective_chat.send_message(texts.esc(exc.message))
        return
    set_state(context, PREVIEWING)
    name = texts.esc(str(data.get("pet_name")))
    text = texts.PREVIEW_WAIT.format(name=name, percent=0, label="")
    msg = await update.effective_chat.send_message(text, parse_mode=ParseMode.HTML)
    start_watch(
        context.application,
        tg_user=update.effective_user.id,
        chat_id=update.effective_chat.id,
        order_id=data["order_id"],
        kind="preview",
        message_id=msg.message_id,
        text=text,
    )


async def preview_button(update: Update, context: Context) -> None:
    """Looks good / Try another style / Fix the crop."""
    query, choice = pressed(update)
    if state(context) != PREVIEW:
        await stale(query)
        return
    set_state(context, {"style": PREVIEW, "crop": CROP}.get(choice, PACKAGE))
    await query.answer()
    await clear_buttons(query)
    assert update.effective_chat is not None
    if choice == "style":
        await offer_styles(update.effective_chat, context)
    elif choice == "crop":
        await update.effective_chat.send_message(ASK_CROP, reply_markup=keyboards.crops())
    else:
        await offer_packages(update, context)


async def pick_crop(update: Update, context: Context) -> None:
    """A crop preset: redraw the preview from that part of the photo."""
    query, key = pressed(update)
    if state(context) != CROP or key not in CROPS:
        await stale(query)
        return
    box = CROPS[key][1]
    set_state(context, PREVIEWING, crop=list(box) if box else None)
    await query.answer()
    await clear_buttons(query)
    await request_preview(update, context)


async def pick_species(update: Update, context: Context) -> None:
    """🐱 Cat / 🐶 Dog / 🐾 Other under the preview: keep the species it shows, or redraw."""
    query, species = pressed(update)
    if state(context) != PREVIEW or species not in SPECIES:
        await stale(query)
        return
    set_state(context, PREVIEWING)  # before any await: a double tap finds it taken
    d, data = deps(context), context.user_data
    assert data is not None
    st = await d.call(d.orders.status, order_id=data["order_id"])
    if st.species != species:
        set_state(context, PREVIEWING, species=species)
        await query.answer()
        await clear_buttons(query)
        await request_preview(update, context)
        return
    try:  # the preview already shows it: keep the choice, no redraw
        st = await d.call(d.orders.choose_species, order_id=data["order_id"], species=species)
    except PetPixelError as exc:
        set_state(context, PREVIEW)
        await query.answer(exc.message[:200], show_alert=True)
        return
    set_state(context, PREVIEW, species=species)
    await query.answer(texts.SPECIES_KEPT.format(label=species_label(species)))
    name = texts.esc(str(data.get("pet_name")))
    caption = preview_caption(st, name, str(data.get("style", "")))
    try:  # the tick moves and the "Looks like…" line goes (unchanged when it was confirmed)
        await query.edit_message_caption(
            caption, parse_mode=ParseMode.HTML, reply_markup=keyboards.preview(st.species)
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def fix_button(update: Update, context: Context) -> None:
    """After a photo problem: Fix the crop (the presets), or It's a pet, use Other (redraw)."""
    query, choice = pressed(update)
    if state(context) != FIX or choice not in ("crop", "use_other"):
        await stale(query)
        return
    if choice == "crop":
        set_state(context, CROP)
    else:
        set_state(context, PREVIEWING, species="other")
    await query.answer()
    await clear_buttons(query)
    if choice == "use_other":
        await request_preview(update, context)
        return
    assert update.effective_chat is not None
    await update.effective_chat.send_message(ASK_CROP, reply_markup=keyboards.crops())
