"""Plotly figure builders: pure functions from extract rows (DataFrames) to figures.

No Streamlit here, so every chart can be tested on a tiny frame. Suppressed cells are never
drawn as values: their y (or x) is None, which Plotly draws as a gap, and an annotation says
"hidden: fewer than N people". `scales.higher_is_better` labels which way is improvement, and
`score_min`/`score_max` fix the score axis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import text

#: Okabe-Ito colours (readable with colour-vision deficiency).
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
GREY = "#7F7F7F"


def _visible(row: Mapping[str, Any], column: str) -> float | None:
    """The value to plot, or None when the row is suppressed (drawn as a gap, never 0)."""
    if row.get("is_suppressed"):
        return None
    return text.finite(row.get(column))


def _error_arms(rows: list[dict[str, Any]], column: str) -> tuple[list, list]:
    """Upper and lower error-bar lengths from ci_high/ci_low around `column`."""
    plus, minus = [], []
    for row in rows:
        centre = _visible(row, column)
        high, low = _visible(row, "ci_high"), _visible(row, "ci_low")
        ok = None not in (centre, high, low)
        plus.append(high - centre if ok else None)
        minus.append(centre - low if ok else None)
    return plus, minus


def _better_word(higher_is_better: bool) -> str:
    """'higher = better' or 'lower = better'."""
    return "higher = better" if higher_is_better else "lower = better"


def _base_layout(fig: go.Figure, title: str, height: int = 400) -> go.Figure:
    """Shared layout: title, margins, legend at the foot of the figure (below axis titles)."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        height=height,
        margin={"l": 60, "r": 20, "t": 70, "b": 110},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0},
        hoverlabel={"align": "left"},
    )
    return fig


def _title(main: str, scale: Mapping[str, Any], detail: str = "") -> str:
    """A chart title with the outcome (and comparison) on a smaller second line."""
    second = text.outcome_name(scale) + (f" ({detail})" if detail else "")
    return f"{main}<br><sup>{second}</sup>"


def _hidden_note(fig: go.Figure, min_cell_size: int, **position: Any) -> None:
    """Write 'hidden: fewer than N people' where a suppressed value would have been."""
    fig.add_annotation(
        text=text.hidden_label(min_cell_size),
        showarrow=False,
        font={"color": GREY, "size": 12},
        bgcolor="rgba(255,255,255,0.8)",
        **position,
    )


def wave_means_figure(
    scores: pd.DataFrame, scale: Mapping[str, Any], min_cell_size: int
) -> go.Figure:
    """Average score at each wave (pre, post, follow-up) with 95% CI error bars.

    Args:
        scores: wave_scores rows for one programme x scale, with `label` and `wave_order`.
        scale: the scales row (names, direction, score_min, score_max).
        min_cell_size: the extract's suppression threshold, for the hidden label.
    """
    rows = sorted(text.records(scores), key=lambda r: r.get("wave_order") or 0)
    ticks = [
        f"{row.get('label') or row['wave_id']}<br>"
        + ("hidden" if _visible(row, "mean") is None else f"n = {text.fmt_count(row['n'])}")
        for row in rows
    ]
    plus, minus = _error_arms(rows, "mean")
    fig = go.Figure(
        go.Scatter(
            x=ticks,
            y=[_visible(row, "mean") for row in rows],
            mode="lines+markers",
            connectgaps=False,
            marker={"size": 11, "color": BLUE},
            line={"color": BLUE},
            error_y={"type": "data", "array": plus, "arrayminus": minus, "visible": True},
            name="Average score of everyone who answered (95% CI)",
            hovertemplate="%{x}<br>average score %{y:.1f}<extra></extra>",
        )
    )
    middle = (float(scale["score_min"]) + float(scale["score_max"])) / 2
    for tick, row in zip(ticks, rows, strict=True):
        if _visible(row, "mean") is None:
            _hidden_note(fig, min_cell_size, x=tick, y=middle)
    pad = 0.03 * (float(scale["score_max"]) - float(scale["score_min"]))
    fig.update_yaxes(
        range=[float(scale["score_min"]) - pad, float(scale["score_max"]) + pad],
        title=f"Score ({_better_word(bool(scale['higher_is_better']))})",
    )
    fig.update_xaxes(type="category", title=None)
    fig.update_layout(showlegend=True)
    return _base_layout(fig, _title("Average score at each survey", scale))


def _change_range(
    rows: list[dict[str, Any]], scale: Mapping[str, Any], extra: float | None = None
) -> float:
    """Half-width of a change axis centred on zero, wide enough for every CI shown."""
    values = [
        _visible(row, column) for row in rows for column in ("ci_low", "ci_high", "mean_change")
    ]
    ends = [abs(v) for v in [*values, extra] if v is not None]
    floor = 0.05 * (float(scale["score_max"]) - float(scale["score_min"]))
    return max([*ends, floor]) * 1.25


