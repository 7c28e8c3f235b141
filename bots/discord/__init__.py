"""The Discord bot (discord.py 2.7): slash commands and components over core's order services.

    petpixel bot discord            # or `petpixel serve` with PETPIXEL_DISCORD_TOKEN set

Layout: bot.py (the client, start-up, command sync), cogs/orders.py (/pixelpet and every button,
select and modal, routed by custom_id), cogs/account.py (/mygames, /help, /privacy, /delete),
watch.py (progress watchers), flow.py (per-order state in the database), notify.py (payment DMs
from web and worker processes), texts.py (every sentence), ui.py (components).
"""
