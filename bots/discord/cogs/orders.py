"""/pixelpet and every step after it: style, world, name, preview, package, payment.

Each component handler is registered by its custom_id action (ui.py) and reads the order's flow
from the database, so a press after a restart works like any other. A handler answers within
Discord's 3 seconds: quick state changes answer directly, core calls that may be slow defer first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bots.discord import texts, ui
from bots.discord.flow import (
    BUILDING,
    CROP,
    FIX,
    NAME,
    PACKAGE,
    PAYING,
    PREVIEW,
    PREVIEWING,
    RESTYLE,
    STYLE,
    THEME,
    Flow,
    Watch,
)
from bots.discord.watch import begin, preview_caption
from core.errors import PetPixelError
from core.hero.traits import SPECIES
from core.orders.choices import ASK_CROP, CROPS, species_label
from core.payments import checkout_kind
from core.payments.discord_premium import PROVIDER as PREMIUM
from core.payments.discord_premium import sku_for
from core.petnames import MAX_NAME, check_name

if TYPE_CHECKING:
    from bots.discord.bot import PetPixelBot

Interaction = discord.Interaction[Any]
MB = 1024 * 1024


def style_names() -> list[str]:
    from core.pixelart.styles import STYLES

    return list(STYLES)


def theme_names() -> list[str]:
    from core.levels import THEMES

    return list(THEMES)


class Orders(commands.Cog):
    """Photo in, game link out."""

    def __init__(self, bot: PetPixelBot) -> None:
        self.bot, self.deps = bot, bot.deps

    async def cog_load(self) -> None:
        self.bot.order_routes.update({
            ui.STYLE: self.pick_style, ui.THEME: self.pick_theme, ui.NAME: self.named,
            ui.PREVIEW: self.preview_button, ui.CROP: self.pick_crop,
            ui.PACKAGE: self.pick_package, ui.SPECIES_PICK: self.pick_species,
            ui.FIX: self.fix,
        })  # fmt: skip

    @app_commands.command(name="pixelpet", description="Turn a photo of your pet into a game")
    @app_commands.describe(image="A photo of your pet", name="Your pet's name (optional)")
    async def pixelpet(
        self,
        interaction: Interaction,
        image: discord.Attachment,
        name: app_commands.Range[str, 1, MAX_NAME] | None = None,
    ) -> None:
        """A photo: check it with core intake, create the order, then offer the styles."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        pet_name, problem = check_name(name) if name is not None else (None, None)
        if problem is None:  # a refused name does not use up one of the hour's photos
            problem = self._limits(interaction.user.id, image.size)
        if problem is not None:
            await interaction.edit_original_response(content=problem)
            return
        photo = await image.read()
        uid = await self.deps.user_id(interaction.user)
        try:
            order = await self.deps.call(self.deps.orders.create_order, user_id=uid, photo=photo)
        except PetPixelError as exc:
            await interaction.edit_original_response(content=f"{exc.message}\n{texts.TRY_AGAIN}")
            return
        flow = Flow(order_id=order.id, owner=interaction.user.id, pet_name=pet_name)
        await self.deps.call(self.deps.flows.put, flow)
        await interaction.edit_original_response(
            content=texts.ASK_STYLE, view=ui.style_menu(order.id, style_names())
        )

    def _limits(self, owner: int, size: int) -> str | None:
        d = self.deps
        if size > d.settings.max_upload_bytes:
            return texts.TOO_BIG.format(mb=d.settings.max_upload_bytes // MB)
        if d.watchers.active_count(owner) >= d.limits.max_active:
            return texts.BUSY.format(count=d.limits.max_active)
        if not d.limits.take_upload(owner):
            return texts.TOO_MANY_UPLOADS
        return None

    async def pick_style(self, interaction: Interaction, flow: Flow, _parts: list[str]) -> None:
        """Style chosen: ask for the world (or redraw at once when restyling a preview)."""
        values = ui.raw(interaction).get("values") or []
        style = str(values[0]) if values else ""
        if style not in style_names() or flow.step not in (STYLE, RESTYLE):
            await stale(interaction)
            return
        redraw = flow.step == RESTYLE
        flow.style, flow.step = style, PREVIEWING if redraw else THEME
        await self.deps.call(self.deps.flows.put, flow)  # before answering: no double press
        label = texts.style_label(style)
        if redraw:
            await interaction.response.edit_message(content=f"{label} – drawing it now…", view=None)
            await self.request_preview(interaction, flow)
            return
        await interaction.response.edit_message(
            content=texts.ASK_THEME.format(style=label),
            view=ui.theme_buttons(flow.order_id, theme_names()),
        )

    async def pick_theme(self, interaction: Interaction, flow: Flow, parts: list[str]) -> None:
        """World chosen: draw the preview, or ask for the name first (a modal)."""
        theme = parts[1] if len(parts) > 1 else ""
        # NAME: the name form was closed unanswered (Discord says nothing then): open it again.
        if flow.step not in (THEME, NAME) or theme not in theme_names():
            await stale(interaction)
            return
        flow.theme = theme
        if flow.pet_name is None:
            flow.step = NAME
            await self.deps.call(self.deps.flows.put, flow)
            await interaction.response.send_modal(ui.name_modal(flow.order_id))
            return
        flow.step = PREVIEWING
        await self.deps.call(self.deps.flows.put, flow)
        await interaction.response.edit_message(content=_summary(flow), view=None)
        await self.request_preview(interaction, flow)

    async def named(self, interaction: Interaction, flow: Flow, _parts: list[str]) -> None:
        """The name modal was submitted: check the name, then draw the preview."""
        if flow.step != NAME:
            await stale(interaction)
            return
        name, problem = check_name(ui.modal_value(ui.raw(interaction), "name"))
        if name is None:
            flow.step = THEME  # the world buttons are still there: a press opens the modal again
            await self.deps.call(self.deps.flows.put, flow)
            await interaction.response.send_message(problem or "", ephemeral=True)
            return
        flow.pet_name, flow.step = name, PREVIEWING
        await self.deps.call(self.deps.flows.put, flow)
        if interaction.message is not None:
            await interaction.response.edit_message(content=_summary(flow), view=None)
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
        await self.request_preview(interaction, flow)

    async def request_preview(self, interaction: Interaction, flow: Flow) -> None:
        """Queue the preview with the chosen style, world and name, and watch it."""
        choices = {"style": flow.style, "theme": flow.theme, "pet_name": flow.pet_name,
                   "user_crop": flow.crop, "species": flow.species}  # fmt: skip
        try:
            await self.deps.call(
                self.deps.orders.request_preview, order_id=flow.order_id, choices=choices
            )
        except PetPixelError as exc:
            await interaction.followup.send(exc.message, ephemeral=True)
            return
        name = texts.esc(flow.pet_name or "")
        await self._watch(interaction, flow, "preview", texts.PREVIEW_WAIT.format(
            name=name, percent=0, label=""))  # fmt: skip

    async def preview_button(self, interaction: Interaction, flow: Flow, parts: list[str]) -> None:
        """Looks good (offer the packages), Try another style (the styles again) or Fix the crop
        (the crop presets)."""
        if flow.step != PREVIEW:
            await stale(interaction)
            return
        name = texts.esc(flow.pet_name or "")
        if parts[1:] == ["crop"]:
            flow.step = CROP
            await self.deps.call(self.deps.flows.put, flow)
            await interaction.response.edit_message(
                content=ASK_CROP, view=ui.crop_buttons(flow.order_id)
            )
            return
        if parts[1:] == ["style"]:
            flow.step = RESTYLE
            await self.deps.call(self.deps.flows.put, flow)
            await interaction.response.edit_message(
                content=texts.ASK_RESTYLE.format(name=name),
                view=ui.style_menu(flow.order_id, style_names()),
            )
            return
        flow.step = PACKAGE
        await self.deps.call(self.deps.flows.put, flow)
        content = texts.ASK_PACKAGE.format(name=name, style=texts.style_label(flow.style or ""))
        view = ui.package_buttons(flow.order_id, self.deps.settings)
        await interaction.response.edit_message(content=content, view=view)

    async def pick_crop(self, interaction: Interaction, flow: Flow, parts: list[str]) -> None:
        """A crop preset: redraw the preview from that part of the photo."""
        key = parts[1] if len(parts) > 1 else ""
        if flow.step != CROP or key not in CROPS:
            await stale(interaction)
            return
        box = CROPS[key][1]
        flow.crop, flow.step = (list(box) if box else None), PREVIEWING
        await self.deps.call(self.deps.flows.put, flow)  # before answering: no double press
        await interaction.response.edit_message(content=f"{CROPS[key][0]} – drawing it now…",
                                                view=None)  # fmt: skip
        await self.request_preview(interaction, flow)

    async def pick_species(self, interaction: Interaction, flow: Flow, parts: list[str]) -> None:
        """Cat / Dog / Other under the preview: keep the species it shows, or redraw as that."""
        species = parts[1] if len(parts) > 1 else ""
        if flow.step != PREVIEW or species not in SPECIES:
            await stale(interaction)
            return
        flow.step, flow.species = PREVIEWING, species
        await self.deps.call(self.deps.flows.put, flow)  # before answering: no double press
        d = self.deps
        st = await d.call(d.orders.status, order_id=flow.order_id)
        if st.species != species:
            await interaction.response.edit_message(
                content=f"{species_label(species)} – drawing it now…", view=None)  # fmt: skip
            await self.request_preview(interaction, flow)
            return
        flow.step = PREVIEW
        try:  # the preview already shows it: keep the choice, no redraw
            st = await d.call(d.orders.choose_species, order_id=flow.order_id, species=species)
        except PetPixelError as exc:
            await interaction.response.send_message(exc.message, ephemeral=True)
            return
        finally:
            await d.call(d.flows.put, flow)
        name = texts.esc(flow.pet_name or "")
        content = f"{preview_caption(st, name, flow.style or '')}\n" + texts.SPECIES_KEPT.format(
            label=species_label(species))  # fmt: skip
        await interaction.response.edit_message(
            content=content, view=ui.preview_buttons(flow.order_id, st.species)
        )

    async def fix(self, interaction: Interaction, flow: Flow, parts: list[str]) -> None:
        """After a photo problem: Fix the crop (the presets) or It's a pet, use Other (redraw)."""
        choice = parts[1] if len(parts) > 1 else ""
        if flow.step != FIX or choice not in ("crop", "use_other"):
            await stale(interaction)
            return
        if choice == "crop":
            flow.step = CROP
            await self.deps.call(self.deps.flows.put, flow)
            await interaction.response.edit_message(
                content=ASK_CROP, view=ui.crop_buttons(flow.order_id)
            )
            return
        flow.step, flow.species = PREVIEWING, "other"
        await self.deps.call(self.deps.flows.put, flow)
        await interaction.response.edit_message(
            content=f"{species_label('other')} – drawing it now…", view=None
        )
        await self.request_preview(interaction, flow)

    async def pick_package(self, interaction: Interaction, flow: Flow, parts: list[str]) -> None:
        """A package: free mode builds at once; Stripe gets a Pay link button, Discord Premium
        the SKU's buy button (premium.py pays the order when the purchase arrives)."""
        if flow.step != PACKAGE or len(parts) < 2:
            await stale(interaction)
            return
        if checkout_kind(self.deps.settings, "discord") == PREMIUM:
            try:
                sku_for(self.deps.settings, parts[1])  # refused before the order changes
            except PetPixelError as exc:
                await interaction.response.send_message(exc.message, ephemeral=True)
                return
        flow.step = PAYING
        await self.deps.call(self.deps.flows.put, flow)
        await interaction.response.defer()  # a Stripe session can take a moment to create
        d = self.deps
        try:
            checkout = await d.call(d.checkout.choose_package, order_id=flow.order_id,
                                    package=parts[1])  # fmt: skip
        except PetPixelError as exc:
            flow.step = PACKAGE
            await d.call(d.flows.put, flow)
            await interaction.followup.send(exc.message, ephemeral=True)
            return
        if checkout.free:
            await interaction.edit_original_response(content=texts.FREE_CHECKOUT, view=None)
        elif checkout.provider == PREMIUM and await self.bot.premium.use_credit(
            flow.owner, parts[1]
        ):  # bought earlier with no order waiting: paid at once with that purchase
            await interaction.edit_original_response(content=texts.PREMIUM_CREDIT_USED, view=None)
        elif checkout.provider == PREMIUM:
            view = ui.premium(int(checkout.reference or 0))
            await interaction.edit_original_response(content=texts.PREMIUM_CHECKOUT, view=view)
        else:
            view = ui.link("Pay", checkout.url or "", "💳")
            await interaction.edit_original_response(content=texts.STRIPE_CHECKOUT, view=view)
        flow.step = BUILDING
        await d.call(d.flows.put, flow)
        name = texts.esc(flow.pet_name or "")
        await self._watch(interaction, flow, "build", texts.BUILD_WAIT.format(
            name=name, percent=0, label=""))  # fmt: skip

    async def _watch(self, interaction: Interaction, flow: Flow, kind: str, text: str) -> None:
        """Post the progress message as an ephemeral follow-up and start its watcher. The watch
        is saved first: a restart at any point after the job was queued resumes it."""
        watch = Watch(order_id=flow.order_id, kind=kind, owner=flow.owner,
                      app_id=interaction.application_id, token=interaction.token,
                      born=interaction.created_at.timestamp(), message_id=None)  # fmt: skip
        await self.deps.call(self.deps.flows.put_watch, watch)
        msg = await interaction.followup.send(text, ephemeral=True, wait=True)
        watch.message_id = msg.id
        begin(self.bot, watch, text)


def _summary(flow: Flow) -> str:
    style = texts.style_label(flow.style or "")
    emoji, theme = texts.THEME_BLURBS.get(flow.theme or "", ("", flow.theme or ""))
    return f"**{texts.esc(flow.pet_name or '')}** · {style} · {emoji} {theme}"


async def stale(interaction: Interaction, text: str = texts.STALE) -> None:
    """A press from an older step: say so privately, change nothing."""
    await interaction.response.send_message(text, ephemeral=True)