def _improvement_side(
    fig: go.Figure, higher_is_better: bool, half: float, axis: str, label: bool = True
) -> None:
    """Shade the improvement side of a change axis (and label it, above the plot)."""
    sign = 1 if higher_is_better else -1
    if axis == "x":
        fig.add_shape(
            type="rect", xref="x", yref="paper", x0=0, x1=sign * half, y0=0, y1=1,
            fillcolor=GREEN, opacity=0.07, line={"width": 0}, layer="below",
        )  # fmt: skip
        if label:
            fig.add_annotation(
                x=sign * half, y=1.0, xref="x", yref="paper", showarrow=False,
                xanchor="right" if sign > 0 else "left", yanchor="bottom",
                text="improvement", font={"color": GREEN, "size": 12},
            )  # fmt: skip
    else:
        fig.add_shape(
            type="rect", xref="paper", yref="y", x0=0, x1=1, y0=0, y1=sign * half,
            fillcolor=GREEN, opacity=0.07, line={"width": 0}, layer="below",
        )  # fmt: skip
        fig.add_annotation(
            x=0.01, y=sign * half, xref="paper", yref="y", showarrow=False, xanchor="left",
            yanchor="top" if sign > 0 else "bottom", text="improvement",
            font={"color": GREEN, "size": 12},
        )  # fmt: skip


def _pairs_note(row: Mapping[str, Any]) -> str:
    """'n = 412 pairs' under a comparison, or 'hidden' when suppressed."""
    if _visible(row, "mean_change") is None or text.is_missing(row.get("n_pairs")):
        return "hidden"
    return f"n = {text.fmt_count(row['n_pairs'])} pairs"


def _comparison_name(row: Mapping[str, Any], labels: Mapping[str, str], compact: bool) -> str:
    """'Before → Straight after', or just the later survey's label in a compact chart."""
    if compact:
        return f"vs {labels.get(row['to_wave'], row['to_wave'])}"
    return text.comparison_label(row["from_wave"], row["to_wave"], labels)


def paired_change_figure(
    paired: pd.DataFrame,
    scale: Mapping[str, Any],
    labels: Mapping[str, str],
    min_cell_size: int,
    compact: bool = False,
) -> go.Figure:
    """Forest-style chart of paired mean change with 95% CI, one row per comparison
    (pre -> post, pre -> follow-up), so follow-up persistence is visible at a glance.

    Args:
        paired: paired_change rows for one programme x scale (any number of comparisons).
        scale: the scales row; `higher_is_better` decides which side is shaded "improvement".
        labels: wave id -> display label.
        min_cell_size: the extract's suppression threshold, for the hidden label.
        compact: a short figure without title or legend, to sit beside a headline.
    """
    rows = sorted(text.records(paired), key=lambda r: r.get("to_wave_order") or 0)
    names = [f"{_comparison_name(row, labels, compact)}<br>{_pairs_note(row)}" for row in rows]
    plus, minus = _error_arms(rows, "mean_change")
    fig = go.Figure(
        go.Scatter(
            x=[_visible(row, "mean_change") for row in rows],
            y=names,
            mode="markers",
            marker={"size": 12, "color": BLUE, "symbol": "square"},
            error_x={"type": "data", "array": plus, "arrayminus": minus, "visible": True},
            name="Average change among linked people (95% CI)",
            customdata=[[_visible(row, "d_z")] for row in rows],
            hovertemplate="%{y}<br>average change %{x:+.1f} points"
            "<br>d_z %{customdata[0]:.2f}<extra></extra>",
        )
    )
    half = _change_range(rows, scale)
    hib = bool(scale["higher_is_better"])
    _improvement_side(fig, hib, half, axis="x", label=not compact)
    fig.add_vline(x=0, line={"color": GREY, "dash": "dot"})
    for name, row in zip(names, rows, strict=True):
        if _visible(row, "mean_change") is None:
            _hidden_note(fig, min_cell_size, x=0, y=name)
    arrow = "right" if hib else "left"
    title = f"Average change, points<br>({arrow} of 0 = improvement)"
    if compact:
        title = f"Change, points ({'→' if hib else '←'} improvement, shaded)"
    fig.update_xaxes(range=[-half, half], zeroline=False, title=title)
    fig.update_yaxes(type="category", autorange="reversed", title=None)
    if compact:
        fig = _base_layout(fig, "", height=110 + 50 * len(rows))
        fig.update_layout(showlegend=False, margin={"l": 10, "r": 10, "t": 10, "b": 50})
        return fig.update_xaxes(title={"font": {"size": 12}})
    fig.update_layout(showlegend=True)
    return _base_layout(fig, _title("Change among people who answered both", scale))


