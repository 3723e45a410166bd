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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import fmt, suppress, text

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
LIGHT_GREY = "#D9D9D9"
BETTER_FILL = "rgba(0, 114, 178, 0.07)"

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

FONT = {"family": "sans-serif", "size": 13}


# ----------------------------------------------------------------------------- helpers


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
    ticks, value = [], start
    while value <= high + 1e-9:
        ticks.append(round(value, 10) + 0.0)
        value += step
    return ticks


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


def _effect_axis(fig: go.Figure, low: float, high: float, title: str, axis: str = "x") -> None:
    """An effect axis with U+2212 ticks, a line at 0 and the 'better' side shaded."""
    ticks = nice_ticks(low, high)
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(
        range=[low, high],
        tickvals=ticks,
        ticktext=tick_text(
            ticks, 1 if all(abs(t * 10 - round(t * 10)) < 1e-9 for t in ticks) else 2
        ),
        zeroline=False,
        title={"text": title, "font": {"size": 12}},
        showgrid=True,
        gridcolor="#EEEEEE",
    )
    if axis == "x":
        fig.add_vrect(x0=0, x1=high, fillcolor=BETTER_FILL, line_width=0, layer="below")
        fig.add_vline(x=0, line={"color": GREY, "width": 1})
        fig.add_annotation(
            x=high,
            y=1,
            xref="x",
            yref="paper",
            xanchor="right",
            yanchor="bottom",
            text="better →",
            showarrow=False,
            font={"color": OKABE_ITO["blue"], "size": 12},
        )
        fig.add_annotation(
            x=low,
            y=1,
            xref="x",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            text="← worse",
            showarrow=False,
            font={"color": GREY, "size": 12},
        )
    else:
        fig.add_hrect(y0=0, y1=high, fillcolor=BETTER_FILL, line_width=0, layer="below")
        fig.add_hline(y=0, line={"color": GREY, "width": 1})
        fig.add_annotation(
            x=0,
            y=high,
            xref="paper",
            yref="y",
            xanchor="left",
            yanchor="top",
            text="↑ better",
            showarrow=False,
            font={"color": OKABE_ITO["blue"], "size": 12},
        )


def _layout(
    fig: go.Figure, height: int, left: int = 10, bottom: int = 50, top: int = 70
) -> go.Figure:
    """Shared layout: no in-figure title, legend on top, margins that fit 800 px screens."""
    fig.update_layout(
        height=height,
        margin={"l": left, "r": 16, "t": top, "b": bottom},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "top", "yref": "container"},
        hoverlabel={"align": "left"},
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        separators=".,",
    )
    return fig


def _arms(rows: Sequence[Mapping[str, Any]], centre: str, low: str, high: str) -> tuple[list, list]:
    """Error-bar lengths (plus, minus) around `centre`; None for hidden or missing rows."""
    plus, minus = [], []
    for row in rows:
        c, lo, hi = (suppress.value(row, name) for name in (centre, low, high))
        ok = None not in (c, lo, hi)
        plus.append(hi - c if ok else None)
        minus.append(c - lo if ok else None)
    return plus, minus


def _wrap(label: str, width: int = 28) -> str:
    """A long axis label broken onto lines of about `width` characters (<br>)."""
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _effect_hover(row: Mapping[str, Any], title: str) -> str:
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


