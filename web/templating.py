"""Jinja2 templates with autoescaping on: every user string (pet names) is escaped by default.

Templates and static files are package data of `web`, found through importlib.resources.
Templates link static files with `static_url('app.css')`: the URL carries the file's content
hash, so browsers may cache it for good (web/caching.py)."""

from __future__ import annotations

from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from core.package_data import package_folder
from web.caching import file_version

TEMPLATES_DIR = package_folder("web", "templates")
STATIC_DIR = package_folder("web", "static")

templates = Jinja2Templates(directory=TEMPLATES_DIR)


@pass_context
def static_url(context: Any, name: str) -> str:
    """The versioned URL of a static file, e.g. /static/app.css?v=1a2b3c4d5e6f."""
    url = context["request"].url_for("static", path=name)
    return f"{url}?v={file_version(STATIC_DIR, name)}"


templates.env.globals["static_url"] = static_url
