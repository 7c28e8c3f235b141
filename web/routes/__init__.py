"""Every router of the app, one module per area."""

from __future__ import annotations

from fastapi import APIRouter

from web.routes import docs, games, health, images, pages, pixel_art, play, runs

ROUTERS: list[APIRouter] = [
    health.router,
    docs.router,
    images.router,
    pixel_art.router,
    games.router,
    runs.router,
    pages.router,
    play.router,
]