# ----------------------------------------------------------------------------- scorecard


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
    rows = text.records(suppress.require(paired))
    names = [text.outcome_with_range(scale) for scale in text.records(outcomes)]
    keys = [(s["instrument_id"], s["scale_id"]) for s in text.records(outcomes)]
    waves = sorted({(r.get("to_wave_order") or 0, r["to_wave"]) for r in rows})
    fig = go.Figure()
    offsets = (
        [0.0] if len(waves) == 1 else [-0.2 + 0.4 * i / (len(waves) - 1) for i in range(len(waves))]
    )
    shown: list[float | None] = []
    for index, (_order, wave) in enumerate(waves):
        series = []
        for position, key in enumerate(keys):
            match = [
                r
                for r in rows
                if (r["instrument_id"], r["scale_id"]) == key and r["to_wave"] == wave
            ]
            if match:
                series.append((position + offsets[index], match[0], names[position]))
        if not series:
            continue
        data = [s[1] for s in series]
        plus, minus = _arms(data, "d_z", "d_z_ci_low", "d_z_ci_high")
        colour = COMPARISON_COLOURS[index % len(COMPARISON_COLOURS)]
        symbol = COMPARISON_SYMBOLS[index % len(COMPARISON_SYMBOLS)]
        fig.add_trace(
            go.Scatter(
                x=[suppress.value(r, "d_z") for r in data],
                y=[s[0] for s in series],
                mode="markers",
                name=text.comparison_label(data[0]["from_wave"], wave, labels),
                marker={
                    "color": colour,
                    "size": 11,
                    "symbol": [symbol + ("-open" if r.get("held") else "") for r in data],
                },
                error_x={
                    "type": "data",
                    "array": plus,
                    "arrayminus": minus,
                    "thickness": 2,
                    "width": 4,
                    "color": colour,
                },
                hovertext=[
                    _effect_hover(
                        r, f"{s[2]}<br>{text.comparison_label(r['from_wave'], wave, labels)}"
                    )
                    for s, r in zip(series, data, strict=True)
                ],
                hoverinfo="text",
            )
        )
        for y, row, _name in series:
            shown += [suppress.value(row, c) for c in ("d_z_ci_low", "d_z_ci_high", "d_z")]
            if row.get("hidden"):
                fig.add_annotation(
                    x=0,
                    y=y,
                    xref="x",
                    yref="y",
                    xanchor="left",
                    showarrow=False,
                    text=f" {row.get('hidden_label')}",
                    font={"color": GREY, "size": 11},
                )
    low, high = effect_range(shown)
    _effect_axis(fig, low, high, "d_z with 95% CI (0 = no change)")
    fig.update_yaxes(
        tickvals=list(range(len(names))),
        ticktext=[_wrap(n) for n in names],
        range=[len(names) - 0.5, -0.5],
        showgrid=False,
        automargin=True,
    )
    return _layout(fig, height=110 + 62 * max(len(names), 1))


# ----------------------------------------------------------------------------- forest


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
    ys, y, previous = [], 0.0, None
    wrapped = [_wrap(str(r.get("label")), 34) for r in rows]
    for row, label in zip(rows, wrapped, strict=True):
        lines = label.count("<br>") + 1
        if previous is not None and row.get("section") != previous:
            y += 0.6
        y += 0.35 * (lines - 1)
        ys.append(y)
        previous = row.get("section")
        y += 1 + 0.35 * (lines - 1)
    fig = go.Figure()
    sections = list(dict.fromkeys(str(r.get("section")) for r in rows))
    values: list[float | None] = []
    for section in sections:
        index = [i for i, r in enumerate(rows) if str(r.get("section")) == section]
        data = [rows[i] for i in index]
        plus, minus = _arms(data, "d_z", "d_z_ci_low", "d_z_ci_high")
        colour = LEVEL_COLOURS.get(section, OKABE_ITO["blue"])
        fig.add_trace(
            go.Scatter(
                x=[suppress.value(r, "d_z") for r in data],
                y=[ys[i] for i in index],
                mode="markers",
                name=section_label(section),
                marker={
                    "color": colour,
                    "size": 10,
                    "symbol": ["square-open" if r.get("held") else "square" for r in data],
                },
                error_x={
                    "type": "data",
                    "array": plus,
                    "arrayminus": minus,
                    "thickness": 2,
                    "width": 3,
                    "color": colour,
                },
                hovertext=[_effect_hover(r, str(r.get("label"))) for r in data],
                hoverinfo="text",
            )
        )
        for i in index:
            values += [suppress.value(rows[i], c) for c in ("d_z_ci_low", "d_z_ci_high")]
            if rows[i].get("hidden"):
                fig.add_annotation(
                    x=0,
                    y=ys[i],
                    xref="x",
                    yref="y",
                    xanchor="left",
                    showarrow=False,
                    text=f" {rows[i].get('hidden_label')}",
                    font={"color": GREY, "size": 11},
                )
    tickvals, ticktext = list(ys), wrapped
    pooled_d = fmt.number_or_none((pooled or {}).get("pooled_d_z"))
    if pooled is not None and pooled_d is not None:
        y += 0.6
        low = fmt.number_or_none(pooled.get("pooled_hk_ci_low"))
        high = fmt.number_or_none(pooled.get("pooled_hk_ci_high"))
        p_low = fmt.number_or_none(pooled.get("prediction_low"))
        p_high = fmt.number_or_none(pooled.get("prediction_high"))
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
                    x=[low, pooled_d, high, pooled_d, low],
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
        values += [low, high, p_low, p_high]
        tickvals.append(y)
        ticktext.append("<b>Cohorts pooled</b>")
    low_x, high_x = effect_range(values)
    _effect_axis(fig, low_x, high_x, "d_z with 95% CI (0 = no change)")
    fig.update_yaxes(
        tickvals=tickvals,
        ticktext=ticktext,
        range=[y + 0.2 if tickvals else 1, -0.8],
        showgrid=False,
        automargin=True,
    )
    fig = _layout(fig, height=int(100 + 30 * max(y + 1, 1)), top=36)
    return fig.update_layout(showlegend=False)


