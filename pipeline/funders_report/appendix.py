"""The appendix: compact detail tables for whoever wants every number. Each site's change,
reach and retention by site and cohort, and every comparison of every programme and outcome
with its statistics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard import fmt, suppress, text
from pipeline.funders_report.context import Context, d_z_words, improvement_points
from pipeline.funders_report.markup import (
    count_cell,
    esc,
    held,
    hidden,
    people,
    percent_after,
    section,
    table,
)


def _site_change(ctx: Context) -> str:
    """Per programme: one row per site, one column per outcome (first later comparison)."""
    wave = ctx.later[0]
    blocks = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        keys = ctx.keys(pid)
        sites = dict.fromkeys(
            r["site"] for key in keys
            for r in ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave, level="site")
        )  # fmt: skip
        if not sites:
            continue
        rows = []
        for site in sites:
            cells = []
            for key in keys:
                row = ctx.paired_one(pid, key, ctx.baseline, wave, level="site", site=site)
                if row is None:
                    cells.append('<span class="na">not collected</span>')
                elif row.get("hidden"):
                    cells.append(hidden(row))
                else:
                    cells.append(
                        f"{esc(d_z_words(row))}, n = {people(row.get('n_pairs'))}{held(row)}"
                    )
            rows.append([f"Site {esc(site)}", *cells])
        headers = ["Site", *(esc(text.outcome_name(ctx.scales[k])) for k in keys)]
        blocks.append(
            f"<h4>{esc(programme['name'])}</h4>" + table(headers, rows, classes="compact details")
        )
    if not blocks:
        return ""
    return (
        f"<h3>Each site's change ({esc(ctx.comparison(ctx.baseline, wave))})</h3>"
        '<p class="small">d_z with its 95% CI and the people linked; right of 0 is better.</p>'
        + "".join(blocks)
    )


def _reach_rows(ctx: Context, programme: Mapping[str, Any]) -> list[list[str]]:
    pid = programme["programme_id"]
    groups: list[tuple[dict[str, Any], str]] = [({"level": "programme"}, "<strong>All</strong>")]
    for site in dict.fromkeys(r["site"] for r in ctx.ex.rows(pid, "reach", level="site")):
        groups.append(({"level": "site", "site": site}, f"Site {esc(site)}"))
        for row in ctx.ex.rows(pid, "reach", level="cohort", site=site, wave_id=ctx.baseline,
                               measure="responses"):  # fmt: skip
            groups.append(
                ({"level": "cohort", "site": site, "cohort_id": row["cohort_id"]},
                 f'<span class="indent">{esc(row["cohort_id"])}, '
                 f"{esc(fmt.date(row['cohort_date']))}</span>")
            )  # fmt: skip
    rows = []
    for where, label in groups:
        cells = [count_cell(ctx.ex.one(pid, "reach", wave_id=ctx.baseline, measure="responses",
                                       **where))]  # fmt: skip
        for wave in ctx.later:
            linked = ctx.ex.one(pid, "reach", wave_id=wave, measure="linked", **where)
            cells.append(count_cell(linked) + percent_after(linked, "retention"))
        rows.append([label, *cells])
    return rows


def _reach(ctx: Context) -> str:
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        body += [esc(programme["name"]), *_reach_rows(ctx, programme)]
    headers = ["Group", f"Reached ({esc(ctx.label(ctx.baseline))})"] + [
        f"Retained: {esc(ctx.label(w))}" for w in ctx.later
    ]
    return "<h3>Reach and retention by site and cohort</h3>" + table(
        headers, body, classes="compact details"
    )


def _detail_cells(row: Mapping[str, Any], scale: Mapping[str, Any]) -> list[str]:
    """The cells of one shown paired row, each a short line."""
    shares = fmt.percentages_adding_up([row.get(c) for c in suppress.SHARE_COLUMNS])
    reliable = []
    for share, word, column in zip(shares, ("improved", "unchanged", "worse"),
                                   suppress.SHARE_COLUMNS, strict=True):  # fmt: skip
        reliable.append(f"{share}% {word}" if share is not None
                        else f"{word}: {suppress.share_label(row, column)}")  # fmt: skip
    return [
        people(row.get("n_pairs")) + held(row),
        f"{esc(fmt.score(row.get('mean_from')))} → {esc(fmt.score(row.get('mean_to')))}",
        esc(improvement_points(row, scale).replace(" points (95% CI", " (")),
        esc(d_z_words(row)),
        f"d_av {esc(fmt.effect(row.get('d_av')))} "
        f"({esc(fmt.interval(row.get('d_av_ci_low'), row.get('d_av_ci_high'), 2))})",
        esc(f"{fmt.effect(row.get('g_z'))}; {fmt.p_value(row.get('p'))}"),
        esc(", ".join(reliable)),
    ]


def _every_result(ctx: Context) -> str:
    body: list[list[str] | str] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        for key in ctx.keys(pid):
            scale = ctx.scales[key]
            found = sorted(
                ctx.paired(pid, key),
                key=lambda r: (not r.get("is_from_baseline"), r.get("from_wave_order") or 0,
                               r.get("to_wave_order") or 0),
            )  # fmt: skip
            if not found:
                continue
            body.append(f"{esc(programme['name'])}: {esc(text.outcome_with_range(scale))}")
            for row in found:
                label = esc(ctx.comparison(row["from_wave"], row["to_wave"]))
                body.append([label, hidden(row), "", "", "", "", "", ""] if row.get("hidden")
                            else [label, *_detail_cells(row, scale)])  # fmt: skip
    if not body:
        return ""
    headers = ["Comparison", "n linked", "Averages", "Change, points (95% CI)",
               "d_z (95% CI)", "d_av (95% CI)", "g_z; p", "Reliable change"]  # fmt: skip
    return "<h3>Every result among linked people</h3>" + table(
        headers, body, classes="compact details every"
    )


def appendix(ctx: Context) -> str:
    if not ctx.has_change:
        return ""
    return section(
        "details", "Appendix: detail tables",
        _site_change(ctx) + _reach(ctx) + _every_result(ctx),
        "Every site's change, reach by site and cohort, and every comparison with its "
        "statistics. The Method notes say what each number means.",
    )  # fmt: skip
