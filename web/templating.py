"""Jinja2 templates with autoescaping on: every user string (pet names) is escaped by default.

Templates and static files are package data of `web`, found through importlib.resources."""

from __future__ import annotations

from fastapi.templating import Jinja2Templates

from core.package_data import package_folder

TEMPLATES_DIR = package_folder("web", "templates")
STATIC_DIR = package_folder("web", "static")

templates = Jinja2Templates(directory=TEMPLATES_DIR)
