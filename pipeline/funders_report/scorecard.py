"""The summary's scorecard: every programme's outcomes on one chart (d_z with its 95% CI for
each comparison from the first survey, one common axis, right = better), then one row per
outcome with the change in words (sized by d_av against Cohen's benchmarks), in points on the
outcome's own scale with its range, with d_z, its CI and n.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard import charts, text
from pipeline.funders_report.context import (
    Context,
    d_z_words,
    effect_description,
    frame_of,
    improvement_points,
)
from pipeline.funders_report.figures import tidy
from pipeline.funders_report.markup import badge, esc, held, people, table

#: Height of one outcome's line in the chart (px), and of the axis and legend around them.
ROW_HEIGHT = 15
FRAME_HEIGHT = 78


def _chart_key(pid: str, key: tuple[str, str]) -> tuple[str, str]:
    """A key unique across programmes, so that one chart can hold every programme's lines."""
    return (f"{pid}/{key[0]}", key[1])


def scorecard_chart(ctx: Context) -> str:
    """One chart of every programme's outcomes, programmes as headed groups of lines."""
    rows: list[dict[str, Any]] = []
    outcomes: list[dict[str, Any]] = []
    ticks: list[str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        keys = ctx.keys(pid)
        if not keys:
            continue
        # a line without marks heads the programme's group
        heading = dict(ctx.scales[keys[0]])
        heading.update(instrument_id=f"{pid}/", scale_id="", scale_name=programme["name"])
        outcomes.append(heading)
        ticks.append(f"<b>{esc(programme['name'])}</b>")
        for key in keys:
            scale = dict(ctx.scales[key])
            chart_id, scale_id = _chart_key(pid, key)
            scale.update(
                instrument_id=chart_id, scale_name=f"{programme['name']}: {scale['scale_name']}"
            )
            outcomes.append(scale)
            ticks.append(esc(text.outcome_name(ctx.scales[key])))
            for row in ctx.paired(pid, key, from_wave=ctx.baseline):
                rows.append({**row, "instrument_id": chart_id, "scale_id": scale_id})
    if not rows:
        return ""
    like = ctx.ex.frame(ctx.programmes[0]["programme_id"], "paired_stats")
    fig = charts.scorecard_figure(
        frame_of(rows, like), pd.DataFrame(outcomes, columns=list(outcomes[0])), ctx.labels
    )
    fig.update_yaxes(ticktext=ticks)
    # a smaller font than the dashboard's, so that the rows can be as close as a table's
    fig.update_layout(height=FRAME_HEIGHT + ROW_HEIGHT * len(outcomes), font={"size": 11})
    tidy(fig)
    names = {(o["instrument_id"], o["scale_id"]): o["scale_name"] for o in outcomes}
    description = effect_description(
        rows,
        lambda r: (
            f"{names[(r['instrument_id'], r['scale_id'])]}, "
            f"{ctx.comparison(r['from_wave'], r['to_wave'])}"
        ),
    )
    return ctx.figures.place(
        fig, description,
        "Each mark: the change among the same people as d_z with its 95% CI, every programme "
        "and outcome on one axis, right of 0 always better whichever way the scale runs; an "
        "interval that crosses 0 is “no clear change”. The table below words each change.",
    )  # fmt: skip


def _change_cell(row: Mapping[str, Any] | None, scale: Mapping[str, Any]) -> str:
    """The change in words, in points with its CI, the averages, d_z and n."""
    if row is None:
        return '<span class="na">not collected</span>'
    if row.get("hidden"):
        return badge(row)
    return (
        f"{badge(row)}{held(row)}"
        f'<div class="change">{esc(improvement_points(row, scale))}</div>'
        f'<div class="effect">{esc(d_z_words(row))} · n = {people(row.get("n_pairs"))}</div>'
    )


def _direction(scale: Mapping[str, Any]) -> str:
    return text.direction_words(bool(scale["higher_is_better"]))


def scorecard_table(ctx: Context) -> str:
    """One row per programme and outcome, one column per comparison from the first survey."""
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        keys = ctx.keys(pid)
        if not keys:
            continue
        body.append(esc(programme["name"]))
        for key in keys:
            scale = ctx.scales[key]
            comparisons = [ctx.paired_one(pid, key, ctx.baseline, wave) for wave in ctx.later]
            body.append(
                [
                    f'<span class="outcome">{esc(text.outcome_with_range(scale))}</span> '
                    f'<span class="sub-inline">{esc(_direction(scale))}</span>',
                    *(_change_cell(row, scale) for row in comparisons),
                ]
            )
    if not body:
        return "<p>No change results yet.</p>"
    headers = ["Outcome (scale range)", *(esc(ctx.comparison(ctx.baseline, w)) for w in ctx.later)]
    return table(
        headers, body, classes="scorecard",
        caption="Change among linked people: in words (sized by d_av against Cohen's "
        "benchmarks), in points on the outcome's scale with its 95% CI, d_z with its 95% CI, "
        "and n. The averages before and after are in the appendix.",
    )  # fmt: skip
