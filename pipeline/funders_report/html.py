"""The report as one self-contained HTML file: inline CSS (screen and print), the figures'
data and plotly.js inline, no font, image, stylesheet or script from anywhere else. A
Content-Security-Policy in the page forbids loading anything and any connection, so even a
browser that opens it makes no request.
"""

from __future__ import annotations

import datetime as dt

from pipeline import __version__
from pipeline.funders_report import (
    appendix,
    compared,
    items,
    method,
    overtime,
    quality,
    summary,
)
from pipeline.funders_report.context import Context
from pipeline.funders_report.data import Extract
from pipeline.funders_report.figures import Figures
from pipeline.funders_report.markup import esc
from pipeline.funders_report.styles import CSS

#: Nothing may be fetched or contacted: scripts, styles and images only inline.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'"
)


TOC = [
    ("summary", "Summary"),
    ("compared", "Programmes compared"),
    ("forwhom", "For whom"),
    ("overtime", "Over time"),
    ("items", "Items"),
    ("quality", "Data quality"),
    ("method", "Method notes"),
    ("suppression", "Suppression notes"),
    ("details", "Appendix: detail tables"),
]


def render(extract: Extract, generated: dt.datetime | None = None) -> str:
    """The whole report as one HTML document."""
    generated = generated or dt.datetime.now(dt.UTC)
    figures = Figures()
    ctx = Context(extract, figures)
    parts = {
        "summary": summary.summary(ctx),
        "compared": compared.programmes_compared(ctx),
        "forwhom": compared.for_whom(ctx),
        "overtime": overtime.over_time(ctx),
        "items": items.items(ctx),
        "quality": quality.data_quality(ctx),
        "method": method.method(ctx),
        "suppression": method.suppression(ctx),
        "details": appendix.appendix(ctx),
    }
    toc = "".join(
        f'<li><a href="#{ident}">{esc(title)}</a></li>' for ident, title in TOC if parts[ident]
    )
    project = extract.meta.get("project", "Ripple project")
    footer = (
        f"<footer>Written by Ripple {esc(__version__)} from the dashboard extract of run "
        f"{esc(extract.meta.get('run_id', 'unknown'))} (extract version "
        f"{esc(extract.meta.get('extract_version', '?'))}). Aggregates only: no person's "
        f"answers are in this report, and no group of fewer than {extract.min_cell_size} "
        "people.</footer>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="generator" content="Ripple">'
        f"<title>{esc(project)}: funders’ report</title>"
        f"<style>{CSS}</style></head><body>"
        + summary.cover(ctx, generated)
        + summary.reading_guide(ctx)
        + f'<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>{toc}</ol></nav>'
        + "<main>"
        + "".join(parts.values())
        + "</main>"
        + footer
        + figures.scripts()
        + "</body></html>\n"
    )
