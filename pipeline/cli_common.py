"""What the command modules share: the consoles they print to, the common options, and how a
command finds the project config and its output folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

# Piped or logged output has no terminal width; don't truncate the summary table to 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="Project config file.", show_default=True)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def load_project(config: Path):
    """The project config named by `--config`, loaded and validated."""
    from pipeline.config import load_config

    return load_config(config)


def output_dir(loaded, out_dir: Path | None) -> Path:
    """The output folder: `--out` when given, else the config's `out_dir`."""
    return (out_dir or loaded.resolve(loaded.config.out_dir)).resolve()
