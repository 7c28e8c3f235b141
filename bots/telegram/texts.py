"""Every sentence the Telegram bot says, in one voice: short, warm, saying what to do next.

Messages use HTML parse mode; anything the user typed goes through `html.escape` (see `esc`).
"""

from __future__ import annotations

import html

from core.petnames import MAX_NAME

STYLE_BLURBS: dict[str, str] = {
    "8bit": "👾 8-bit: chunky NES pixels, few colours",
    "16bit": "🕹 16-bit: rich SNES colours (our favourite)",
    "modern": "✨ Modern: smooth indie pixel art",
    "gameboy": "🟩 Game Boy: four shades of green",
    "pico8": "🍓 PICO-8: the famous 16-colour palette",
}
THEME_BLURBS: dict[str, str] = {
    "park": "🌳 Sunny Park",
    "beach": "🏖 Beach Day",
    "snow": "❄️ Snowy Hills",
    "city": "🏙 City Rooftops",
    "space": "🚀 Moon Base",
}


def esc(text: str) -> str:
    """Escape user text for HTML parse mode."""
    return html.escape(text, quote=False)


WELCOME = (
    "Hi! I'm <b>PetPixel</b> 🐾\n"
    "Send me a photo of your pet and I'll turn it into a pixel-art hero with its own little "
    "platformer game.\n\nTip: one pet, good light, the whole body in view works best."
)
HELP = (
    "<b>How it works</b>\n"
    "1. Send a photo of your pet (as a photo or as a file).\n"
    "2. Pick a style, a name and a world.\n"
    "3. Get a free animated preview in seconds.\n"
    "4. Like it? Pick a game package and play!\n\n"
    "/new – start over with a new photo\n/mygames – your games\n/cancel – stop what we're doing\n"
    "/challenge – post your game in a group for everyone to beat\n"
    "/leaderboard – this chat's best verified runs\n"
    "/privacy – what we keep\n/delete – delete your photos, games and scores"
)
PRIVACY = (
    "<b>What we keep</b>\n"
    "• The photos you send, to draw your pet.\n"
    "• The sprites, previews and games made from them.\n"
    "• Your Telegram user id, so your games stay yours.\n"
    "• Scores you play from a game posted in a chat: your Telegram id and first name, shown in "
    "that chat only.\n\n"
    "We never share your photos. Send /delete at any time to remove your photos, games and scores "
    "for good."
)
ACK = "Got your photo! 📸 Taking a look…"
ALBUM_ASK = "You sent {count} photos. Which one shall I use?"
ASK_STYLE = "Lovely! Pick a style:"
PHOTO_OK = "Got your photo! ✅"
STYLE_LEGEND = "Left to right: {names}"
ASK_NAME = f"Great choice. What's your pet's name? (up to {MAX_NAME} characters)"
ASK_THEME = "Where should <b>{name}</b> adventure?"
ASK_PACKAGE = "Pick your game:"
PREVIEW_CAPTION = "Here's <b>{name}</b> in {style}! Happy with it?"
PREVIEW_WAIT = "🎨 Drawing {name}… {percent}% {label}"
BUILD_WAIT = "🛠 Building {name}'s game… {percent}% {label}"
PREVIEW_DONE = "🎨 Preview ready!"
BUILD_DONE = "🎮 Game ready!"
CHECKOUT_ENDED = "This checkout ended without a payment, so nothing was charged."
GAME_READY = "🎉 <b>{name}</b>'s game is ready!\nPlay it here: {url}"
SHARE_TEXT = "Play {name}'s pixel adventure!"
FREE_CHECKOUT = "Free during early access – starting your game now! 🚀"
STRIPE_CHECKOUT = "Tap the button to pay securely. I'll start building as soon as it's paid."
INVOICE_TITLE = "{package} – {name}"
INVOICE_DESCRIPTION = "A pixel-art platformer starring {name}."
PAID = "Payment received, thank you! ⭐ Building your game now."
PAYMENT_REFUNDED = "I've refunded your {stars} Stars. Sorry about that! Send /new to try again."
CANCELLED = "Okay, stopped. Send a photo whenever you like, or /new to start fresh."
NEW = "Fresh start! Send me a photo of your pet. 🐶🐱"
NO_GAMES = "You don't have any games yet. Send me a pet photo to make one!"
GAMES_HEADER = "<b>Your games</b>"
GAME_LINE = '• <a href="{url}">{name}</a> – {views} plays, best score {best}'
DELETE_CONFIRM = (
    "This deletes <b>all</b> your photos, previews, games and scores, and their links stop "
    "working. "
    "Are you sure?"
)
DELETED = "Done, all gone. 🧹 (orders: {orders}, games: {games}, files: {files})"
DELETE_KEPT = "Phew! Nothing was deleted."
RESUMED = "Welcome back! Here's where your order stands."
RESUME_UNKNOWN = "I couldn't find that order. Send me a photo to start a new one!"
REFERRAL_THANKS = "Welcome! A friend sent you here. 💌"

# Games in chats and their leaderboards (names as Telegram gives them, always through `esc`).
PLAY_BUTTON = "🎮 Play {name}"  # a button label: plain text, no HTML
CHALLENGE_BUTTON = "🏁 Challenge a group"
GAMES_OFF = "Games in chats aren't switched on for this bot."
NO_GAME_TO_SHARE = "You don't have a finished game yet. Send me a pet photo to make one!"
UNKNOWN_GAME = "I couldn't find that game among yours. /mygames lists them."
GAME_GONE = "That game is no longer available."
BOARD_TITLE = "🏆 <b>Best runs in {chat}</b>"
BOARD_LINE = "{rank}. <b>{player}</b> – {score} · {pet}"
BOARD_FOOTER = "<i>Verified runs only. /challenge posts a game to beat.</i>"
BOARD_EMPTY = "No runs in this chat yet. Post a game with /challenge and be the first! 🏁"
THIS_CHAT = "this chat"

# Unexpected input: say what happened and what to do.
WANT_PHOTO = "I need a photo of your pet to get going. 📷 Send one as a photo or as an image file."
STICKER = "Cute sticker! But I need a real photo of your pet. 📷"
VIDEO = "Videos are fun, but I can only work with a still photo. Please send a photo instead."
NOT_AN_IMAGE = "That file isn't a photo I can read. Please send a JPEG, PNG, WebP or HEIC image."
TOO_BIG = "That file is too big for me (over {mb} MB). Please send a smaller photo."
USE_BUTTONS = "Please tap one of the buttons above. 👆"
NAME_NOT_TEXT = "Please type your pet's name as text."
NOTHING_TO_DO = "Send me a photo of your pet to begin, or /help to see what I can do."
STALE_BUTTON = "That button is from an older message. Send /new to start again."
BUSY = (
    "You can have {count} creation(s) in progress at a time. Please wait for one to finish, "
    "then send your photo again. ⏳"
)
TOO_MANY_UPLOADS = "That's a lot of photos! Please wait a bit – you can send more in an hour."
PREVIEW_FAILED = "{reason}\nPlease send another photo."
PREVIEW_FAILED_FIX = "{reason}\nTap below, or just send me another photo. 📷"
SPECIES_KEPT = "{label} it is! ✓"
BUILD_FAILED = "{reason}"
SORRY = "Oops, something went wrong on my side. 🙈 Please try again, or send /new to start over."
