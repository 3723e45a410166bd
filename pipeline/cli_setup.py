"""Commands that set a project up: describe the exports (`detect`), scaffold the config from
them (`init`) and create the pseudonymisation key (`keygen`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli_common import JsonOption, err, out


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
