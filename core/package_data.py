"""Where PetPixel's data files are: package data found through importlib.resources.

The game template (`game_template/`), web templates and static files (`web/`) and the Alembic
migrations (`core/orders/migrations/`) ship inside their packages. They are found from the imported
package, never from `__file__` or the checkout's layout, so a wheel (`pip install .`) and an
editable install find the same files."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

GAME_TEMPLATE = "game_template"


def game_template() -> Traversable:
    """The HTML5 game's files: index.html, physics.json, js/ and css/."""
    return files(GAME_TEMPLATE)


def package_folder(package: str, *parts: str) -> Path:
    """A folder of package data as a path on disk, for libraries that take only paths
    (Jinja2's FileSystemLoader, Starlette's StaticFiles, Alembic's script_location)."""
    found: Traversable = files(package)
    for part in parts:
        found = found.joinpath(part)
    if not isinstance(found, Path) or not found.is_dir():
        where = "/".join((package, *parts))
        raise RuntimeError(f"{where} is not a folder on disk: install PetPixel unzipped")
    return found
