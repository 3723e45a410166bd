"""Commands for what Ripple publishes: serve the dashboard, write the funders' report, print
the warehouse's data dictionary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli_common import ConfigOption, JsonOption, load_project, out, output_dir
from pipeline.errors import ConfigError


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

    extract = db or output_dir(load_project(config), None) / EXTRACT_NAME
    if not extract.exists():
        raise ConfigError(f"no dashboard extract at {extract}; run `ripple run` first")
    # absolute, not resolved: the dashboard follows the symlink to each new release
    raise typer.Exit(serve(extract.absolute(), host=host, port=port))


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
    extract = db or output_dir(load_project(config), None) / EXTRACT_NAME
    written = write_report(extract, output)
    pages = f", {written.pages} pages" if written.pages else ""
    out.print(f"report: {written.path} ({written.size:,} bytes{pages})", markup=False)


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
