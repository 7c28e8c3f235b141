"""`petpixel serve`: the web app, order page and play pages on embedded defaults, one command."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.common import bot_companions, load_cli_settings, user_errors
from core.config import Settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Interface (0.0.0.0 for your network).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Run the web app: SQLite, local files and in-process jobs unless configured otherwise."""
    import uvicorn

    from runtime import check_payments, observe
    from web.app import create_app

    settings = with_public_url(load_cli_settings(), host, port)
    observe(settings, role="web")  # logs (text or JSON), Sentry, request ids into tasks
    with user_errors():
        check_payments(settings)  # before the server starts: one clear line, no traceback
    print(f"PetPixel is running at {settings.public_url}")
    print(f"Data lives in {settings.data_dir.resolve()} (set PETPIXEL_DATA_DIR to move it).")
    print("Press Ctrl+C to stop.")
    companions = bot_companions(settings)  # the one command runs the whole product, bots too
    for name in companions:
        mode = ""
        if name == "telegram":
            mode = " (webhook)" if settings.telegram_webhook_url else " (polling)"
        print(f"The {name.title()} bot runs in this process too{mode}.")
    web = create_app(settings, companions=companions)
    # log_config=None: uvicorn's loggers reach our handler (observe) instead of their own.
    uvicorn.run(web, host=host, port=port, log_level="info", log_config=None,
                **server_options(settings))  # fmt: skip


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's connection limits (web/protocol.py says what still needs a proxy in front)."""
    from web.protocol import header_deadline_protocol

    return {
        "proxy_headers": settings.trust_proxy_headers,
        "server_header": False,
        "http": header_deadline_protocol(settings.header_timeout_s),  # slow headers: closed
        "timeout_keep_alive": settings.keep_alive_timeout_s,  # idle kept-alive connections
        "limit_concurrency": settings.max_connections,  # past it: 503 at once
        "h11_max_incomplete_event_size": 16 * 1024,  # request line + headers, h11 protocol
    }


def with_public_url(settings: Settings, host: str, port: int) -> Settings:
    """Links point at PETPIXEL_PUBLIC_URL when set, else at the address we serve on."""
    if settings.public_url:
        return settings
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"  # an IPv6 literal needs brackets inside a URL
    return settings.model_copy(update={"public_url": f"http://{shown}:{port}"})
