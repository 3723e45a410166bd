"""Plotly figure builders: pure functions from suppressed extract rows to figures.

No Streamlit and no DuckDB here, so every chart can be built and tested on a tiny frame (and
reused by the report). Conventions every builder keeps:

- input rows passed through `suppress.apply` (builders call `suppress.require` on frames);
  a hidden cell is never drawn as a value: it is a gap with its "hidden: <reason>" label;
- effects are signed so that positive = improvement, and an effect axis always has
  improvement to the right (or up, for time on the x axis), with 0 marked;
- one colour-blind-safe palette (Okabe-Ito); colour is never the only cue (labels, symbols);
- tick labels and hover text use `fmt` (rounded once, true minus signs);
- no title inside the figure (the page's heading names it), so narrow screens keep room.

Modules: `style` (palette, axes, layout, shared marks), `effects` (scorecard, forest plot),
`trend` (cohorts over time), `items` (diverging stacked bars), `counts` (count bars).
"""

from dashboard.charts.counts import count_bars_figure
from dashboard.charts.effects import (
    COMPARISON_COLOURS,
    COMPARISON_SYMBOLS,
    LEVEL_COLOURS,
    forest_figure,
    scorecard_figure,
    section_label,
)
from dashboard.charts.items import diverging_colours, item_bars_figure
from dashboard.charts.style import (
    BETTER_FILL,
    FONT,
    GREY,
    LIGHT_GREY,
    OKABE_ITO,
    effect_range,
    nice_ticks,
    tick_text,
)
from dashboard.charts.trend import trend_figure

__all__ = [
    "BETTER_FILL",
    "COMPARISON_COLOURS",
    "COMPARISON_SYMBOLS",
    "FONT",
    "GREY",
    "LEVEL_COLOURS",
    "LIGHT_GREY",
    "OKABE_ITO",
    "count_bars_figure",
    "diverging_colours",
    "effect_range",
    "forest_figure",
    "item_bars_figure",
    "nice_ticks",
    "scorecard_figure",
    "section_label",
    "tick_text",
    "trend_figure",
]
