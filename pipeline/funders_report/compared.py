"""Programmes compared: every programme's change on each outcome in one forest plot (one
axis, right = better), the cohorts of each programme pooled with how much they differ, and
the change for one respondent attribute at a time (for whom). Sites are in the appendix;
cohorts in Over time."""

from __future__ import annotations

from typing import Any

from dashboard import charts, fmt, text
from pipeline.funders_report.context import Context, effect_description, improvement_points
from pipeline.funders_report.figures import tidy
from pipeline.funders_report.markup import badge, esc, held, hidden, people, section, table

HEADING = "heading"  # a forest line that names the outcome of the lines below it
#: Pixels per line of the forest plot, and for its axis around them.
FOREST_UNIT = 17
FOREST_FRAME = 70


def _forest(ctx: Context, wave: str) -> str:
    """Every programme's d_z per outcome, outcomes as headed groups."""
    rows: list[dict[str, Any]] = []
    for key in ctx.all_keys():
        found = [
            (programme, ctx.paired_one(programme["programme_id"], key, ctx.baseline, wave))
            for programme in ctx.programmes
        ]
        found = [(p, row) for p, row in found if row is not None]
        if not found:
            continue
        name = text.outcome_with_range(ctx.scales[key])
        rows.append({"label": name, "section": name, HEADING: True})
        rows += [{**row, "label": p["name"], "section": name} for p, row in found]
    if not rows:
        return ""
    fig = tidy(charts.forest_figure(rows))
    span = fig.layout.yaxis.range
    fig.update_layout(height=int(FOREST_FRAME + FOREST_UNIT * abs(span[0] - span[1])),
                      font={"size": 11})  # fmt: skip
    # outcome headings in bold, line by line (a wrapped label is several lines)
    ticks = list(fig.layout.yaxis.ticktext)
    for index, row in enumerate(rows):
        if row.get(HEADING):
            ticks[index] = "<br>".join(f"<b>{line}</b>" for line in ticks[index].split("<br>"))
    fig.update_yaxes(ticktext=ticks)
    shown = [r for r in rows if not r.get(HEADING)]
    names = {id(r): f"{r['section']}, {r['label']}" for r in shown}
    return ctx.figures.place(
        fig, effect_description(shown, lambda r: names[id(r)]),
        f"{esc(ctx.comparison(ctx.baseline, wave))}: each programme's d_z with its 95% CI, "
        "grouped by outcome. Right of 0 is better; same axis as the scorecard's scale of d_z.",
    )  # fmt: skip


def _pooled_cells(meta: dict[str, Any]) -> list[str]:
    """Cohorts pooled (Hartung–Knapp CI) and how much they differ, compactly."""
    if fmt.number_or_none(meta.get("pooled_d_z")) is None:
        k = fmt.count(meta.get("k_cohorts_pooled"), missing="0")
        return [f'<span class="na">not pooled ({esc(k)} cohorts shown)</span>', ""]
    low, high = meta.get("pooled_hk_ci_low"), meta.get("pooled_hk_ci_high")
    if fmt.number_or_none(low) is None:
        low, high = meta.get("pooled_ci_low"), meta.get("pooled_ci_high")
    left_out = (fmt.number_or_none(meta.get("n_cohorts")) or 0) - (
        fmt.number_or_none(meta.get("k_cohorts_pooled")) or 0
    )
    pooled = (
        f"d_z {esc(fmt.effect(meta.get('pooled_d_z')))} ({esc(fmt.interval(low, high, 2))}); "
        f"{esc(fmt.count(meta.get('k_cohorts_pooled')))} cohorts, n = "
        f"{people(meta.get('n_pairs_pooled'))}"
        + (f'; <span class="sub-inline">{int(left_out)} hidden left out</span>'
           if left_out > 0 else "")
    )  # fmt: skip
    return [pooled, esc(_differ(meta))]


def _differ(meta: dict[str, Any]) -> str:
    """'Little (I² 0%); a new cohort: −0.02 to 0.22': heterogeneity in a table cell."""
    i2 = fmt.number_or_none(meta.get("i2_percent"))
    if i2 is None:
        return "n/a"
    degree = "little" if i2 < 25 else "moderately" if i2 < 50 else "substantially" if i2 < 75 \
        else "a lot"  # fmt: skip
    words = f"Differ {degree} (I² {fmt.num(i2, 0)}%, {fmt.p_value(meta.get('q_p'))})"
    low, high = meta.get("prediction_low"), meta.get("prediction_high")
    if fmt.number_or_none(low) is not None and fmt.number_or_none(high) is not None:
        words += f"; a new cohort: {fmt.interval(low, high, 2)}"
    return words


def _pooled_table(ctx: Context) -> str:
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        block = []
        for key in ctx.keys(pid):
            meta = ctx.meta(pid, key, ctx.later[0])
            if meta is not None:
                block.append([esc(text.outcome_name(ctx.scales[key])), *_pooled_cells(meta)])
        if block:
            body += [esc(programme["name"]), *block]
    if not body:
        return ""
    return table(
        ["Outcome", "Cohorts pooled: d_z (95% CI)", "How much cohorts differ"],
        body, classes="compact pooled",
        caption=f"{esc(ctx.comparison(ctx.baseline, ctx.later[0]))}: random-effects pooling "
        "of each programme's cohorts (Hartung–Knapp 95% CI); I² is the share of the spread "
        "between cohorts beyond chance (Q test p); a new cohort's d_z would likely fall in "
        "the 95% prediction interval. Later comparisons: Over time.",
    )  # fmt: skip


def programmes_compared(ctx: Context) -> str:
    if not ctx.has_change:
        return ""
    wave = ctx.later[0]
    body = _forest(ctx, wave) + _pooled_table(ctx)
    if not body:
        return ""
    return section(
        "compared", "Programmes compared", body,
        f"The change from {esc(ctx.label(ctx.baseline).lower())} to "
        f"{esc(ctx.label(wave).lower())} for every programme on each outcome, then each "
        "programme's cohorts pooled and how much they differ. Each site's change is in the "
        "appendix; each cohort's in Over time.",
    )  # fmt: skip


def for_whom(ctx: Context) -> str:
    """The first later comparison for one respondent attribute at a time."""
    if not ctx.has_change:
        return ""
    wave = ctx.later[0]
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        for key in ctx.keys(pid):
            found = ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave, level="attribute")
            if not found:
                continue
            scale = ctx.scales[key]
            body.append(f"{esc(programme['name'])}: {esc(text.outcome_with_range(scale))}")
            for row in found:
                label = esc(text.group_label(row))
                if row.get("hidden"):
                    body.append([label, hidden(row), badge(row)])
                    continue
                body.append([
                    label, people(row.get("n_pairs")) + held(row),
                    f"{badge(row)} {esc(improvement_points(row, scale))}; d_av "
                    f"{esc(fmt.effect(row.get('d_av')))}",
                ])  # fmt: skip
    if not body:
        return ""
    return section(
        "forwhom", "For whom",
        table(["Group (as answered at the first survey)", "n linked", "Change"], body,
              classes="compact"),
        f"{esc(ctx.comparison(ctx.baseline, wave))} for one respondent attribute at a time. "
        "Compare groups within a programme; small groups are hidden.",
    )  # fmt: skip