def section_label(section: str) -> str:
    """Legend name of a forest-plot section."""
    return {
        "programme": "Programmes",
        "site": "Sites",
        "cohort": "Cohorts",
        "attribute": "Breakdown",
        "comparison": "Comparisons",
    }.get(section, section.capitalize())


# ----------------------------------------------------------------------------- over time


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
            go.Scatter(
                x=xs + xs[::-1],
                y=[suppress.value(r, "d_z_ci_high") for r in run]
                + [suppress.value(r, "d_z_ci_low") for r in run][::-1],
                fill="toself",
                fillcolor="rgba(230, 159, 0, 0.15)",
                line={"width": 0},
                mode="lines",
                hoverinfo="skip",
                name="95% CI band of cohorts",
                legendgroup="band",
                showlegend=number == 0,
            )
        )
    plus, minus = _arms(rows, "d_z", "d_z_ci_low", "d_z_ci_high")
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
            hovertext=[_effect_hover(r, text.group_label(r)) for r in rows],
            hoverinfo="text",
        )
    )
    values = [suppress.value(r, c) for r in rows for c in ("d_z_ci_low", "d_z_ci_high")]
    pooled = fmt.number_or_none((meta or {}).get("pooled_d_z"))
    if meta is not None and pooled is not None and dates:
        low = fmt.number_or_none(meta.get("pooled_hk_ci_low"))
        high = fmt.number_or_none(meta.get("pooled_hk_ci_high"))
        if low is not None and high is not None:
            fig.add_trace(
                go.Scatter(
                    x=[dates[0], dates[-1], dates[-1], dates[0]],
                    y=[low, low, high, high],
                    fill="toself",
                    fillcolor="rgba(0, 114, 178, 0.12)",
                    line={"width": 0},
                    mode="lines",
                    hoverinfo="skip",
                    name="Pooled 95% CI",
                )
            )
            values += [low, high]
        fig.add_trace(
            go.Scatter(
                x=[dates[0], dates[-1]],
                y=[pooled, pooled],
                mode="lines",
                line={"color": OKABE_ITO["blue"], "dash": "dash", "width": 2},
                name="Cohorts pooled",
                hoverinfo="text",
                hovertext=text.pooled_sentence(meta) or "",
            )
        )
    for row, day in zip(rows, dates, strict=True):
        if row.get("hidden"):
            fig.add_vline(x=day, line={"color": GREY, "dash": "dot", "width": 1})
            fig.add_annotation(
                x=day,
                y=0,
                xref="x",
                yref="paper",
                textangle=-90,
                xanchor="right",
                yanchor="bottom",
                showarrow=False,
                text=str(row.get("hidden_label")),
                font={"color": GREY, "size": 10},
            )
    low_y, high_y = effect_range(values)
    _effect_axis(fig, low_y, high_y, "d_z (0 = no change)", axis="y")
    fig.update_xaxes(
        type="date", title={"text": "Date the cohort ran", "font": {"size": 12}}, showgrid=False
    )
    return _layout(fig, height=430, left=10)


