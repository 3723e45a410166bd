"""The `ripple` command line: a thin layer that parses arguments, calls the library and
prints results. Exit codes: 0 success, 1 data error (a file or run rejected), 2 usage or
configuration error.

The commands live by concern: `cli_setup` (detect, init, keygen), this module (validate, run,
version) and `cli_outputs` (dashboard, report, schema); `cli_common` holds what they share and
`cli_print` what they print."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from pipeline import __version__
from pipeline.cli_common import ConfigOption, JsonOption, err, load_project, out, output_dir
from pipeline.cli_outputs import dashboard, report, schema
from pipeline.cli_print import report_and_exit
from pipeline.cli_setup import detect, init, keygen
from pipeline.errors import RippleError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Ripple: survey exports in, a scored DuckDB warehouse and a funders' dashboard out.",
)


def main() -> None:
    """Entry point of the `ripple` script: run a command, turning errors into exit codes."""
    try:
        exit_code = app(standalone_mode=False)  # without standalone mode, click returns it
    except RippleError as exc:
        err.print(f"ripple: {exc}", markup=False)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("ripple: aborted")
        sys.exit(1)
    except Exception as exc:  # a click usage error, or a bug
        _report_unexpected(exc)
    sys.exit(exit_code or 0)


def _report_unexpected(exc: Exception) -> None:
    from typer.exceptions import TyperException  # usage errors (typer vendors click)

    if isinstance(exc, TyperException) and hasattr(exc, "show"):
        exc.show()
        sys.exit(getattr(exc, "exit_code", 2))
    if os.environ.get("RIPPLE_DEBUG"):
        traceback.print_exc()
    else:
        err.print(
            f"ripple: internal error ({type(exc).__name__}). Re-run with RIPPLE_DEBUG=1 to see "
            "the traceback; it may contain data values, so do not share it publicly.",
            markup=False,
        )
    sys.exit(1)


def validate(config: ConfigOption = Path("ripple.yml"), as_json: JsonOption = False) -> None:
    """Run everything up to landing (read, exclude, validate, anonymise) and write nothing.

    Prints per-file counts and the reasons rows would be excluded or quarantined.
    Needs the pseudonymisation key (RIPPLE_KEY or RIPPLE_KEY_FILE), as `run` does.

    Example: ripple validate -c ripple.yml
    """
    from pipeline.keys import load_key
    from pipeline.run import validate_project

    key = load_key()
    loaded = load_project(config)
    report_and_exit(
        out, err, validate_project(loaded, key, output_dir(loaded, None)), as_json, published=False
    )


def run(
    config: ConfigOption = Path("ripple.yml"),
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: out_dir in the config).")
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option("--rebuild", help="Start from an empty warehouse and re-read every export."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Run the whole pipeline and publish ripple.duckdb and dashboard.duckdb.

    Each export listed in the config is read, cleaned of previews, tests and duplicates,
    validated, anonymised and added to the warehouse; files loaded by an earlier run are not
    loaded again. Both databases and the Data Docs are built in a new release folder
    (OUT/releases/) and published together by one atomic swap of OUT/current; OUT/ripple.duckdb
    and OUT/dashboard.duckdb are links through it. One run at a time per output folder.
    Prints each file's accounting: rows in = loaded + excluded + quarantined.

    Example: RIPPLE_KEY_FILE=~/.ripple/programme.key ripple run -c ripple.yml --out out/
    """
    from pipeline.keys import load_key
    from pipeline.run import run_project

    key = load_key()
    loaded = load_project(config)
    report_and_exit(
        out, err, run_project(loaded, key, output_dir(loaded, out_dir), rebuild=rebuild), as_json
    )


def version() -> None:
    """Print Ripple's version.

    Example: ripple version
    """
    out.print(__version__)


# registered in one place because `ripple --help` lists the commands in this order
for command in (detect, init, validate, run, dashboard, report, schema, keygen, version):
    app.command()(command)
