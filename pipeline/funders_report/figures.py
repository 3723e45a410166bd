"""The dashboard's Plotly figures, placed in the report's HTML.

The figures themselves come from `dashboard.charts` (the same builders the dashboard draws
with). Here they are embedded as JSON, drawn by plotly.js inlined once from the installed
`plotly` package (nothing fetched), given one axis range across the charts of a section so
they can be compared, and given a text alternative.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from dashboard import charts, fmt
from pipeline.funders_report.markup import esc

#: plotly.js options: a still picture with hover, no toolbar, no link to plotly's site.
CONFIG = {"displayModeBar": False, "responsive": True, "displaylogo": False}

#: Draws every figure; redraws them at the page width before printing.
LOADER = """
(function () {
  var plots = [];
  document.querySelectorAll("div.plot[data-figure]").forEach(function (div) {
    var data = document.getElementById(div.getAttribute("data-figure"));
    if (!data || typeof Plotly === "undefined") { return; }
    var figure = JSON.parse(data.textContent);
    Plotly.newPlot(div, figure.data, figure.layout, CONFIG);
    plots.push(div);
  });
  window.addEventListener("beforeprint", function () {
    plots.forEach(function (div) { Plotly.Plots.resize(div); });
  });
})();
""".replace("CONFIG", json.dumps(CONFIG))


@dataclass
class Figures:
    """The figures of one report, numbered in order."""

    items: list[tuple[str, str]] = field(default_factory=list)  # (id, figure JSON)

    def place(self, fig: go.Figure, description: str, caption: str = "") -> str:
        """HTML for one figure: the plot's box (with its text alternative) and a caption."""
        ident = f"figure-{len(self.items) + 1}"
        payload = fig.to_json(validate=False).replace("</", "<\\/")
        self.items.append((ident, payload))
        caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
        height = int(fig.layout.height or 400)
        return (
            f'<figure><div class="plot" data-figure="{ident}-data" role="img" '
            f'aria-label="{esc(description)}" style="min-height:{height}px"></div>'
            f'<noscript><p class="note">{esc(description)}</p></noscript>'
            f"{caption_html}</figure>"
        )

    def scripts(self) -> str:
        """The figures' data, plotly.js and the loader (once, at the end of the page)."""
        if not self.items:
            return ""
        data = "".join(
            f'<script type="application/json" id="{ident}-data">{payload}</script>'
            for ident, payload in self.items
        )
        return f"{data}<script>{get_plotlyjs()}</script><script>{LOADER}</script>"


def effect_values(rows: Iterable[dict], columns: Iterable[str]) -> list[float]:
    """The shown values of `columns` over suppressed rows (for a shared axis range)."""
    names = list(columns)
    values = []
    for row in rows:
        if row.get("hidden"):
            continue
        values += [fmt.number_or_none(row.get(c)) for c in names]
    return [v for v in values if v is not None]


def share_axis(fig: go.Figure, low: float, high: float, axis: str = "x") -> go.Figure:
    """Give a dashboard effect figure the range [low, high] (shared by the charts of a
    section), keeping its 'better' shading and labels at the ends.

    `dashboard.charts` sizes each figure's effect axis to its own data; the report sets one
    range for every chart that should be compared side by side.
    """
    ticks = charts.nice_ticks(low, high)
    digits = 1 if all(abs(t * 10 - round(t * 10)) < 1e-9 for t in ticks) else 2
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(range=[low, high], tickvals=ticks, ticktext=charts.tick_text(ticks, digits))
    tidy(fig, axis)
    for shape in fig.layout.shapes or ():
        if shape.type == "rect" and axis == "x" and shape.x0 == 0:
            shape.x1 = high
        if shape.type == "rect" and axis == "y" and shape.y0 == 0:
            shape.y1 = high
    for note in fig.layout.annotations or ():
        label = str(note.text or "")
        if axis == "x" and note.xref == "x" and label.startswith("better"):
            note.x = high
        if axis == "x" and note.xref == "x" and label.startswith("← worse"):
            note.x = low
        if axis == "y" and note.yref == "y" and label.startswith("↑ better"):
            note.y = high
    return fig


def tidy(fig: go.Figure, effect_axis: str = "x") -> go.Figure:
    """Layout for a page without Streamlit's chart theme: margins that grow to fit the tick
    labels (Streamlit's theme does that on the dashboard), the legend inside the figure's top
    margin, and no zero line on the category axis (it ran through the first row)."""
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    fig.update_layout(legend={"y": 1.0, "yanchor": "top", "yref": "container"})
    if effect_axis == "x":
        fig.update_yaxes(zeroline=False)
    return fig


def common_range(values: Iterable[float]) -> tuple[float, float]:
    """One effect range for several charts (the dashboard's rule, over all their values)."""
    return charts.effect_range(list(values))