def _shown_runs(rows: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Runs of neighbouring cohorts whose d_z CI is shown (a band never spans a hidden one)."""
    runs: list[list[Mapping[str, Any]]] = [[]]
    for row in rows:
        if None in (suppress.value(row, "d_z_ci_low"), suppress.value(row, "d_z_ci_high")):
            runs.append([])
        else:
            runs[-1].append(row)
    return [run for run in runs if run]


# ----------------------------------------------------------------------------- items


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
    colours = diverging_colours(len(codes))
    cells = {(r["item_id"], r["wave_id"], str(r["answer"])): r for r in rows}
    present = {(r["item_id"], r["wave_id"]) for r in rows}
    bars: list[tuple[str, str]] = []
    ys: list[float] = []
    tickvals: list[float] = []
    ticktext: list[str] = []
    y = 0.0
    for item_id, heading in items.items():
        item_bars = [(item_id, wave) for wave in waves if (item_id, wave) in present]
        if not item_bars:
            continue
        wrapped = _wrap(heading, 46)
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
    for index, side in _stack_order(len(codes)):
        code = codes[index]
        xs, hover = [], []
        for item_id, wave_id in bars:
            cell = cells.get((item_id, wave_id, str(code["answer"])))
            value = suppress.value(cell, "share") if cell else None
            share = _share_text(cell, value)
            hover.append(f"{items[item_id]}<br>{waves[wave_id]}<br>{code['label']}: {share}")
            factor = {"left": -1.0, "right": 1.0, "left_half": -0.5, "right_half": 0.5}[side]
            xs.append(None if value is None else 100 * value * factor)
        fig.add_trace(
            go.Bar(
                x=xs,
                y=ys,
                orientation="h",
                name=str(code["label"]),
                width=0.7,
                marker={"color": colours[index], "line": {"color": "white", "width": 0.5}},
                legendgroup=str(index),
                legendrank=index,
                showlegend=side != "left_half",
                hovertext=hover,
                hoverinfo="text",
            )
        )
    reach = _widest_side(fig)
    ticks = nice_ticks(-reach, reach, 9)
    fig.update_layout(barmode="relative")
    fig.update_xaxes(
        range=[-reach, reach],
        tickvals=ticks,
        ticktext=[fmt.num(abs(t), 0) + "%" for t in ticks],
        title={
            "text": "% of people asked: lower answers left, higher right",
            "font": {"size": 12},
        },
        zeroline=True,
        zerolinecolor=GREY,
    )
    fig.update_yaxes(
        tickvals=tickvals, ticktext=ticktext, range=[max(y - 0.4, 1), -0.6], automargin=True
    )
    return _layout(fig, height=int(130 + 30 * max(y, 1)))


def _widest_side(fig: go.Figure) -> float:
    """The x range a diverging bar chart needs on each side (a multiple of 25%, at most 100)."""
    left: dict[float, float] = {}
    right: dict[float, float] = {}
    for trace in fig.data:
        for x, y in zip(trace.x or (), trace.y or (), strict=False):
            if x is None:
                continue
            side = right if x > 0 else left
            side[y] = side.get(y, 0.0) + abs(x)
    widest = max([*left.values(), *right.values(), 25.0])
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
        return f"{label}: {total.get('hidden_label')}"
    hidden = [
        c for c in codes if (cells.get((item_id, wave_id, str(c["answer"]))) or {}).get("hidden")
    ]
    if hidden:
        return f"{label} ({len(hidden)} hidden)"
    return label


# ----------------------------------------------------------------------------- counts


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
    labels = [_wrap(str(r.get("label")), 34) for r in rows]
    xs = [suppress.value(r, value) for r in rows]
    xs = [None if x is None else (100 * x if percent else x) for x in xs]
    shown = [
        fmt.percent(x / 100) if percent and x is not None else fmt.count(x) if x is not None else ""
        for x in xs
    ]
    fig = go.Figure(
        go.Bar(
            x=xs,
            y=list(range(len(rows))),
            orientation="h",
            text=shown,
            textposition="outside",
            cliponaxis=False,
            marker={"color": OKABE_ITO["blue"]},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for i, row in enumerate(rows):
        if row.get("hidden"):
            fig.add_annotation(
                x=0,
                y=i,
                xref="x",
                yref="y",
                xanchor="left",
                showarrow=False,
                text=f" {row.get('hidden_label')}",
                font={"color": GREY, "size": 11},
            )
    top = max([x for x in xs if x is not None] or [1])
    top = 100 if percent else max(top * 1.12, 10)
    ticks = [t for t in nice_ticks(0, top, 5) if percent or float(t).is_integer()]
    fig.update_xaxes(
        range=[0, top],
        tickvals=ticks,
        ticktext=[fmt.num(t, 0) + ("%" if percent else "") for t in ticks],
    )
    fig.update_yaxes(
        tickvals=list(range(len(rows))),
        ticktext=labels,
        range=[len(rows) - 0.5, -0.5],
        automargin=True,
    )
    return _layout(fig, height=90 + 30 * max(len(rows), 1))
