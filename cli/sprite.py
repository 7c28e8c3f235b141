"""`petpixel sprite` and `petpixel styles`: the sprite pipeline from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cli.common import load_cli_settings, print_progress, user_errors
from core.errors import ImageRejected
from core.hero.traits import check_species
from core.pixelart.styles import STYLES
from core.progress import ProgressFn


def register(app: typer.Typer) -> None:
    app.command("sprite")(sprite)
    app.command("styles")(styles)


def sprite(
    photo: Annotated[Path, typer.Argument(help="Pet photo: JPEG, PNG, WebP or HEIC.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write results into.")],
    style: Annotated[str, typer.Option(help="Style name; see `petpixel styles`.")] = "16bit",
    size: Annotated[
        int | None, typer.Option(help="Sprite size in pixels (16-128); style default if unset.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same sprite.")] = 0,
    species: Annotated[
        str, typer.Option(help="cat, dog, other (the photo's own pose) or auto (guess).")
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Turn a pet photo into sprite.png, sheet.png, sheet.json, preview.gif and mask.png."""
    from core.pipeline import make_sprite

    settings = load_cli_settings()
    with user_errors():
        data = _read_photo(photo)
        result = make_sprite(
            data, settings=settings, style=style, size=size, seed=seed,
            progress=_progress(as_json), species=check_species(species),
        )  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    result.sprite.save(out / "sprite.png")
    result.sheet.save(out / "sheet.png")
    (out / "sheet.json").write_text(json.dumps(result.atlas, indent=1))
    (out / "preview.gif").write_bytes(result.preview_gif)
    result.mask.save(out / "mask.png")
    if as_json:
        print(json.dumps(result.summary()))
    else:
        guessed = " (guessed)" if result.species_guessed else ""
        print(f"Sprite written to {out} ({result.species}{guessed}, {result.style}, "
              f"{result.visible_height}px tall, {result.cutout_backend})")  # fmt: skip


def styles() -> None:
    """List the pixel-art styles."""
    for style in STYLES.values():
        print(f"{style.name:<9} {style.description}")


def _read_photo(path: Path) -> bytes:
    if not path.is_file():
        raise ImageRejected(f"No such file: {path}", code="file_not_found")
    return path.read_bytes()


def _progress(quiet: bool) -> ProgressFn | None:
    return None if quiet else print_progress