def _cohort_hover(row: Mapping[str, Any], min_cell_size: int) -> str:
    """Hover text for one cohort point (or its hidden marker)."""
    where = f"{row['cohort_id']} at {row['site']}, {text.fmt_date(row['cohort_date'])}"
    if _visible(row, "mean_change") is None:
        return f"{where}<br>{text.hidden_label(min_cell_size)}"
    ci = ""
    if None not in (_visible(row, "ci_low"), _visible(row, "ci_high")):
        ci = f" (95% CI {text.fmt_signed(row['ci_low'])} to {text.fmt_signed(row['ci_high'])})"
    return (
        f"{where}<br>average change {text.fmt_signed(row['mean_change'])} points{ci}"
        f"<br>n = {text.fmt_count(row['n_pairs'])} linked people"
    )


def _date_key(value: Any) -> str:
    """An ISO date string for a Plotly date axis."""
    return pd.Timestamp(value).date().isoformat()


def _mark_hidden_cohorts(fig: go.Figure, rows: list[dict[str, Any]], min_cell_size: int) -> None:
    """A dotted vertical line and a 'hidden' note at each suppressed cohort's date."""
    hidden = [row for row in rows if _visible(row, "mean_change") is None]
    for row in hidden:
        day = _date_key(row["cohort_date"])
        fig.add_shape(
            type="line", xref="x", yref="paper", x0=day, x1=day, y0=0, y1=1,
            line={"color": GREY, "dash": "dot", "width": 1},
        )  # fmt: skip
        fig.add_annotation(
            x=day, y=0.02, xref="x", yref="paper", showarrow=False, textangle=-90,
            xanchor="right", yanchor="bottom", text=text.hidden_label(min_cell_size),
            hovertext=_cohort_hover(row, min_cell_size), font={"color": GREY, "size": 11},
        )  # fmt: skip
    if hidden:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": GREY, "dash": "dot", "width": 1},
                name=f"Cohort hidden for privacy (fewer than {min_cell_size} people)",
                hoverinfo="skip",
            )
        )


def cohort_trend_figure(
    cohorts: pd.DataFrame,
    scale: Mapping[str, Any],
    min_cell_size: int,
    comparison: str = "",
    pooled: float | None = None,
) -> go.Figure:
    """Paired change per cohort over time (cohort_date), with 95% CI error bars.

    Suppressed cohorts are gaps in the line, marked "hidden: fewer than N people", never 0.

    Args:
        cohorts: cohort_change rows for one programme x scale x comparison.
        scale: the scales row; `higher_is_better` decides which side is shaded "improvement".
        min_cell_size: the extract's suppression threshold, for the hidden label.
        comparison: e.g. "Before → Straight after", for the title.
        pooled: the programme's own paired mean change for this comparison (from
            paired_change), drawn as a dashed reference line; None to leave it out.
    """
    rows = sorted(
        text.records(cohorts), key=lambda r: (_date_key(r["cohort_date"]), r["cohort_id"])
    )
    plus, minus = _error_arms(rows, "mean_change")
    fig = go.Figure(
        go.Scatter(
            x=[_date_key(row["cohort_date"]) for row in rows],
            y=[_visible(row, "mean_change") for row in rows],
            mode="lines+markers",
            connectgaps=False,
            marker={"size": 10, "color": BLUE},
            line={"color": BLUE, "width": 1},
            error_y={"type": "data", "array": plus, "arrayminus": minus, "visible": True},
            name="Average change in a cohort (95% CI)",
            hovertext=[_cohort_hover(row, min_cell_size) for row in rows],
            hoverinfo="text",
        )
    )
    half = _change_range(rows, scale, pooled)
    _improvement_side(fig, bool(scale["higher_is_better"]), half, axis="y")
    fig.add_hline(y=0, line={"color": GREY, "dash": "dot"})
    if pooled is not None:
        fig.add_hline(
            y=pooled,
            line={"color": ORANGE, "dash": "dash"},
            annotation_text=f"programme overall (all linked people): {text.fmt_signed(pooled)}",
            annotation_position="top left",
        )
    _mark_hidden_cohorts(fig, rows, min_cell_size)
    arrow = "up" if scale["higher_is_better"] else "down"
    fig.update_yaxes(
        range=[-half, half], zeroline=False, title=f"Average change, points ({arrow} = improvement)"
    )
    fig.update_xaxes(type="date", title="Date the cohort ran")
    return _base_layout(fig, _title("Change by cohort over time", scale, comparison), height=440)
