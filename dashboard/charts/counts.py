"""Horizontal bars of published counts or shares (Data quality and method)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard import fmt, suppress
from dashboard.charts.style import OKABE_ITO, hidden_note, layout, nice_ticks, row_positions, wrap


def count_bars_figure(
    rows: Sequence[Mapping[str, Any]], value: str = "n", percent: bool = False
) -> go.Figure:
    """Horizontal bars of published counts (or shares), one per row, top to bottom; hidden
    rows are labelled where their bar would be.

    Args:
        rows: suppressed rows, each with a `label`.
        value: the column to draw (`n`, `n_records`, `share_of_responses`, `retention`).
        percent: draw a share (0..1) as a percentage.
    """
    labels = [wrap(str(r.get("label")), 34) for r in rows]
    ys, bottom = row_positions(labels, gap=0)
    xs = [suppress.value(r, value) for r in rows]
    xs = [None if x is None else (100 * x if percent else x) for x in xs]
    shown = ["" if x is None else fmt.percent(x / 100) if percent else fmt.count(x) for x in xs]
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=ys,
            orientation="h",
            text=shown,
            textposition="outside",
            cliponaxis=False,
            marker={"color": OKABE_ITO["blue"]},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for row, y in zip(rows, ys, strict=True):
        if row.get("hidden"):
            hidden_note(fig, y, row)
    top = max([x for x in xs if x is not None] or [1])
    top = 100 if percent else max(top * 1.12, 10)
    ticks = [t for t in nice_ticks(0, top, 5) if percent or float(t).is_integer()]
    fig.update_xaxes(
        range=[0, top],
        tickvals=ticks,
        ticktext=[fmt.num(t, 0) + ("%" if percent else "") for t in ticks],
    )
    fig.update_yaxes(
        tickvals=ys, ticktext=labels, range=[bottom - 0.5, -0.5], zeroline=False, automargin=True
    )
    return layout(fig, height=int(60 + 30 * max(bottom, 1)), top=16)
