"""Take-away: CSV of each view's aggregates, PNG of each chart, and the print stylesheet.

Pure functions (no Streamlit). CSV files hold the view's `tables.View.data`: the rounded
numbers as shown, hidden cells as "hidden: <reason>". Text cells that a spreadsheet would run
as a formula (starting with = + - @, a tab or a carriage return) are prefixed with an
apostrophe (OWASP "CSV injection"); numbers stay numbers.

PNG: kaleido (server-side export) needs a Chrome it would download, or the system chromium,
and costs about 2 s per image, so the dashboard uses Plotly's own "Download plot as a PNG"
button in each chart's mode bar instead: drawn by the browser, offline, at twice the screen
resolution (`chart_config`).
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell made safe for spreadsheets ("'=1+1"); other values unchanged.

    Example:
        >>> neutralise("=HYPERLINK(1)"), neutralise("-0.5"), neutralise(-0.5), neutralise("ok")
        ("'=HYPERLINK(1)", "'-0.5", -0.5, 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV (UTF-8 with a byte-order mark, so spreadsheets read the dashes and
    minus signs), every text cell and header neutralised."""
    safe = frame.astype(object).map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8-sig")


def file_stem(*parts: Any) -> str:
    """'ripple_scorecard_workplace': a safe file name from the view and filter values."""
    words = ["ripple", *[str(p) for p in parts if p not in (None, "")]]
    stem = "_".join(re.sub(r"[^A-Za-z0-9-]+", "-", w).strip("-") for w in words)
    return stem[:120] or "ripple"


def chart_config(stem: str) -> dict[str, Any]:
    """Plotly config: the mode bar's camera button saves a PNG named `stem`.png at 2x."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
        "toImageButtonOptions": {"format": "png", "filename": stem, "scale": 2},
    }


#: The print stylesheet: no sidebar, toolbar, buttons or widgets; charts and tables kept
#: whole on a page; expanders printed open; full width.
PRINT_CSS = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stBaseButton-secondary"],
  [data-testid="stSidebarCollapsedControl"], .modebar-container,
  [data-testid="stSelectbox"], [data-testid="stRadio"], [data-testid="stMultiSelect"] {
    display: none !important;
  }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], .block-container {
    max-width: 100% !important; padding: 0 !important; margin: 0 !important;
  }
  [data-testid="stExpanderDetails"] { display: block !important; }
  details::details-content { content-visibility: visible !important; display: block !important; }
  details > summary svg, details > summary [data-testid="stIconMaterial"] { display: none; }
  .js-plotly-plot, [data-testid="stMetric"], [data-testid="stTable"] tr {
    break-inside: avoid; page-break-inside: avoid;
  }
  [data-testid="stTable"], [data-testid="stTable"] * { overflow: visible !important; }
  [data-testid="stTable"] table { font-size: 0.62rem !important; width: 100% !important; }
  [data-testid="stTable"] th, [data-testid="stTable"] td { padding: 2px 4px !important; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
</style>
"""

#: Before printing, shrink each chart to the printed page's width (Plotly draws charts at their
#: on-screen pixel width, which is wider than a page); undone after printing. Added once.
PRINT_SCRIPT = """
<script>
(function () {
  if (window.__ripplePrintFit) { return; }
  window.__ripplePrintFit = true;
  var PAGE_PX = 700;
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      var width = plot.getBoundingClientRect().width;
      if (width > PAGE_PX) { plot.style.zoom = (PAGE_PX / width).toFixed(3); }
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll(".js-plotly-plot").forEach(function (plot) {
      plot.style.zoom = "";
    });
  });
})();
</script>
"""

#: Layout that holds from 800 px: metric values and the notes under them wrap instead of
#: being cut off with an ellipsis (Streamlit sets `nowrap` on the box and on the text).
SCREEN_CSS = """
<style>
[data-testid="stMetricValue"] > div, [data-testid="stMetricDelta"] > div,
[data-testid="stMetricValue"] p, [data-testid="stMetricDelta"] p {
  white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
[data-testid="stMetricValue"] > div { line-height: 1.15; }
[data-testid="stMetricDelta"] { height: auto !important; }
[data-testid="stMetricValue"] { font-size: clamp(1.25rem, 2.4vw, 2rem) !important; }
[data-testid="stMetricLabel"] p { white-space: normal !important; }
</style>
"""
