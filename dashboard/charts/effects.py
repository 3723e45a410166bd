"""Effect-size charts on a horizontal effect axis: the Overview scorecard and the forest plot
(programmes compared, and the persistence of a change). Both draw d_z with its 95% CI
through `effect_markers`, so a mark, its bar, its hover text and a hidden row's note look
the same everywhere."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, suppress, text
from dashboard.charts.style import (
    OKABE_ITO,
    arms,
    effect_axis,
    effect_range,
    hidden_note,
    layout,
    row_positions,
    wrap,
)

#: Colours of comparisons in order (first later wave, second, between later waves, ...).
COMPARISON_COLOURS = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["vermillion"],
)
#: Marker symbols per comparison (a second cue besides colour).
COMPARISON_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "cross")

#: Colours of the levels of a forest plot.
LEVEL_COLOURS = {
    "programme": OKABE_ITO["blue"],
    "site": OKABE_ITO["bluish_green"],
    "cohort": OKABE_ITO["orange"],
    "attribute": OKABE_ITO["reddish_purple"],
    "comparison": OKABE_ITO["blue"],
}
#: Legend names of forest-plot sections.
SECTION_LABELS = {
    "programme": "Programmes",
    "site": "Sites",
    "cohort": "Cohorts",
    "attribute": "Breakdown",
    "comparison": "Comparisons",
}
AXIS_TITLE = "d_z with 95% CI (0 = no change)"
CI_COLUMNS = ("d_z_ci_low", "d_z_ci_high")


def effect_hover(row: Mapping[str, Any], title: str) -> str:
    """Hover text of one effect mark: group, n, d_z with CI, d_av, verdict."""
    if row.get("hidden"):
        return f"{title}<br>{row.get('hidden_label')}"
    lines = [
        title,
        f"{fmt.count(row.get('n_pairs'))} people",
        f"d_z {fmt.effect(row.get('d_z'))} (95% CI "
        f"{fmt.interval(row.get('d_z_ci_low'), row.get('d_z_ci_high'), 2)})",
    ]
    if suppress.value(row, "d_av") is not None:
        lines.append(f"d_av {fmt.effect(row.get('d_av'))}: {text.verdict_phrase(row)}")
    if row.get("held"):
        lines.append(suppress.HELD_LABEL)
    return "<br>".join(lines)


def effect_markers(
    fig: go.Figure,
    rows: Sequence[Mapping[str, Any]],
    ys: Sequence[float],
    titles: Sequence[str],
    name: str,
    colour: str,
    symbol: str,
    size: int = 10,
) -> list[float | None]:
    """Add one trace of d_z marks with 95% CI bars at `ys` (open marks for held values; a
    hidden row is a gap with its reason written in). Returns the values the axis must show."""
    plus, minus = arms(rows, "d_z", *CI_COLUMNS)
    fig.add_trace(
        go.Scatter(
            x=[suppress.value(r, "d_z") for r in rows],
            y=list(ys),
            mode="markers",
            name=name,
            marker={
                "color": colour,
                "size": size,
                "symbol": [symbol + ("-open" if r.get("held") else "") for r in rows],
            },
            error_x={
                "type": "data",
                "array": plus,
                "arrayminus": minus,
                "thickness": 2,
                "width": 4,
                "color": colour,
            },
            hovertext=[effect_hover(r, t) for r, t in zip(rows, titles, strict=True)],
            hoverinfo="text",
        )
    )
    for row, y in zip(rows, ys, strict=True):
        if row.get("hidden"):
            hidden_note(fig, y, row)
    return [suppress.value(r, c) for r in rows for c in (*CI_COLUMNS, "d_z")]


def _category_axis(
    fig: go.Figure, tickvals: list[float], ticktext: list[str], bottom: float, top: float = -0.7
) -> None:
    """The rows' labels, top to bottom, with no zero line through the first row."""
    fig.update_yaxes(
        tickvals=tickvals,
        ticktext=ticktext,
        range=[bottom, top],
        showgrid=False,
        zeroline=False,
        automargin=True,
    )


