"""The `petpixel` console script: one Typer app, one module per command group."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="petpixel",
    help="PetPixel: turn a pet photo into a playable pixel-art platformer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module exposes register(app). Listed explicitly so a missing module is an import error, not a
# silently absent command.
CLI_MODULES: list[str] = [
    "cli.sprite",
    "cli.serve",
    "cli.game",
    "cli.worker",
    "cli.db",
    "cli.payments",
    "cli.bot",
    "cli.models",
    "cli.health",
    "cli.backup",
]

for _name in CLI_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    """Entry point of the console script."""
    app()


if __name__ == "__main__":
    main()
