"""The Items chart: diverging stacked bars of answers per item, before and later."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, suppress, text
from dashboard.charts.style import GREY, LIGHT_GREY, OKABE_ITO, layout, nice_ticks, wrap

#: Where each side of a diverging stack puts a share (the middle answer is split over 0).
SIDE_FACTORS = {"left": -1.0, "right": 1.0, "left_half": -0.5, "right_half": 0.5}
HEADING_WIDTH = 40


def diverging_colours(codes: int) -> list[str]:
    """Colours of answer codes from lowest to highest: warm below the middle, grey in the
    middle (odd counts), blue above (Okabe-Ito)."""
    low = [OKABE_ITO["vermillion"], OKABE_ITO["orange"], "#F3C77A"]
    high = [OKABE_ITO["blue"], OKABE_ITO["sky_blue"], "#A6D4F2"]
    half = codes // 2
    warm = (low * 3)[: max(half, 0)]
    cool = (high * 3)[: max(half, 0)]
    middle = [LIGHT_GREY] if codes % 2 else []
    return warm + middle + cool[::-1]


def item_bars_figure(
    distributions: pd.DataFrame,
    options: pd.DataFrame,
    items: Mapping[str, str],
    waves: Mapping[str, str],
) -> go.Figure:
    """Diverging stacked bars of answers per item and wave: answers below the middle code to
    the left of 0, above it to the right, the middle code split across 0. "Don't know" and
    "no answer" are left out of the bars (the table lists them); hidden answers are left
    out and the bar's label says so. Widths are the published shares (of everyone asked).

    Args:
        distributions: suppressed item_distributions rows.
        options: answer_options rows of the instrument (code answers are drawn).
        items: item_id -> its heading (e.g. "Item 2: How often do you feel left out?"), in
            order; each item is a heading line followed by one bar per wave.
        waves: wave_id -> its label, in the order the bars are drawn.
    """
    rows = text.records(suppress.require(distributions))
    codes = [r for r in text.records(options) if str(r["answer"]) not in ("dont_know", "missing")]
    codes.sort(key=lambda r: r["answer_order"])
    cells = {(r["item_id"], r["wave_id"], str(r["answer"])): r for r in rows}
    present = {(r["item_id"], r["wave_id"]) for r in rows}
    bars, ys, tickvals, ticktext, y = [], [], [], [], 0.0
    for item_id, heading in items.items():
        item_bars = [(item_id, wave) for wave in waves if (item_id, wave) in present]
        if not item_bars:
            continue
        wrapped = wrap(heading, HEADING_WIDTH)
        y += 0.3 * wrapped.count("<br>")
        tickvals.append(y)
        ticktext.append(f"<b>{wrapped}</b>")
        y += 0.85 + 0.3 * wrapped.count("<br>")
        for bar in item_bars:
            bars.append(bar)
            ys.append(y)
            tickvals.append(y)
            ticktext.append(_bar_label(waves[bar[1]], bar, codes, cells))
            y += 1
        y += 0.4
    fig = go.Figure()
    colours = diverging_colours(len(codes))
    for index, side in _stack_order(len(codes)):
        code = codes[index]
        answers = [cells.get((item_id, wave_id, str(code["answer"]))) for item_id, wave_id in bars]
        values = [suppress.value(cell, "share") if cell else None for cell in answers]
        fig.add_trace(
            go.Bar(
                x=[None if v is None else 100 * v * SIDE_FACTORS[side] for v in values],
                y=ys,
                orientation="h",
                name=str(code["label"]),
                width=0.7,
                marker={"color": colours[index], "line": {"color": "white", "width": 0.5}},
                legendgroup=str(index),
                legendrank=index,
                showlegend=side != "left_half",
                hovertext=[
                    f"{items[item_id]}<br>{waves[wave_id]}<br>{code['label']}: "
                    f"{_share_text(cell, value)}"
                    for (item_id, wave_id), cell, value in zip(bars, answers, values, strict=True)
                ],
                hoverinfo="text",
            )
        )
    _share_axis(fig, _widest_side(fig))
    fig.update_yaxes(
        tickvals=tickvals, ticktext=ticktext, range=[max(y - 0.4, 1), -0.6], automargin=True
    )
    return layout(fig, height=int(130 + 30 * max(y, 1)))


def _share_axis(fig: go.Figure, reach: float) -> None:
    """The x axis of a diverging stack: whole percentages either side of 0 (no sign), and
    which side the lower and higher answers are on, at the top corners."""
    ticks = nice_ticks(-reach, reach, 5)
    fig.update_layout(barmode="relative")
    fig.update_xaxes(
        range=[-reach, reach],
        tickvals=ticks,
        ticktext=[fmt.num(abs(t), 0) + "%" for t in ticks],
        title={"text": "% of people asked", "font": {"size": 12}},
        zeroline=True,
        zerolinecolor=GREY,
    )
    for x, anchor, words in ((-reach, "left", "← lower answers"), (reach, "right", "higher →")):
        fig.add_annotation(
            x=x,
            y=1,
            xref="x",
            yref="paper",
            xanchor=anchor,
            yanchor="bottom",
            showarrow=False,
            text=words,
            font={"color": GREY, "size": 12},
        )


def _widest_side(fig: go.Figure) -> float:
    """The x range a diverging bar chart needs on each side (a multiple of 25%, at most 100)."""
    frame = pd.concat(
        [pd.DataFrame({"x": list(t.x or ()), "y": list(t.y or ())}) for t in fig.data]
        or [pd.DataFrame({"x": [], "y": []})]
    )
    frame = frame.dropna().astype(float)
    sides = frame.assign(right=frame["x"] > 0, x=frame["x"].abs()).groupby(["y", "right"])["x"]
    widest = max(float(sides.sum().max()) if len(frame) else 0.0, 25.0)
    return min(100.0, 25.0 * math.ceil(widest / 25.0 + 0.05))


def _stack_order(codes: int) -> list[tuple[int, str]]:
    """(code index, side) in the order traces must be added so that, in a relative bar
    stack, the answers nearest the middle sit next to 0 on both sides."""
    order: list[tuple[int, str]] = []
    below, above = list(range(codes // 2)), list(range((codes + 1) // 2, codes))
    if codes % 2:
        middle = codes // 2
        order += [(middle, "left_half"), (middle, "right_half")]
    for left, right in zip(below[::-1], above, strict=True):
        order += [(left, "left"), (right, "right")]
    return order


def _share_text(cell: Mapping[str, Any] | None, value: float | None) -> str:
    """Hover text of one answer's share."""
    if cell is None:
        return "n/a"
    if cell.get("hidden"):
        return str(cell.get("hidden_label"))
    if value is None:
        return "n/a"
    return f"{fmt.percent(value)} ({fmt.count(cell.get('n'))} people){text.held_suffix(cell)}"


def _bar_label(
    label: str, bar: tuple[str, str], codes: Sequence[Mapping[str, Any]], cells: Mapping
) -> str:
    """A bar's axis label, saying when the whole bar or some answers are hidden."""
    item_id, wave_id = bar
    total = cells.get((item_id, wave_id, "all"))
    if total is None:
        return f"{label}: no answers"
    if total.get("hidden"):
        return f"{label}: {suppress.short_label(total)}"
    hidden = [
        c for c in codes if (cells.get((item_id, wave_id, str(c["answer"]))) or {}).get("hidden")
    ]
    if hidden:
        return f"{label} ({len(hidden)} hidden)"
    return label