def scorecard_figure(
    paired: pd.DataFrame, outcomes: pd.DataFrame, labels: Mapping[str, str]
) -> go.Figure:
    """The Overview scorecard: per outcome, d_z with its 95% CI for each comparison from the
    baseline, all on one common axis where right of 0 is better.

    Args:
        paired: suppressed paired_stats rows of one group (one level), baseline comparisons.
        outcomes: scales rows in reading order (one figure row each).
        labels: wave id -> label (legend).
    """
    frame = suppress.require(paired)
    scales = text.records(outcomes)
    names = [text.outcome_with_range(scale) for scale in scales]
    position = {(s["instrument_id"], s["scale_id"]): i for i, s in enumerate(scales)}
    keys = pd.Series(list(zip(frame["instrument_id"], frame["scale_id"], strict=True)))
    frame = frame.assign(_row=keys.map(position).to_numpy()).dropna(subset=["_row"])
    waves = frame.drop_duplicates("to_wave").sort_values("to_wave_order", kind="stable")
    count = len(waves)
    offsets = [0.0] if count == 1 else [-0.2 + 0.4 * i / (count - 1) for i in range(count)]
    fig = go.Figure()
    shown: list[float | None] = []
    for index, wave in enumerate(waves["to_wave"]):
        rows = text.records(frame[frame["to_wave"] == wave].drop_duplicates("_row"))
        comparison = text.comparison_label(rows[0]["from_wave"], wave, labels)
        shown += effect_markers(
            fig,
            rows,
            [r["_row"] + offsets[index] for r in rows],
            [f"{names[int(r['_row'])]}<br>{comparison}" for r in rows],
            comparison,
            COMPARISON_COLOURS[index % len(COMPARISON_COLOURS)],
            COMPARISON_SYMBOLS[index % len(COMPARISON_SYMBOLS)],
            size=11,
        )
    effect_axis(fig, *effect_range(shown), AXIS_TITLE)
    rows_at = list(range(len(names)))
    _category_axis(fig, rows_at, [wrap(n) for n in names], len(names) - 0.5, -0.5)
    return layout(fig, height=110 + 62 * max(len(names), 1))


def section_label(section: str) -> str:
    """Legend name of a forest-plot section."""
    return SECTION_LABELS.get(section, section.capitalize())


def _pooled_marks(fig: go.Figure, pooled: Mapping[str, Any], y: float) -> list[float | None]:
    """The pooled d_z as a diamond over its Hartung-Knapp CI, and the prediction interval as
    a dotted line, at `y`. Returns the values the axis must show."""
    centre = fmt.number_or_none(pooled.get("pooled_d_z"))
    low, high, p_low, p_high = (
        fmt.number_or_none(pooled.get(c))
        for c in ("pooled_hk_ci_low", "pooled_hk_ci_high", "prediction_low", "prediction_high")
    )
    if p_low is not None and p_high is not None:
        fig.add_trace(
            go.Scatter(
                x=[p_low, p_high],
                y=[y, y],
                mode="lines",
                name="Where a new cohort would likely fall (95% prediction interval)",
                line={"color": OKABE_ITO["black"], "dash": "dot", "width": 1.5},
                hoverinfo="skip",
            )
        )
    if low is not None and high is not None:
        fig.add_trace(
            go.Scatter(
                x=[low, centre, high, centre, low],
                y=[y, y + 0.28, y, y - 0.28, y],
                mode="lines",
                fill="toself",
                fillcolor=OKABE_ITO["black"],
                line={"color": OKABE_ITO["black"]},
                name="Cohorts pooled (95% CI)",
                hoverinfo="text",
                hovertext=text.pooled_sentence(pooled) or "",
            )
        )
    return [low, high, p_low, p_high]


def forest_figure(
    rows: Sequence[Mapping[str, Any]], pooled: Mapping[str, Any] | None = None
) -> go.Figure:
    """A forest plot of d_z with 95% CIs, one line per row, top to bottom in the order given.

    Args:
        rows: suppressed paired_stats rows, each with a `label` (what the line is) and a
            `section` (programme, site, cohort, attribute or comparison: its colour). Rows
            of a new section are preceded by a small gap.
        pooled: a cohort_meta row; draws its pooled d_z as a diamond with the Hartung-Knapp
            CI and the prediction interval as a dotted line, at the bottom.
    """
    wrapped = [wrap(str(r.get("label")), 34) for r in rows]
    sections = [str(r.get("section")) for r in rows]
    ys, y = row_positions(wrapped, sections)
    fig = go.Figure()
    values: list[float | None] = []
    for section in dict.fromkeys(sections):
        index = [i for i, s in enumerate(sections) if s == section]
        values += effect_markers(
            fig,
            [rows[i] for i in index],
            [ys[i] for i in index],
            [str(rows[i].get("label")) for i in index],
            section_label(section),
            LEVEL_COLOURS.get(section, OKABE_ITO["blue"]),
            "square",
        )
    tickvals, ticktext = list(ys), wrapped
    if pooled is not None and fmt.number_or_none(pooled.get("pooled_d_z")) is not None:
        y += 0.6
        values += _pooled_marks(fig, pooled, y)
        tickvals.append(y)
        ticktext.append("<b>Cohorts pooled</b>")
        y += 1  # room for the diamond's lower half
    effect_axis(fig, *effect_range(values), AXIS_TITLE)
    _category_axis(fig, tickvals, ticktext, max(y - 0.3, 0.7))
    fig = layout(fig, height=int(100 + 30 * max(y + 1, 1)), top=36)
    return fig.update_layout(showlegend=False)
