"""`petpixel game`: photo -> sprite -> levels -> a static game folder you can host anywhere."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated

import typer
from PIL import Image

from cli.common import load_cli_settings, print_progress, user_errors
from core.errors import ImageRejected
from core.hero.traits import check_species
from core.petnames import MAX_NAME, clean_name

NAME_HELP = f"The pet's name, shown in the game (1 to {MAX_NAME} characters)."


def register(app: typer.Typer) -> None:
    app.command("game")(game)


def game(
    photo: Annotated[Path, typer.Argument(help="Pet photo: JPEG, PNG, WebP or HEIC.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the game into.")],
    name: Annotated[str, typer.Option(help=NAME_HELP)] = "Pixel",
    style: Annotated[str, typer.Option(help="Style name; see `petpixel styles`.")] = "16bit",
    levels: Annotated[int, typer.Option(help="Number of levels (1-10); the last has a boss.")] = 3,
    theme: Annotated[str, typer.Option(help="park, beach, snow, city or space.")] = "park",
    difficulty: Annotated[int, typer.Option(help="1 (relaxed) to 5 (tough).")] = 2,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same game.")] = 0,
    species: Annotated[
        str, typer.Option(help="cat, dog, other (the photo's own pose) or auto (guess).")
    ] = "auto",
) -> None:
    """Build a playable platformer starring the pet in the photo."""
    from core.levels import generate_levels
    from core.levels.generator import check_request
    from core.packaging import build_bundle, player_box, write_bundle

    settings = load_cli_settings()
    with user_errors():
        # Cheap checks first, so a typo fails before the photo is processed.
        check_request(theme=theme, difficulty=difficulty, count=levels)
        name = clean_name(name)
        data = _read_photo(photo)
        from core.pipeline import make_sprite  # heavy imports only once the cheap checks pass

        sprite = make_sprite(
            data, settings=settings, style=style, seed=seed, progress=print_progress,
            species=check_species(species),
        )  # fmt: skip
        # Levels are proven with the hero's own hitbox, which only the sprite's atlas knows.
        level_list = generate_levels(
            seed=seed, theme=theme, difficulty=difficulty, count=levels,
            player=player_box(sprite.atlas),
        )  # fmt: skip
        bundle = build_bundle(
            sheet_png=_png(sprite.sheet),
            atlas=sprite.atlas,
            levels=level_list,
            pet_name=name,
            style=sprite.style,
            theme=theme,
            seed=seed,
            palette=sprite.palette,
        )
        write_bundle(bundle, out)
    print(f"Game written to {out} ({len(level_list)} levels, {theme}).")
    print(f"Play it: python -m http.server -d {out}, then open http://localhost:8000/")


def _read_photo(path: Path) -> bytes:
    if not path.is_file():
        raise ImageRejected(f"No such file: {path}", code="file_not_found")
    return path.read_bytes()


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()
