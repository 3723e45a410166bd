"""Over time: for each programme and outcome, each cohort's change by the date its session
ran (with confidence bands and the cohorts pooled), whether it is improving (the trend in a
sentence) and whether it lasts (persistence). Small charts, two to a row, on one shared axis.
"""

from __future__ import annotations

import datetime as dt

from dashboard import charts, fmt, text
from pipeline.funders_report.context import (
    D_Z,
    POOLED_CI,
    Context,
    effect_description,
    frame_of,
)
from pipeline.funders_report.figures import common_range, effect_values, share_axis
from pipeline.funders_report.markup import esc, section

#: A small chart's height (px): two fit side by side, eight to a printed page.
CHART_HEIGHT = 138


def _charts_in(ctx: Context, wave: str) -> list[tuple[dict, tuple[str, str], list, dict | None]]:
    """(programme, scale, cohort rows, cohort_meta row) for every chart of the section."""
    found = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        for key in ctx.keys(pid):
            cohorts = ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave, level="cohort")
            if cohorts:
                found.append((programme, key, cohorts, ctx.meta(pid, key, wave)))
    return found


def _date_range(found: list) -> list[str] | None:
    """One date axis for every chart: the first to the last cohort, a month's margin."""
    dates = [d for f in found for d in (fmt.iso_date(r["cohort_date"]) for r in f[2]) if d]
    if not dates:
        return None
    margin = dt.timedelta(days=30)
    return [str(dt.date.fromisoformat(min(dates)) - margin),
            str(dt.date.fromisoformat(max(dates)) + margin)]  # fmt: skip


def _small_chart(
    ctx: Context,
    programme: dict,
    key: tuple[str, str],
    cohorts: list,
    meta: dict | None,
    axis: tuple[float, float],
    dates: list[str] | None,
) -> str:
    pid = programme["programme_id"]
    frame = frame_of(cohorts, ctx.ex.frame(pid, "paired_stats"))
    fig = share_axis(charts.trend_figure(frame, meta), *axis, axis="y")
    fig.update_layout(height=CHART_HEIGHT, showlegend=False, margin={"t": 8, "b": 24},
                      font={"size": 10})  # fmt: skip
    fig.update_xaxes(title=None, range=dates)
    fig.update_yaxes(title={"text": "d_z", "font": {"size": 10}})
    description = effect_description(
        cohorts, lambda r: f"cohort {r['cohort_id']} ({fmt.date(r['cohort_date'])})"
    )
    trends = "".join(
        f"<li><strong>{esc(ctx.label(m['to_wave']))}:</strong> {esc(text.trend_sentence(m))}</li>"
        for m in ctx.ex.rows(
            pid, "cohort_meta", instrument_id=key[0], scale_id=key[1], from_wave=ctx.baseline
        )
    )
    return (
        f'<div class="cell"><h4>{esc(text.outcome_with_range(ctx.scales[key]))}</h4>'
        + ctx.figures.place(fig, description)
        + f'<p class="small"><strong>Is it getting better?</strong></p><ul class="small">'
        f"{trends}</ul>{_lasting(ctx, pid, key)}</div>"
    )


def _lasting(ctx: Context, pid: str, key: tuple[str, str]) -> str:
    """'Does it last?' from the comparisons between later surveys (the same people, e.g.
    straight after -> follow-up); each comparison with the first survey is in the scorecard
    already, so it is not repeated here. Empty with a single later survey."""
    between = [r for r in ctx.paired(pid, key) if r["from_wave"] in ctx.later]
    if not between:
        return ""
    between.sort(key=lambda r: (r.get("from_wave_order") or 0, r.get("to_wave_order") or 0))
    return (
        '<p class="small"><strong>Does it last?</strong> '
        f"{esc(text.persistence_sentence(between, ctx.labels))}</p>"
    )


def over_time(ctx: Context) -> str:
    if not ctx.has_change:
        return ""
    wave = ctx.later[0]
    found = _charts_in(ctx, wave)
    if not found:
        return ""
    values: list[float] = []
    for _programme, _key, cohorts, meta in found:
        values += effect_values(cohorts, D_Z)
        if meta is not None:
            values += effect_values([meta], POOLED_CI)
    axis = common_range(values)
    dates = _date_range(found)
    blocks = []
    for programme in ctx.programmes:
        mine = [f for f in found if f[0] is programme]
        if mine:
            blocks.append(
                f'<h3>{esc(programme["name"])}</h3><div class="grid">'
                + "".join(_small_chart(ctx, *f, axis, dates) for f in mine)
                + "</div>"
            )
    return section(
        "overtime", "Over time", "".join(blocks),
        f"Each cohort's change ({esc(ctx.comparison(ctx.baseline, wave))}) by the date its "
        "session ran: orange points with their 95% CI and a shaded band, the cohorts pooled as "
        "a dashed blue line with its CI band; a dotted line marks a hidden cohort. Every chart "
        "has the same axes, up is better. Below each: the trend across cohorts and whether "
        "the change lasts (the same people from one later survey to the next; each change "
        "from the first survey is in the scorecard).",
    )  # fmt: skip
