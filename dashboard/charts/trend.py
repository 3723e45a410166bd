"""The Over time chart: cohort effects by the date each cohort ran, with the cohorts pooled."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, suppress, text
from dashboard.charts.effects import effect_hover
from dashboard.charts.style import GREY, OKABE_ITO, arms, effect_axis, effect_range, layout

COHORT_BAND = "rgba(230, 159, 0, 0.15)"
POOLED_BAND = "rgba(0, 114, 178, 0.12)"


def trend_figure(cohorts: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> go.Figure:
    """Cohort effects by date: each cohort's d_z with its 95% CI (bars and a shaded band
    joining the intervals of neighbouring shown cohorts), and the pooled d_z across cohorts
    with its CI band. Hidden cohorts are dotted lines with their label, never points.

    Args:
        cohorts: suppressed paired_stats cohort rows of one scale and comparison.
        meta: the cohort_meta row of that scale and comparison (pooled line), or None.
    """
    rows = sorted(
        text.records(suppress.require(cohorts)),
        key=lambda r: (fmt.iso_date(r["cohort_date"]), r["cohort_id"]),
    )
    dates = [fmt.iso_date(r["cohort_date"]) for r in rows]
    fig = go.Figure()
    for number, run in enumerate(_shown_runs(rows)):
        xs = [fmt.iso_date(r["cohort_date"]) for r in run]
        fig.add_trace(
            _band(
                xs,
                [suppress.value(r, "d_z_ci_low") for r in run],
                [suppress.value(r, "d_z_ci_high") for r in run],
                COHORT_BAND,
                "95% CI band of cohorts",
                legendgroup="band",
                showlegend=number == 0,
            )
        )
    plus, minus = arms(rows, "d_z", "d_z_ci_low", "d_z_ci_high")
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=[suppress.value(r, "d_z") for r in rows],
            mode="markers+lines",
            connectgaps=False,
            line={"color": OKABE_ITO["orange"], "width": 1},
            marker={
                "color": OKABE_ITO["orange"],
                "size": 10,
                "symbol": ["circle-open" if r.get("held") else "circle" for r in rows],
            },
            error_y={
                "type": "data",
                "array": plus,
                "arrayminus": minus,
                "thickness": 1.5,
                "width": 3,
                "color": OKABE_ITO["orange"],
            },
            name="A cohort's d_z (95% CI)",
            hovertext=[effect_hover(r, text.group_label(r)) for r in rows],
            hoverinfo="text",
        )
    )
    values = [suppress.value(r, c) for r in rows for c in ("d_z_ci_low", "d_z_ci_high")]
    if meta is not None and dates:
        values += _pooled_band(fig, meta, dates[0], dates[-1])
    for row, day in zip(rows, dates, strict=True):
        if row.get("hidden"):
            _hidden_cohort(fig, row, day)
    effect_axis(fig, *effect_range(values), "d_z (0 = no change)", axis="y")
    fig.update_xaxes(
        type="date", title={"text": "Date the cohort ran", "font": {"size": 12}}, showgrid=False
    )
    return layout(fig, height=430, left=10)


def _band(
    xs: list[str], lows: list, highs: list, colour: str, name: str, **options: Any
) -> go.Scatter:
    """A shaded band between `lows` and `highs` along `xs` (no line, no hover)."""
    return go.Scatter(
        x=xs + xs[::-1],
        y=highs + lows[::-1],
        fill="toself",
        fillcolor=colour,
        line={"width": 0},
        mode="lines",
        hoverinfo="skip",
        name=name,
        **options,
    )


def _pooled_band(
    fig: go.Figure, meta: Mapping[str, Any], first: str, last: str
) -> list[float | None]:
    """The cohorts pooled: a dashed line at the pooled d_z over a band of its CI, from the
    first cohort's date to the last. Returns the values the axis must show."""
    pooled = fmt.number_or_none(meta.get("pooled_d_z"))
    if pooled is None:
        return []
    low = fmt.number_or_none(meta.get("pooled_hk_ci_low"))
    high = fmt.number_or_none(meta.get("pooled_hk_ci_high"))
    if low is not None and high is not None:
        fig.add_trace(_band([first, last], [low, low], [high, high], POOLED_BAND, "Pooled 95% CI"))
    fig.add_trace(
        go.Scatter(
            x=[first, last],
            y=[pooled, pooled],
            mode="lines",
            line={"color": OKABE_ITO["blue"], "dash": "dash", "width": 2},
            name="Cohorts pooled",
            hoverinfo="text",
            hovertext=text.pooled_sentence(meta) or "",
        )
    )
    return [low, high]


def _hidden_cohort(fig: go.Figure, row: Mapping[str, Any], day: str) -> None:
    """A hidden cohort: a dotted line at its date, its short reason written down the line
    from the top of the plot (clear of the axis labels below)."""
    fig.add_vline(x=day, line={"color": GREY, "dash": "dot", "width": 1})
    fig.add_annotation(
        x=day,
        y=1,
        xref="x",
        yref="paper",
        textangle=-90,
        xanchor="right",
        yanchor="top",
        showarrow=False,
        text=suppress.short_label(row),
        hovertext=str(row.get("hidden_label")),
        font={"color": GREY, "size": 10},
    )


def _shown_runs(rows: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Runs of neighbouring cohorts whose d_z CI is shown (a band never spans a hidden one)."""
    runs: list[list[Mapping[str, Any]]] = [[]]
    for row in rows:
        if None in (suppress.value(row, "d_z_ci_low"), suppress.value(row, "d_z_ci_high")):
            runs.append([])
        else:
            runs[-1].append(row)
    return [run for run in runs if run]
