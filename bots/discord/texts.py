"""Every sentence the Discord bot says, in one voice: short, warm, saying what to do next.

Messages use Discord markdown; anything a user typed goes through `esc` first.
"""

from __future__ import annotations

import discord

from core.petnames import MAX_NAME

STYLE_BLURBS: dict[str, tuple[str, str]] = {
    "8bit": ("👾", "8-bit: chunky NES pixels, few colours"),
    "16bit": ("🕹", "16-bit: rich SNES colours (our favourite)"),
    "modern": ("✨", "Modern: smooth indie pixel art"),
    "gameboy": ("🟩", "Game Boy: four shades of green"),
    "pico8": ("🍓", "PICO-8: the famous 16-colour palette"),
}
THEME_BLURBS: dict[str, tuple[str, str]] = {
    "park": ("🌳", "Sunny Park"),
    "beach": ("🏖", "Beach Day"),
    "snow": ("❄️", "Snowy Hills"),
    "city": ("🏙", "City Rooftops"),
    "space": ("🚀", "Moon Base"),
}


def esc(text: str) -> str:
    """Escape user text for Discord markdown and mentions."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def style_label(style: str) -> str:
    return STYLE_BLURBS.get(style, ("", style))[1].split(":")[0]


HELP = (
    "**How PetPixel works** 🐾\n"
    "1. Type `/pixelpet` and attach a photo of your pet (add `name:` if you like).\n"
    "2. Pick a style and a world.\n"
    "3. Get a free animated preview in seconds.\n"
    "4. Like it? Pick a game package and play!\n\n"
    "`/mygames` – your games\n`/challenge` – post your game for this server to beat\n"
    "`/leaderboard` – this server's best runs\n`/privacy` – what we keep\n"
    "`/delete` – delete your photos, games and scores"
)
PRIVACY = (
    "**What we keep**\n"
    "• The photos you send, to draw your pet.\n"
    "• The sprites, previews and games made from them.\n"
    "• Your Discord user id, so your games stay yours.\n"
    "• Scores you play from a server's challenge: your Discord id and display name, shown on that "
    "server's `/leaderboard` only.\n\n"
    "We never share your photos. Use `/delete` at any time to remove your photos, games and scores."
)
ASK_STYLE = "Got your photo! ✅ Pick a style:"
ASK_RESTYLE = "Pick another style for **{name}**:"
STYLE_PLACEHOLDER = "Choose a style…"
ASK_THEME = "{style} it is! Where should your pet adventure?"
ASK_NAME_TITLE = "Your pet's name"
NAME_LABEL = f"Name (up to {MAX_NAME} characters)"
PREVIEW_WAIT = "🎨 Drawing {name}… {percent}% {label}"
BUILD_WAIT = "🛠 Building {name}'s game… {percent}% {label}"
PREVIEW_CAPTION = "Here's **{name}** in {style}! Happy with it?"
PREVIEW_DONE = "🎨 Preview ready! It's just below."
BUILD_DONE = "🛠 Your game is built! The link is just below."
ASK_PACKAGE = "Here's **{name}** in {style}! Pick your game:"
FREE_CHECKOUT = "Free during early access – starting your game now! 🚀"
STRIPE_CHECKOUT = "Tap **Pay** to pay securely. I'll start building as soon as it's paid."
PREMIUM_SAVED = (
    "Thanks for your purchase! 💜 I couldn't find a game waiting for it, so it's saved on your "
    "account: pick that package after your next `/pixelpet` and it's used right away."
)
PREMIUM_CREDIT_USED = "You already bought this package, so I'm using that purchase now! 🚀"
PREMIUM_CHECKOUT = "Tap the button below to buy it in Discord. I'll start building once it's paid!"
PREMIUM_REFUND = (
    "You paid in Discord, so Discord makes the refund: ask at <https://support.discord.com> "
    "and mention order `{order}`. We've noted it on our side too. Sorry about that! 🙏"
)
CHECKOUT_ENDED = "This checkout ended without a payment, so nothing was charged. Pick a package:"
GAME_READY = "🎉 **{name}**'s game is ready!\nPlay it here: {url}"
PREVIEW_FAILED = "{reason}\nTry `/pixelpet` with another photo."
FIX_ASK = "Tap below to try again, or use `/pixelpet` with another photo. 📷"
SPECIES_KEPT = "{label} it is! ✓"
BUILD_FAILED = "{reason}"
MOVED_TO_DM = "This is taking a while, so I'll message you here when it's done. ⏳"
NO_GAMES = "You don't have any games yet. Use `/pixelpet` with a photo of your pet to make one!"
GAMES_HEADER = "**Your games**"
GAME_LINE = "• [{name}](<{url}>) – {views} plays, best score {best}"
DELETE_CONFIRM = (
    "This deletes **all** your photos, previews, games and scores, and their links stop working. "
    "Are you sure?"
)
DELETED = "Done, all gone. 🧹 (orders: {orders}, games: {games}, files: {files})"
DELETE_KEPT = "Phew! Nothing was deleted."

# Leaderboards and challenges (names as Discord gives them, always through `esc`).
BOARD_TITLE = "🏆 Best runs in {guild}"
THIS_SERVER = "this server"
BOARD_LINE = "`#{rank}` **{player}** – {score} · {pet}"
BOARD_FOOTER = "Page {page} of {pages} · verified runs only"
BOARD_EMPTY = (
    "No runs on this server yet. Post a game with `/challenge` and be the first on the board! 🏁"
)
SERVER_ONLY = "That works in a server, not here. Try it in a channel of your server. 🏟"
CHALLENGE = (
    "🏁 **{who}** challenges everyone to beat **{pet}**'s game! Tap **Play** for your own link."
)
CHALLENGE_BEST = "Best here so far: **{player}** with {score}."
NO_GAME_TO_SHARE = "You don't have a finished game yet. Use `/pixelpet` to make one! 🐾"
UNKNOWN_GAME = "I couldn't find that game. Pick one of yours from the list."
GAME_GONE = "That game is no longer available. 🙈"
PLAY_LINK = (
    "Here's your own link to **{pet}**'s game: your score counts on this server's "
    "`/leaderboard` as **{player}**. It's just for you, so please don't pass it on. 🎮"
)
NO_SCORES_FEATURE = "Leaderboards aren't switched on for this bot."

# Unexpected input and limits: say what happened and what to do.
NOT_AN_IMAGE = "That file isn't a photo I can read. Please attach a JPEG, PNG, WebP or HEIC image."
TOO_BIG = "That file is too big for me (over {mb} MB). Please attach a smaller photo."
TRY_AGAIN = "Try `/pixelpet` again with another photo. 📷"
STALE = "That button is from an older step. Use `/pixelpet` to start again."
NOT_YOURS = "That's someone else's pet! Use `/pixelpet` to make your own. 🐾"
BUSY = (
    "You can have {count} creation(s) in progress at a time. Please wait for one to finish, "
    "then try again. ⏳"
)
TOO_MANY_UPLOADS = "That's a lot of photos! Please wait a bit – you can send more in an hour."
SORRY = "Oops, something went wrong on my side. 🙈 Please try `/pixelpet` again."
