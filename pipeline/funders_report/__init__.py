"""The funders' report: `ripple report -o report.html` (or `.pdf`).

One self-contained HTML file (inline CSS, the charts as Plotly JSON drawn by plotly.js inlined
from the installed package; nothing fetched) built from the dashboard extract only, every
number through the dashboard's suppression rule; `.pdf` prints that HTML through the system
Chromium (`pdf`).

Built on the dashboard's own modules, imported, not copied: `dashboard.queries` (read-only,
parameterised statements) and `dashboard.suppress` (the one suppression rule) for the data,
`dashboard.text` and `dashboard.fmt` for the words and numbers, `dashboard.charts` for the
figures. Here:

- `data`: one release of the extract, every result table through `dashboard.queries`;
- `sections`: the report's sections;
- `figures`: the dashboard's Plotly figures embedded (plotly.js inlined), one axis per section;
- `markup`: HTML helpers (hidden cells say why, counts of people marked for tests);
- `html`: the page, its styles for screen and print, a Content-Security-Policy;
- `pdf`: printing through the system Chromium.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ConfigError


class _NoRuntimeWarning(logging.Filter):
    """Drops Streamlit's 'No runtime found, using MemoryCacheStorageManager' warning: the
    dashboard's cached queries work outside a Streamlit server (in memory), but say so when
    `dashboard.queries` is imported and used; in a command-line run that is only noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "No runtime found" not in record.getMessage()


_cache_logger = logging.getLogger("streamlit.runtime.caching.cache_data_api")
if not any(isinstance(f, _NoRuntimeWarning) for f in _cache_logger.filters):
    _cache_logger.addFilter(_NoRuntimeWarning())

SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf"}


@dataclass(frozen=True)
class Written:
    """What `write_report` wrote."""

    path: Path
    kind: str  # html or pdf
    size: int  # bytes
    pages: int | None  # PDF pages


def report_kind(output: Path) -> str:
    """'html' or 'pdf' from the output's suffix; a ConfigError for anything else."""
    kind = SUFFIXES.get(output.suffix.lower())
    if kind is None:
        raise ConfigError(
            f"cannot tell the report format from {output.name!r}: name the output "
            "report.html (or .htm) for HTML, or report.pdf for PDF"
        )
    return kind


def write_report(extract_path: Path, output: Path, generated: dt.datetime | None = None) -> Written:
    """Write the report for the extract at `extract_path` to `output` (.html or .pdf).

    The file appears whole or not at all (written beside it under a temporary name, then
    renamed). For a PDF, the HTML is printed by the system Chromium (`pdf.html_to_pdf`).
    """
    from pipeline.funders_report import data, html, pdf

    kind = report_kind(output)
    output = output.expanduser().absolute()
    if not output.parent.is_dir():
        raise ConfigError(f"cannot write {output}: the folder {output.parent} does not exist")
    if kind == "pdf" and pdf.usable_chromium() is None:
        raise ConfigError(pdf.missing_chromium_message())
    document = html.render(data.load(extract_path), generated)
    if kind == "html":
        partial = output.with_name(f".{output.name}.partial")
        partial.write_text(document, encoding="utf-8")
        os.replace(partial, output)
        return Written(output, kind, output.stat().st_size, None)
    with tempfile.TemporaryDirectory(prefix="ripple-report-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(document, encoding="utf-8")
        pdf.html_to_pdf(page, output)
    return Written(output, kind, output.stat().st_size, pdf.page_count(output))
