"""One Settings object, read from PETPIXEL_* environment variables once per entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MB = 1024 * 1024


class Settings(BaseSettings):
    """Every knob of the product; the defaults are the embedded, no-setup configuration."""

    model_config = SettingsConfigDict(env_prefix="PETPIXEL_", env_file=None, extra="ignore")

    # Where embedded data lives: SQLite file, local storage, installed models.
    data_dir: Path = Path("petpixel-data")
    public_url: str | None = None

    # Image intake limits.
    max_upload_bytes: int = 10 * MB
    min_image_side: int = 256
    max_image_pixels: int = 50_000_000
    # Memory: the estimated peak of one photo's decode (files needing more are refused before
    # decoding), how many photos a process decodes at once, and how long an upload waits for one.
    max_decode_mb: int = Field(default=400, ge=32)
    max_concurrent_decodes: int = Field(default=2, ge=1)
    decode_wait_s: float = Field(default=30.0, gt=0)

    # Background removal: "auto" tries rembg (when its model file is installed) then classical.
    cutout_backend: Literal["auto", "rembg", "classical"] = "auto"
    rembg_model: str = "u2netp"
    models_dir: Path | None = Field(default=None, description="U2NET_HOME; default DATA_DIR/models")

    # Diffusion stylizer (GPU workers): a local diffusers img2img directory enables it.
    model_path: Path | None = None

    # Services (unset = embedded defaults).
    database_url: str | None = None
    redis_url: str | None = None

    # --- Web app and `petpixel serve` ------------------------------------------------------------
    # Token buckets per client IP: sustained requests a minute and the burst allowed on top.
    # Uploads are tighter because each one can start a pipeline run.
    rate_limit_enabled: bool = True
    rate_limit_per_minute: int = 300
    rate_limit_burst: int = 120
    upload_rate_limit_per_minute: int = 10
    upload_rate_limit_burst: int = 5
    # Browser origins allowed to call the JSON API cross-site (JSON list; empty = same origin only).
    cors_origins: list[str] = Field(default_factory=list)
    # Uploads from everyone together (one budget per deployment, shared through Redis when set):
    # past it the upload gets 503 "busy, try again in N minutes" (web/ratelimit.py).
    global_upload_rate_per_minute: int = 60
    global_upload_burst: int = 30
    # Stripe and Telegram webhooks: their own generous per-address buckets (a burst of retries from
    # Stripe must not meet the page limits). /health and /metrics: a cheap bucket of their own.
    webhook_rate_limit_per_minute: int = 1200
    webhook_rate_limit_burst: int = 600
    probe_rate_limit_per_minute: int = 600
    probe_rate_limit_burst: int = 100
    # Verified runs (core/runs): submissions per client address (each one is replayed), and runs
    # kept per game a minute (everyone together); the longest trace (frames, [count, mask] pairs).
    runs_rate_limit_per_minute: int = 30
    runs_rate_limit_burst: int = 10
    runs_per_game_per_minute: int = 120
    runs_max_frames: int = 36_000  # 10 minutes at 60 steps a second
    runs_max_pairs: int = 8_000
    # Signs the launch tokens bots put in game links (HMAC-SHA256: game, community, player,
    # expiry); unset: no token is issued or accepted and runs are anonymous.
    runs_secret: str | None = None
    runs_token_ttl_s: int = 7 * 24 * 3600
    # Tracked client addresses in the in-memory limiter (least recently seen evicted first).
    rate_limit_max_clients: int = 100_000
    # Take the client IP from X-Forwarded-For: only behind a reverse proxy that sets it. The
    # address your proxy appended (the last one) is used; what the client sent before it is not.
    trust_proxy_headers: bool = False
    # Largest JSON body accepted by the API (photo uploads use max_upload_bytes instead).
    max_json_bytes: int = 64 * 1024
    # /metrics: with a token it answers only `Authorization: Bearer <token>` (set one in
    # production); without one it answers only this machine (a loopback peer, no proxy headers).
    metrics_token: str | None = None
    # `petpixel serve` connections: a request's headers must arrive within header_timeout_s (a
    # slow client holding a connection open is closed); idle keep-alive connections close after
    # keep_alive_timeout_s; past max_connections new requests get 503 (web/protocol.py).
    header_timeout_s: float = Field(default=10.0, gt=0)
    keep_alive_timeout_s: int = 5
    max_connections: int = 2048
    # Expensive work in flight (previews and builds queued or running, every process together):
    # past it new uploads and previews get "busy, try again in N minutes" on the web and in both
    # bots (core/orders/budget.py); 0 = no cap. Also uploads a minute from all channels.
    max_jobs_in_flight: int = 200
    max_uploads_per_minute: int = 120
    busy_retry_after_s: int = 120

    # --- Logs, metrics and error reports (core/observability) -------------------------------------
    # "text" (human, the embedded default) or "json": one object a line with time, level, logger,
    # message and the request/order/task/channel ids (set json in production). Secrets and photo
    # data are masked in both.
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    # `petpixel worker` serves Prometheus metrics (task durations, failures, retries, queue
    # lengths) on this port; unset = none.
    worker_metrics_port: int | None = Field(default=None, ge=1, le=65535)
    # Errors to Sentry (sentry-sdk, the `sentry` extra): unset = nothing is sent.
    sentry_dsn: str | None = None
    sentry_environment: str | None = None

    # --- Orders, jobs, storage, payments ---------------------------------------------------------
    # Packages: "preview" is always free; the paid ones are priced in the smallest currency unit.
    currency: str = "usd"
    price_classic: int = 499
    price_deluxe: int = 999
    # How a web buyer pays: "stripe" = Stripe Checkout, "free" = every package free, "auto" =
    # Stripe when stripe_secret_key is set, else free. Decided in core/payments/choose.py.
    payments_backend: Literal["auto", "free", "stripe"] = "auto"
    # Storage: "local" keeps files under DATA_DIR/storage, served by the web app at /files/.
    storage_backend: Literal["local", "s3"] = "local"
    s3_bucket: str = "petpixel"
    s3_endpoint_url: str | None = None  # MinIO or another S3-compatible server
    s3_region: str = "us-east-1"
    s3_public_url: str | None = None  # CDN / public bucket base; unset = presigned URLs
    # The S3 endpoint as browsers reach it, when it differs from s3_endpoint_url (compose: the app
    # talks to http://minio:9000, a browser to http://localhost:9000): presigned URLs are signed
    # for this host, which is the one the browser sends. Unset = s3_endpoint_url.
    s3_public_endpoint_url: str | None = None
    presign_expiry_s: int = 3600
    # Jobs: Celery over Redis when redis_url is set, else an in-process broker and worker thread.
    default_queue: str = "petpixel"
    gpu_queue: str = "gpu"  # reserved for diffusion work, served only by GPU workers
    # Set on EVERY process (senders and workers) when GPU workers run: previews and HD builds then
    # go to gpu_queue (core/jobs.py). Off (the default), every job goes to default_queue, so nothing
    # waits in a queue no worker serves (embedded mode, or production without a GPU worker).
    gpu_workers: bool = False
    task_time_limit_s: int = 900
    task_soft_time_limit_s: int = 840
    task_max_retries: int = 5
    task_retry_backoff_s: int = 2
    # With acks_late, Redis hands an unacknowledged task (its worker died) to another worker after
    # this long; it must exceed task_time_limit_s or a slow task would run twice.
    broker_visibility_timeout_s: int = 1800
    # Sweeper: orders stuck in paid/building this long are re-queued, up to max_build_attempts.
    sweeper_interval_s: float = Field(default=15.0, gt=0)
    # Embedded mode: seconds after start-up before the one sweep that re-queues what a previous
    # process left queued in memory (orders untouched since this process started).
    restart_sweep_delay_s: float = 5.0
    stuck_after_s: int = 900
    max_build_attempts: int = 3
    # A running preview or build holds its order's lease for job_lease_s, renewed every
    # job_heartbeat_s (core/orders/leases.py). A dead worker's job is queued again by the next sweep
    # after its lease ran out: within job_lease_s + sweeper_interval_s, not stuck_after_s.
    job_lease_s: float = Field(default=30.0, gt=0)
    job_heartbeat_s: float = Field(default=10.0, gt=0)
    # Unpaid orders (draft, preview ready, or failed before payment) idle this many hours are
    # deleted with their photo and previews by the sweeper; 0 keeps them forever. Orders waiting
    # for a payment are never expired (a late payment must find its order).
    draft_ttl_h: float = Field(default=48.0, ge=0)
    # Progress is written to the order row at most this often (final and first updates always).
    progress_interval_s: float = 1.0
    # "module:function" returning a core.orders.builds.Steps; unset = the real pipeline. Lets a
    # worker process run instrumented steps (the crash-recovery tests use it).
    build_steps: str | None = None
    # Sprite size for previews (None = the style's default) and how long games stay online.
    preview_sprite_size: int | None = None
    game_ttl_days: int | None = None
    # Play-page views are summed in memory and written this often (core/orders/viewcounts.py).
    view_flush_interval_s: float = Field(default=2.0, gt=0, le=300)

    # --- Stylizer before the pixelizer (docs/diffusion.md) ---------------------------------------
    # "auto": diffusion only when model_path holds a diffusers pipeline AND a CUDA GPU is present
    # (on CPU one 512 px photo takes minutes, far too slow for users); "diffusion" forces it,
    # CPU included; "classical" never imports torch.
    stylizer: Literal["auto", "classical", "diffusion"] = "auto"
    # img2img: diffusers' num_inference_steps (about steps * strength actually run), how far to
    # move from the photo (0 = keep it, 1 = ignore it), and the long side in pixels, snapped to a
    # multiple of 8 (SD 1.x was trained at 512).
    diffusion_steps: int = Field(default=30, ge=1, le=200)
    diffusion_strength: float = Field(default=0.55, gt=0.0, le=1.0)
    diffusion_resolution: int = Field(default=512, ge=64, le=2048)

    # --- Telegram bot, `petpixel bot telegram` ---------------------------------------------------
    # `petpixel serve` also runs each bot whose token is set (one command, the whole product).
    # False: web never starts a bot even with the tokens set, which it still uses to send order
    # notices; the bots run as their own processes (compose's telegram-bot / discord-bot).
    serve_bots: bool = True
    # Token from @BotFather. API URL: a self-hosted Bot API server ("http://127.0.0.1:8081/bot");
    # unset = api.telegram.org. WEBHOOK_URL: the web app's public base URL; set = webhook mode
    # (updates arrive at a secret path checked with WEBHOOK_SECRET), unset = long polling.
    telegram_token: str | None = None
    telegram_api_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    # The Telegram Game registered with @BotFather (/newgame; its URL domain is public_url's, and
    # /setinline + /setinlinefeedback for sharing with inline mode). Set: /challenge posts games
    # into chats, Play opens a signed link, and verified runs update the chat's high scores.
    telegram_game_short_name: str | None = None
    # How a Telegram user pays for a game: Telegram Stars inside the chat, a Stripe link, or free.
    telegram_checkout: Literal["stars", "stripe", "free"] = "free"
    # Stars (XTR) per package; Stars are whole units, no cents.
    telegram_stars_classic: int = 250
    telegram_stars_deluxe: int = 500
    # Per-user limits: orders still being made at once, and photos accepted per hour.
    telegram_max_active_orders: int = 2
    telegram_uploads_per_hour: int = 10
    # The Bot API lets bots download files up to 20 MB; intake then applies max_upload_bytes.
    telegram_max_download_bytes: int = 20 * MB
    # How often the bot polls an order's status, and the least time between two progress edits.
    telegram_poll_interval_s: float = 0.5
    telegram_edit_interval_s: float = 1.0
    # Flood-control pacing (PTB's AIORateLimiter); tests turn it off, production keeps it on.
    telegram_rate_limiter: bool = True

    # --- Discord bot, `petpixel bot discord` -----------------------------------------------------
    # Bot token from the Discord developer portal. API_URL / GATEWAY_URL point discord.py at a
    # proxy or a local fake ("http://127.0.0.1:9000/api/v10", "ws://127.0.0.1:9000/gateway");
    # unset = Discord itself. GUILD_ID syncs the slash commands to one server (instant, for
    # development) instead of globally.
    discord_token: str | None = None
    discord_api_url: str | None = None
    discord_gateway_url: str | None = None
    discord_guild_id: int | None = None
    # Per-user limits, as on Telegram: orders being made at once, and photos accepted per hour.
    discord_max_active_orders: int = 2
    discord_uploads_per_hour: int = 10
    # How often the bot polls an order's status, and the least time between two progress edits.
    discord_poll_interval_s: float = 0.5
    discord_edit_interval_s: float = 1.0
    # Interaction tokens die after 15 minutes; past this age the bot talks by DM instead.
    discord_token_ttl_s: float = 840.0
    # How a Discord user pays for a game: "premium" = Discord Premium Apps (a premium button for
    # the package's consumable SKU; core/payments/discord_premium.py), "stripe" = a Stripe link,
    # "free"; "auto" = premium when SKUs are configured, else as on the web (payments_backend).
    discord_checkout: Literal["auto", "premium", "stripe", "free"] = "auto"
    # Package name -> consumable SKU id from the developer portal, as JSON in the environment:
    # PETPIXEL_DISCORD_SKUS='{"classic": 123, "deluxe": 456}'. Price each SKU no higher than
    # the package (Discord requires it).
    discord_skus: dict[str, int] = Field(default_factory=dict)

    # --- Stripe Checkout (core/payments/stripe.py) -----------------------------------------------
    # A secret key lets a checkout use Stripe ("auto" on the web then does). The webhook secret
    # ("whsec_...") verifies POST /webhooks/stripe; events older than the tolerance are refused.
    # API_BASE points the real client at another server (a local fake in tests); unset = Stripe.
    # Price ids per package are optional: unset = price_data from price_classic/price_deluxe.
    # Stripe needs absolute return URLs, so PETPIXEL_PUBLIC_URL must be set with a secret key.
    stripe_secret_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_webhook_tolerance_s: int = 300
    stripe_api_base: str | None = None
    stripe_price_classic: str | None = None
    stripe_price_deluxe: str | None = None
    # Network retries inside the stripe library (safe: every create carries an Idempotency-Key).
    stripe_max_network_retries: int = 2
    # Refund through Stripe when a paid build finally fails (False: only mark it refund-due).
    stripe_auto_refund: bool = True

    @property
    def resolved_models_dir(self) -> Path:
        return self.models_dir if self.models_dir is not None else self.data_dir / "models"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'petpixel.db').resolve()}"


def load_settings(**overrides: object) -> Settings:
    """Build Settings from the environment, with explicit overrides winning (for tests and CLIs)."""
    return Settings(**overrides)  # type: ignore[arg-type]
