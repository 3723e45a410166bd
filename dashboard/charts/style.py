"""What every chart shares: the palette, ticks and ranges, the effect axis, the layout, row
positions for wrapped labels, error-bar arms and the mark of a hidden row."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard import fmt, suppress

#: Okabe-Ito (Okabe & Ito 2008), readable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"
#: Darker than GREY: the line at 0 must stand out from the grid on every effect axis.
ZERO_LINE = "#595959"
LIGHT_GREY = "#D9D9D9"
BETTER_FILL = "rgba(0, 114, 178, 0.07)"
FONT = {"family": "sans-serif", "size": 13}
#: Room one extra line of a wrapped label takes, in row units.
EXTRA_LINE = 0.35


def nice_ticks(low: float, high: float, target: int = 6) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2 or 5 x 10^k), including 0 when
    the range does.

    Example:
        >>> nice_ticks(-0.2, 0.75)
        [-0.2, 0.0, 0.2, 0.4, 0.6]
    """
    if high <= low:
        high = low + 1
    raw = (high - low) / max(target - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.ceil(low / step - 1e-9) * step
    count = math.floor((high - start) / step + 1e-9) + 1
    return [round(start + i * step, 10) + 0.0 for i in range(max(count, 0))]


def tick_text(values: Sequence[float], digits: int, suffix: str = "") -> list[str]:
    """Tick labels with true minus signs."""
    return [fmt.num(v, digits) + suffix for v in values]


def effect_range(values: Sequence[float | None], floor: float = 0.25) -> tuple[float, float]:
    """An effect axis range that shows 0, every value given and at least ±`floor`."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    low = min([*finite, -floor * 0.6, 0.0])
    high = max([*finite, floor, 0.0])
    pad = 0.06 * (high - low)
    return low - pad, high + pad


def _side_note(text: str, colour: str, **place: Any) -> dict[str, Any]:
    """An annotation naming a side of the effect axis ('better →')."""
    return {"text": text, "showarrow": False, "font": {"color": colour, "size": 12}, **place}


def effect_axis(fig: go.Figure, low: float, high: float, title: str, axis: str = "x") -> None:
    """An effect axis with U+2212 ticks, a line at 0 and the 'better' side shaded."""
    ticks = nice_ticks(low, high)
    whole_tenths = all(abs(t * 10 - round(t * 10)) < 1e-9 for t in ticks)
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(
        range=[low, high],
        tickvals=ticks,
        ticktext=tick_text(ticks, 1 if whole_tenths else 2),
        zeroline=False,  # drawn as a shape instead, so it sits above the shading
        title={"text": title, "font": {"size": 12}},
        showgrid=True,
        gridcolor="#EEEEEE",
    )
    zero = {"color": ZERO_LINE, "width": 1.5}
    if axis == "x":
        fig.add_vrect(x0=0, x1=high, fillcolor=BETTER_FILL, line_width=0, layer="below")
        fig.add_vline(x=0, line=zero)
        fig.add_annotation(
            _side_note("better →", OKABE_ITO["blue"], x=high, y=1, xanchor="right"),
            xref="x",
            yref="paper",
            yanchor="bottom",
        )
        fig.add_annotation(
            _side_note("← worse", GREY, x=low, y=1, xanchor="left"),
            xref="x",
            yref="paper",
            yanchor="bottom",
        )
    else:
        fig.add_hrect(y0=0, y1=high, fillcolor=BETTER_FILL, line_width=0, layer="below")
        fig.add_hline(y=0, line=zero)
        fig.add_annotation(
            _side_note("↑ better", OKABE_ITO["blue"], x=0, y=high, xanchor="left"),
            xref="paper",
            yref="y",
            yanchor="top",
        )


def layout(
    fig: go.Figure, height: int, left: int = 10, bottom: int = 50, top: int = 70
) -> go.Figure:
    """Shared layout: no in-figure title, legend on top (from the figure's left edge, so a
    narrow plot beside long labels does not stack it), margins that fit 800 px screens."""
    fig.update_layout(
        height=height,
        margin={"l": left, "r": 16, "t": top, "b": bottom},
        legend={
            "orientation": "h",
            "x": 0,
            "xref": "container",
            "y": 1.0,
            "yanchor": "top",
            "yref": "container",
        },
        hoverlabel={"align": "left"},
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=".,",
    )
    return fig


def arms(rows: Sequence[Mapping[str, Any]], centre: str, low: str, high: str) -> tuple[list, list]:
    """Error-bar lengths (plus, minus) around `centre`; None for hidden or missing rows."""
    plus, minus = [], []
    for row in rows:
        c, lo, hi = (suppress.value(row, name) for name in (centre, low, high))
        ok = None not in (c, lo, hi)
        plus.append(hi - c if ok else None)
        minus.append(c - lo if ok else None)
    return plus, minus


def wrap(label: str, width: int = 28) -> str:
    """A long axis label broken onto lines of about `width` characters (<br>)."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def row_positions(
    labels: Sequence[str], sections: Sequence[Any] | None = None, gap: float = 0.6
) -> tuple[list[float], float]:
    """Top-to-bottom y positions of rows with wrapped labels: a row of n lines takes
    n - 1 extra half-spaces above and below, and a new section starts after a gap.
    Returns the positions and the y just below the last row."""
    positions, y, previous = [], 0.0, None
    for index, label in enumerate(labels):
        extra = EXTRA_LINE * label.count("<br>")
        section = sections[index] if sections is not None else None
        if index and section != previous:
            y += gap
        y += extra
        positions.append(y)
        previous = section
        y += 1 + extra
    return positions, y


def hidden_note(fig: go.Figure, y: float, row: Mapping[str, Any], x: float = 0) -> None:
    """Write a hidden row's short reason where its mark would be (the full reason is in
    the hover text and the table), so it fits beside the 0 line on a narrow screen."""
    fig.add_annotation(
        x=x,
        y=y,
        xref="x",
        yref="y",
        xanchor="left",
        showarrow=False,
        text=f" {suppress.short_label(row)}",
        hovertext=str(row.get("hidden_label")),
        font={"color": GREY, "size": 11},
    )
