"""The `ripple` command line: a thin layer that parses arguments, calls the library and
prints results. Exit codes: 0 success, 1 data error (a file or run rejected), 2 usage or
configuration error."""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline import __version__
from pipeline.cli_print import report_and_exit
from pipeline.errors import ConfigError, RippleError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Ripple: survey exports in, a scored DuckDB warehouse and a funders' dashboard out.",
)
# Piped or logged output has no terminal width; don't truncate the summary table to 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Path, typer.Option("--config", "-c", help="Project config file.", show_default=True)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


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


def _load(config: Path):
    from pipeline.config import load_config

    return load_config(config)


def _out_dir(loaded, out_dir: Path | None) -> Path:
    return (out_dir or loaded.resolve(loaded.config.out_dir)).resolve()


@app.command()
def detect(
    exports: Annotated[list[Path], typer.Argument(help="Export files to inspect.")],
    columns: Annotated[
        bool,
        typer.Option(
            "--columns",
            help="List each column: stable key, header text and a few answer values (never "
            "values of columns that look identifying or free text).",
        ),
    ] = False,
    export_format: Annotated[
        str | None, typer.Option("--format", help="Override the detected layout.")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Override the detected encoding.")] = None,
    delimiter: Annotated[
        str | None, typer.Option(help="Override the delimiter (comma, semicolon, tab, pipe).")
    ] = None,
    header_rows: Annotated[
        int | None, typer.Option("--header-rows", help="Override the header row count.")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="Workbook sheet to read.")] = None,
    details: Annotated[
        Path | None,
        typer.Option(help="SurveyMonkey API survey details JSON, to decode responses/bulk."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Describe export files: format, encoding (and how sure), delimiter, header rows, rows,
    columns, warnings. Every file is reported; failures are listed with their reason and the
    command exits 1 at the end.

    Example: ripple detect exports/*.csv --json
    Example: ripple detect --columns exports/pre.csv
    """
    from pipeline.cli_print import print_columns, print_detections
    from pipeline.ingest.readers import ReadOptions

    options = ReadOptions(
        format=export_format,
        encoding=encoding,
        delimiter=delimiter,
        header_rows=header_rows,
        sheet=sheet,
        details=details,
    )
    if columns:
        failed = print_columns(out, err, exports, options, as_json)
    else:
        failed = print_detections(out, err, exports, options, as_json)
    if failed:
        raise typer.Exit(1)


@app.command()
def init(
    exports: Annotated[
        list[Path],
        typer.Argument(
            help="Exports, plus any REDCap data dictionary / SurveyMonkey details file."
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Config file to write.")],
    instruments_dir: Annotated[
        Path | None,
        typer.Option("--instruments", help="Instrument folder (default: Ripple's own)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing config file.")] = False,
) -> None:
    """Scaffold a project config from real exports: formats, waves (from file names, a wave
    column or REDCap events), cohorts (a cohort column, or one per programme), each column
    mapped to an instrument item, dropped as an identifier, or listed as not read with the
    reason. Prints what is left to fill in and exits 1 until nothing is.

    Example: ripple init exports/*.csv -o ripple.yml
    """
    from pipeline.scaffold.command import write_scaffold

    problems = write_scaffold(exports, output, instruments_dir, force, err)
    if problems:
        raise typer.Exit(1)


@app.command()
def validate(config: ConfigOption = Path("ripple.yml"), as_json: JsonOption = False) -> None:
    """Run everything up to landing (read, exclude, validate, anonymise) and write nothing.

    Prints per-file counts and the reasons rows would be excluded or quarantined.
    Needs the pseudonymisation key (RIPPLE_KEY or RIPPLE_KEY_FILE), as `run` does.

    Example: ripple validate -c ripple.yml
    """
    from pipeline.keys import load_key
    from pipeline.run import validate_project

    key = load_key()
    loaded = _load(config)
    report_and_exit(
        out, err, validate_project(loaded, key, _out_dir(loaded, None)), as_json, published=False
    )


@app.command()
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
    loaded = _load(config)
    report_and_exit(
        out, err, run_project(loaded, key, _out_dir(loaded, out_dir), rebuild=rebuild), as_json
    )


@app.command()
def dashboard(
    config: ConfigOption = Path("ripple.yml"),
    db: Annotated[
        Path | None, typer.Option("--db", help="Dashboard extract (default: from the config).")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8501,
) -> None:
    """Serve the funders' dashboard on localhost, reading dashboard.duckdb read-only.

    Example: ripple dashboard -c ripple.yml --port 8501
    """
    from dashboard.serve import serve
    from pipeline.publish import EXTRACT_NAME

    extract = db or _out_dir(_load(config), None) / EXTRACT_NAME
    if not extract.exists():
        raise ConfigError(f"no dashboard extract at {extract}; run `ripple run` first")
    # absolute, not resolved: the dashboard follows the symlink to each new release
    raise typer.Exit(serve(extract.absolute(), host=host, port=port))


@app.command()
def report(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="Report file: NAME.html, or NAME.pdf (printed by Chromium)."
        ),
    ],
    config: ConfigOption = Path("ripple.yml"),
    db: Annotated[
        Path | None, typer.Option("--db", help="Dashboard extract (default: from the config).")
    ] = None,
) -> None:
    """Write the funders' report from the dashboard extract: scorecard, charts, method and
    suppression notes, every number through the dashboard's suppression rule.

    NAME.html is one self-contained file (styles, charts and plotly.js inside; it loads
    nothing from anywhere). NAME.pdf prints that page through the system Chromium or Chrome
    (Debian: apt-get install chromium; or set RIPPLE_CHROMIUM to the browser).

    Example: ripple report -c ripple.yml -o report.html

    Example: ripple report -c ripple.yml -o report.pdf
    """
    from pipeline.funders_report import report_kind, write_report
    from pipeline.publish import EXTRACT_NAME

    report_kind(output)  # a wrong suffix is a usage error before anything is read
    extract = db or _out_dir(_load(config), None) / EXTRACT_NAME
    written = write_report(extract, output)
    pages = f", {written.pages} pages" if written.pages else ""
    out.print(f"report: {written.path} ({written.size:,} bytes{pages})", markup=False)


@app.command()
def schema(as_json: JsonOption = False) -> None:
    """Print the warehouse's data dictionary: every relation and column, documented.

    Example: ripple schema --json > dictionary.json
    """
    from pipeline.dictionary import data_dictionary

    relations = data_dictionary()
    if as_json:
        out.print(json.dumps(relations, indent=2), markup=False)
        return
    for relation in relations:
        out.print(f"\n{relation['name']} ({relation['kind']})", style="bold", markup=False)
        out.print(f"  {relation['comment']}", markup=False)
        for column in relation["columns"]:
            out.print(f"  - {column['name']} {column['type']}: {column['comment']}", markup=False)


@app.command()
def keygen(
    output: Annotated[Path, typer.Option("--output", "-o", help="Key file to create.")],
) -> None:
    """Create a new pseudonymisation key file (32 random bytes, hex, owner-readable only).

    Keep it outside the project and back it up: later waves can only be linked to earlier
    ones with the same key, and a lost key cannot be recovered. Use it with
    RIPPLE_KEY_FILE=FILE. It never overwrites an existing file. The key itself is never
    printed; what to do with it is.

    Example: ripple keygen -o ~/.ripple/programme.key
    """
    from pipeline.keys import generate_key_file, keygen_advice

    path = output.expanduser().absolute()
    key = generate_key_file(path)
    err.print(keygen_advice(path, key), markup=False)


@app.command()
def version() -> None:
    """Print Ripple's version.

    Example: ripple version
    """
    out.print(__version__)
