"""The report's sections: pure functions from the (suppressed) extract to HTML.

The numbers are the extract's rows as `dashboard.queries` returns them, already through
`dashboard.suppress.apply`; the words come from `dashboard.text`, the numbers' formatting
from `dashboard.fmt` and the charts from `dashboard.charts`. Nothing is summed or averaged
across rows (docs/extract.md: the extract is protected for the cells it publishes, not for
new totals), and a hidden cell always says why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from dashboard import charts, fmt, suppress, text
from pipeline.funders_report.data import Extract
from pipeline.funders_report.figures import (
    Figures,
    common_range,
    effect_values,
    share_axis,
    tidy,
)
from pipeline.funders_report.markup import (
    badge,
    count_cell,
    esc,
    held,
    hidden,
    markdown,
    people,
    percent_after,
    section,
    table,
)

CONSTRUCT_ORDER = list(text.CONSTRUCT_LABELS)
D_Z = ("d_z", "d_z_ci_low", "d_z_ci_high")

#: Plain names of the extract's result tables (suppression notes).
TABLE_WORDS = {
    "reach": "People reached and retained",
    "paired_stats": "Change among linked people",
    "wave_means": "Average scores at each survey",
    "wave_comparison": "All responses compared between surveys",
    "attrition": "Attrition checks",
    "reliability": "Reliability of each scale",
    "cohort_meta": "Cohorts pooled",
    "item_distributions": "Answers to each item",
    "data_quality": "Records left out",
    "linkage_quality": "Linkage by match type",
}

#: Link statuses in reading order, with what they mean.
LINK_WORDS = {
    "all_responses": "Responses at this survey",
    "linked": "Linked to a first answer",
    "participant_id": "by platform participant id",
    "exact": "by an identical self-generated code",
    "one_element": "by a code differing in one element",
    "ambiguous": "Ambiguous (not linked)",
    "unmatched": "No first answer found",
    "no_code": "No usable code",
}


class Context:
    """The extract and what every section derives from its reference tables."""

    def __init__(self, ex: Extract, figures: Figures) -> None:
        self.ex = ex
        self.figures = figures
        self.k = ex.min_cell_size
        self.labels = ex.labels
        self.baseline = ex.baseline
        self.later = ex.later
        self.scales = ex.scales
        self.programmes = ex.programmes

    def label(self, wave_id: str) -> str:
        return text.wave_label(wave_id, self.labels)

    def comparison(self, from_wave: str, to_wave: str) -> str:
        return text.comparison_label(from_wave, to_wave, self.labels)

    def scale_order(self, key: tuple[str, str]) -> tuple:
        construct = str(self.scales.get(key, {}).get("construct", ""))
        rank = CONSTRUCT_ORDER.index(construct) if construct in CONSTRUCT_ORDER else 99
        return (rank, key)

    def keys(self, programme_id: str) -> list[tuple[str, str]]:
        """The programme's scales with programme-level results, in construct order."""
        found = {
            (r["instrument_id"], r["scale_id"])
            for r in self.ex.rows(programme_id, "paired_stats", level="programme")
            if (r["instrument_id"], r["scale_id"]) in self.scales
        }
        return sorted(found, key=self.scale_order)

    def all_keys(self) -> list[tuple[str, str]]:
        found = {key for p in self.programmes for key in self.keys(p["programme_id"])}
        return sorted(found, key=self.scale_order)

    def paired(self, pid: str, key: tuple[str, str], **where: Any) -> list[dict[str, Any]]:
        where.setdefault("level", "programme")
        return self.ex.rows(pid, "paired_stats", instrument_id=key[0], scale_id=key[1], **where)

    def paired_one(self, pid: str, key: tuple[str, str], from_wave: str, to_wave: str,
                   **where: Any) -> dict[str, Any] | None:  # fmt: skip
        found = self.paired(pid, key, from_wave=from_wave, to_wave=to_wave, **where)
        return found[0] if found else None

    def outcomes_frame(self, keys: Sequence[tuple[str, str]]) -> pd.DataFrame:
        frame = self.ex.scales_frame.set_index(["instrument_id", "scale_id"], drop=False)
        return frame.loc[list(keys)].reset_index(drop=True)


def _frame(rows: Sequence[Mapping[str, Any]], like: pd.DataFrame) -> pd.DataFrame:
    """Suppressed rows back as a frame with the columns of `like` (for the chart builders)."""
    return pd.DataFrame(list(rows), columns=like.columns) if rows else like.iloc[0:0]


def _n_word(n: Any) -> str:
    return f"{fmt.count(n)} people"


# ------------------------------------------------------------------ cover and reading guide


def cover(ctx: Context, generated: dt.datetime) -> str:
    meta = ctx.ex.meta
    firsts = [p["first_cohort_date"] for p in ctx.programmes if p.get("first_cohort_date")]
    lasts = [p["last_cohort_date"] for p in ctx.programmes if p.get("last_cohort_date")]
    period = f"Sessions from {fmt.date_range(min(firsts), max(lasts))}. " if firsts else ""
    count = len(ctx.programmes)
    return (
        '<header class="cover"><p class="kicker">Funders’ report</p>'
        f"<h1>{esc(meta.get('project', 'Ripple project'))}</h1>"
        '<p class="subtitle">Did it work, how much, for whom, does it last, and is it getting '
        "better?</p>"
        f'<p class="facts">{esc(period)}{count} programme{"s" if count != 1 else ""}. '
        f"Results as published on {esc(fmt.timestamp(meta.get('built_at')))} (run "
        f"{esc(meta.get('run_id', 'unknown'))}); report written "
        f"{esc(generated.strftime('%d %b %Y, %H:%M UTC'))}.</p></header>"
    )


def reading_guide(ctx: Context) -> str:
    items = [
        "<strong>Change</strong> compares the same people before and after: each person's "
        "later answers are linked to their first. Every change is signed so that "
        "<strong>+ is better</strong>, whichever way the scale runs (a fall in loneliness "
        "shows as +).",
        "<strong>Points</strong> are on the outcome's own scale, whose range is given beside "
        "it. The <strong>95% CI</strong> is the range of values the data fit; when it "
        "includes 0 the result reads <em>no clear change</em>.",
        "<strong>Small, medium, large</strong> compare d_av (the change on the scale of a "
        "difference between groups) with Cohen's benchmarks 0.2, 0.5 and 0.8. The charts "
        "plot d_z on one common axis: it has no such benchmark.",
        f"<strong>n</strong> counts people. A result about fewer than {ctx.k} people is "
        "<strong>hidden</strong> and says why; hidden is never zero.",
    ]
    body = "".join(f"<li>{item}</li>" for item in items)
    return f'<aside class="guide"><h2>How to read this report</h2><ul>{body}</ul></aside>'


# ------------------------------------------------------------------ at a glance


def _programme_reach(ctx: Context, pid: str) -> list[dict[str, Any]]:
    return ctx.ex.rows(pid, "reach", level="programme")


def at_a_glance(ctx: Context) -> str:
    if not ctx.programmes:
        return section("glance", "At a glance", "<p>This extract has no programmes yet.</p>")
    lines = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        by_wave = {
            wave: [
                row
                for key in ctx.keys(pid)
                for row in ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave)
            ]
            for wave in ctx.later
        }
        lines.append(
            f"<li><strong>{esc(programme['name'])}.</strong> "
            f"{esc(text.reach_sentence(_programme_reach(ctx, pid), ctx.labels))} "
            f"{esc(text.summary_line(by_wave, ctx.labels))}</li>"
        )
    return section(
        "glance", "At a glance", f'<ul class="glance">{"".join(lines)}</ul>',
        "Each programme's reach, and on how many outcomes the same people clearly improved at "
        "each later survey (the 95% CI of their average change lies above 0). Outcomes are "
        "counted, not people.",
    )  # fmt: skip


# ------------------------------------------------------------------ scorecard


def _effect_description(rows: Sequence[Mapping[str, Any]], name_of) -> str:
    parts = []
    for row in rows:
        name = name_of(row)
        if row.get("hidden"):
            parts.append(f"{name}: {row.get('hidden_label')}")
            continue
        parts.append(
            f"{name}: d_z {fmt.effect(row.get('d_z'))} (95% CI "
            f"{fmt.interval(row.get('d_z_ci_low'), row.get('d_z_ci_high'), 2)}), "
            f"{_n_word(row.get('n_pairs'))}{text.held_suffix(row)}"
        )
    return "; ".join(parts) + "." if parts else "No results."


def _change_cell(row: Mapping[str, Any] | None, scale: Mapping[str, Any]) -> str:
    if row is None:
        return '<span class="na">not collected</span>'
    if row.get("hidden"):
        return badge(row)
    change = fmt.derived_improvement(
        row.get("mean_from"), row.get("mean_to"), bool(scale["higher_is_better"])
    )
    ci = fmt.interval(row.get("improvement_ci_low"), row.get("improvement_ci_high"), 1, plus=True)
    d_av = fmt.interval(row.get("d_av_ci_low"), row.get("d_av_ci_high"), 2)
    return (
        f"{badge(row)}{held(row)}"
        f'<div class="change">{esc(fmt.signed(change))} points '
        f'<span class="sub-inline">(95% CI {esc(ci)})</span></div>'
        f'<div class="effect">{esc(fmt.score(row.get("mean_from")))} → '
        f"{esc(fmt.score(row.get('mean_to')))} on {esc(text.scale_note(scale))}</div>"
        f'<div class="effect">d_av {esc(fmt.effect(row.get("d_av")))} (95% CI {esc(d_av)}); '
        f"d_z {esc(fmt.effect(row.get('d_z')))}</div>"
        f'<div class="effect">n = {people(row.get("n_pairs"))} people linked</div>'
    )


def scorecard(ctx: Context) -> str:
    if ctx.baseline is None or not ctx.later:
        return section("scorecard", "Scorecard", "<p>No later surveys in this extract.</p>")
    every = [
        row
        for p in ctx.programmes
        for row in ctx.ex.rows(
            p["programme_id"], "paired_stats", level="programme", from_wave=ctx.baseline
        )
    ]
    low, high = common_range(effect_values(every, D_Z))
    blocks = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        keys = ctx.keys(pid)
        head = (
            f'<h3>{esc(programme["name"])}</h3><p class="sub">'
            f"{esc(text.programme_summary(programme))} {programme['n_cohorts']} cohorts at "
            f"{programme['n_sites']} site{'s' if programme['n_sites'] != 1 else ''}, "
            f"{esc(fmt.date_range(programme['first_cohort_date'], programme['last_cohort_date']))}"
            f".</p><p>{esc(text.reach_sentence(_programme_reach(ctx, pid), ctx.labels))}</p>"
        )
        if not keys:
            blocks.append(f'<div class="programme">{head}<p>No change results yet.</p></div>')
            continue
        rows = [r for key in keys for r in ctx.paired(pid, key, from_wave=ctx.baseline)]
        frame = _frame(rows, ctx.ex.frame(pid, "paired_stats"))
        fig = share_axis(
            charts.scorecard_figure(frame, ctx.outcomes_frame(keys), ctx.labels), low, high
        )
        description = _effect_description(
            rows,
            lambda r: (
                f"{text.outcome_name(ctx.scales[(r['instrument_id'], r['scale_id'])])}, "
                f"{ctx.comparison(r['from_wave'], r['to_wave'])}"
            ),
        )
        selected = {
            (r["instrument_id"], r["scale_id"], r["to_wave"]): r.get("follow_up_selected")
            for r in ctx.ex.rows(pid, "attrition")
            if not r.get("hidden")
        }
        lines, table_rows = [], []
        for key in keys:
            scale = ctx.scales[key]
            comparisons = [ctx.paired_one(pid, key, ctx.baseline, wave) for wave in ctx.later]
            shown = [row for row in comparisons if row is not None]
            marks = {w: bool(selected.get((*key, w))) for w in ctx.later}
            lines.append(f"<li>{esc(text.outcome_line(scale, shown, ctx.labels, marks))}</li>")
            table_rows.append(
                [
                    f'<span class="outcome">{esc(text.outcome_name(scale))}</span>'
                    f'<span class="sub">{esc(text.construct_label(str(scale["construct"])))}'
                    f" · {esc(text.scale_note(scale))}</span>",
                    *(_change_cell(row, scale) for row in comparisons),
                ]
            )
        headers = ["Outcome", *(esc(ctx.comparison(ctx.baseline, w)) for w in ctx.later)]
        blocks.append(
            f'<div class="programme">{head}'
            + ctx.figures.place(fig, description, esc(text.benchmark_caption()))
            + f'<ul class="lines">{"".join(lines)}</ul>'
            + table(headers, table_rows, classes="scorecard")
            + "</div>"
        )
    return section(
        "scorecard", "Scorecard", "".join(blocks),
        "For each programme: who was reached and retained, then each outcome's change among "
        "the people who answered both surveys, on one axis shared by every programme in this "
        "report.",
    )  # fmt: skip


# ------------------------------------------------------------------ reach and retention


def reach(ctx: Context) -> str:
    if ctx.baseline is None:
        return ""
    bars, blocks, notes = [], [], []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        name = programme["name"]
        for row in _programme_reach(ctx, pid):
            if row["measure"] == "responses" and row["wave_id"] == ctx.baseline:
                bars.append({**row, "label": f"{name}: reached"})
        for wave in ctx.later:
            row = ctx.ex.one(pid, "reach", level="programme", wave_id=wave, measure="linked")
            if row is not None:
                share = "" if row.get("hidden") else percent_after(row, "retention")
                bars.append({**row, "label": f"{name}: retained, {ctx.label(wave)}{share}"})
        blocks.append(_reach_table(ctx, programme))
        for row in ctx.ex.rows(pid, "attrition"):
            if row.get("follow_up_selected") is True and not row.get("hidden"):
                scale = ctx.scales.get((row["instrument_id"], row["scale_id"]))
                sentence = text.attrition_sentence(row, ctx.labels) or ""
                notes.append(
                    f"<li><strong>{esc(name)}, "
                    f"{esc(text.outcome_name(scale) if scale else row['scale_id'])}:</strong> "
                    f"{esc(sentence)}</li>"
                )
    if not bars:
        return ""
    description = "; ".join(
        f"{b['label']}: {b['hidden_label'] if b.get('hidden') else _n_word(b.get('n'))}"
        for b in bars
    )
    fig = tidy(charts.count_bars_figure(bars, "n"))
    attrition = (
        '<div class="note"><p><strong>Attrition check.</strong> Where the people who answered '
        "again had started out differently from those who did not, the later result "
        f"describes them, not everyone:</p><ul>{''.join(notes)}</ul></div>"
        if notes
        else '<p class="note"><strong>Attrition check.</strong> Wherever it could be shown, '
        "the people who answered again had started out much like those who did not.</p>"
    )
    return section(
        "reach", "Reach and retention",
        ctx.figures.place(
            fig, description,
            "People who answered the first survey (reached), then those whose later answers "
            "were linked to their first (retained), with the share of those reached.",
        ) + attrition + "".join(blocks),
        "Change can only be measured for people who answered again: retention says how many "
        "did, the attrition check whether they differed from those who did not.",
    )  # fmt: skip


def _reach_table(ctx: Context, programme: Mapping[str, Any]) -> str:
    pid = programme["programme_id"]
    headers = ["Group", f"{esc(ctx.label(ctx.baseline))}: reached"] + [
        f"{esc(ctx.label(w))}: retained" for w in ctx.later
    ]
    groups: list[tuple[dict[str, Any], str]] = [
        ({"level": "programme"}, f"<strong>{esc(programme['name'])}</strong>")
    ]
    sites = dict.fromkeys(r["site"] for r in ctx.ex.rows(pid, "reach", level="site"))
    for site in sites:
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
    return f"<h3>{esc(programme['name'])}: by site and cohort</h3>" + table(
        headers, rows, classes="compact"
    )


# ------------------------------------------------------------------ programmes compared


def _forest_rows(ctx: Context, key: tuple[str, str], wave: str) -> list[dict[str, Any]]:
    rows = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        top = ctx.paired_one(pid, key, ctx.baseline, wave)
        if top is None:
            continue
        rows.append({**top, "label": programme["name"], "section": "programme"})
        for row in ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave, level="site"):
            rows.append({**row, "label": f"Site {row['site']}", "section": "site"})
        for row in ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave, level="cohort"):
            rows.append({**row, "label": f"{row['cohort_id']} ({fmt.date(row['cohort_date'])})",
                         "section": "cohort"})  # fmt: skip
    return rows


def programmes_compared(ctx: Context) -> str:
    if ctx.baseline is None or not ctx.later:
        return ""
    wave = ctx.later[0]
    per_key = {key: _forest_rows(ctx, key, wave) for key in ctx.all_keys()}
    metas = [m for p in ctx.programmes for m in ctx.ex.rows(p["programme_id"], "cohort_meta")]
    low, high = common_range(
        effect_values([r for rows in per_key.values() for r in rows], D_Z)
        + effect_values(metas, ("pooled_hk_ci_low", "pooled_hk_ci_high"))
    )
    blocks = []
    for key, rows in per_key.items():
        if not rows:
            continue
        scale = ctx.scales[key]
        single = [p for p in ctx.programmes if ctx.paired_one(p["programme_id"], key,
                                                             ctx.baseline, wave)]  # fmt: skip
        pooled = None
        if len(single) == 1:
            pooled = ctx.ex.one(single[0]["programme_id"], "cohort_meta", instrument_id=key[0],
                                scale_id=key[1], from_wave=ctx.baseline, to_wave=wave)  # fmt: skip
        fig = share_axis(charts.forest_figure(rows, pooled), low, high)
        sentences = []
        for programme in single:
            for meta in ctx.ex.rows(programme["programme_id"], "cohort_meta",
                                    instrument_id=key[0], scale_id=key[1],
                                    from_wave=ctx.baseline):  # fmt: skip
                said = (
                    text.join_nonempty(
                        [text.pooled_sentence(meta), text.heterogeneity_sentence(meta)]
                    )
                    or "Cohorts not pooled (fewer than 2 cohorts shown)."
                )
                sentences.append(
                    f"<li><strong>{esc(programme['name'])}, "
                    f"{esc(ctx.comparison(meta['from_wave'], meta['to_wave']))}:</strong> "
                    f"{esc(said)}</li>"
                )
        comparison = ctx.comparison(ctx.baseline, wave)
        blocks.append(
            f'<div class="compare"><h3>{esc(text.outcome_with_range(scale))}: '
            f"{esc(comparison)}</h3>"
            + ctx.figures.place(
                fig, _effect_description(rows, lambda r: str(r["label"])),
                "Each programme, then its sites and its cohorts by date: d_z with its 95% CI. "
                "Right of 0 is better; every chart of this section has the same axis.",
            )
            + f'<ul class="lines">{"".join(sentences)}</ul></div>'
        )  # fmt: skip
    return section(
        "compared", "Programmes, sites and cohorts compared", "".join(blocks),
        f"The change from {esc(ctx.label(ctx.baseline).lower())} to "
        f"{esc(ctx.label(wave).lower())} for every programme, site and cohort, with the "
        "cohorts pooled (random effects) and how much they differ. Later comparisons are in "
        "Over time and the appendix.",
    )  # fmt: skip


# ------------------------------------------------------------------ over time


def over_time(ctx: Context) -> str:
    if ctx.baseline is None or not ctx.later:
        return ""
    wave = ctx.later[0]
    charts_in = []
    values: list[float] = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        for key in ctx.keys(pid):
            cohorts = ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave, level="cohort")
            if not cohorts:
                continue
            meta = ctx.ex.one(pid, "cohort_meta", instrument_id=key[0], scale_id=key[1],
                              from_wave=ctx.baseline, to_wave=wave)  # fmt: skip
            values += effect_values(cohorts, D_Z)
            if meta is not None:
                values += effect_values([meta], ("pooled_hk_ci_low", "pooled_hk_ci_high"))
            charts_in.append((programme, key, cohorts, meta))
    if not charts_in:
        return ""
    low, high = common_range(values)
    blocks = []
    for programme, key, cohorts, meta in charts_in:
        pid = programme["programme_id"]
        scale = ctx.scales[key]
        frame = _frame(cohorts, ctx.ex.frame(pid, "paired_stats"))
        fig = share_axis(charts.trend_figure(frame, meta), low, high, axis="y")
        description = _effect_description(
            cohorts, lambda r: f"cohort {r['cohort_id']} ({fmt.date(r['cohort_date'])})"
        )
        trends = [
            f"<li><strong>{esc(ctx.comparison(m['from_wave'], m['to_wave']))}:</strong> "
            f"{esc(text.trend_sentence(m))}</li>"
            for m in ctx.ex.rows(
                pid, "cohort_meta", instrument_id=key[0], scale_id=key[1], from_wave=ctx.baseline
            )
        ]
        lasting = [
            r
            for r in ctx.paired(pid, key)
            if r["from_wave"] == ctx.baseline or r["from_wave"] in ctx.later
        ]
        lasting.sort(key=lambda r: (not r.get("is_from_baseline"), r.get("to_wave_order") or 0))
        blocks.append(
            f'<div class="overtime"><h3>{esc(programme["name"])}: '
            f"{esc(text.outcome_with_range(scale))}</h3>"
            + ctx.figures.place(
                fig, description,
                f"Each cohort's d_z ({esc(ctx.comparison(ctx.baseline, wave))}) by the date "
                "it ran, with the cohorts pooled. Same axes in every chart of this section.",
            )
            + f'<p><strong>Is it getting better?</strong></p><ul class="lines">{"".join(trends)}'
            f"</ul><p><strong>Does it last?</strong> "
            f"{esc(text.persistence_sentence(lasting, ctx.labels))}</p></div>"
        )  # fmt: skip
    return section(
        "overtime", "Over time", "".join(blocks),
        "Each cohort's change by the date its session ran, the trend across cohorts, and "
        "whether the change holds at the later survey.",
    )  # fmt: skip


# ------------------------------------------------------------------ for whom


def for_whom(ctx: Context) -> str:
    if ctx.baseline is None or not ctx.later:
        return ""
    wave = ctx.later[0]
    blocks = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        for key in ctx.keys(pid):
            found = ctx.paired(pid, key, from_wave=ctx.baseline, to_wave=wave,
                               level="attribute")  # fmt: skip
            if not found:
                continue
            scale = ctx.scales[key]
            rows = []
            for row in found:
                label = esc(text.group_label(row))
                if row.get("hidden"):
                    rows.append([label, hidden(row), badge(row)])
                    continue
                change = fmt.derived_improvement(
                    row.get("mean_from"), row.get("mean_to"), bool(scale["higher_is_better"])
                )
                rows.append([
                    label, people(row.get("n_pairs")) + held(row),
                    f"{badge(row)} {esc(fmt.signed(change))} points; d_av "
                    f"{esc(fmt.effect(row.get('d_av')))}",
                ])  # fmt: skip
            blocks.append(
                f"<h3>{esc(programme['name'])}: {esc(text.outcome_with_range(scale))}, "
                f"{esc(ctx.comparison(ctx.baseline, wave))}</h3>"
                + table(["Group (as answered at the first survey)", "n linked", "Change"],
                        rows, classes="compact")
            )  # fmt: skip
    if not blocks:
        return ""
    return section(
        "forwhom", "For whom", "".join(blocks),
        "The same change for one respondent attribute at a time. Compare groups within a "
        "programme; small groups are hidden.",
    )  # fmt: skip


# ------------------------------------------------------------------ data quality


def data_quality(ctx: Context) -> str:
    blocks = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        name = esc(programme["name"])
        records = ctx.ex.rows(pid, "data_quality")
        if records:
            waves = list(dict.fromkeys(r["wave_id"] for r in records))
            rows = []
            for measure in ("excluded", "quarantined"):
                reasons = sorted({r["reason"] for r in records if r["measure"] == measure},
                                 key=lambda reason: (reason != "all", reason))  # fmt: skip
                for reason in reasons:
                    label = (
                        f"<strong>{measure.capitalize()}, every reason</strong>"
                        if reason == "all"
                        else f'<span class="indent">{esc(reason.replace("_", " "))}</span>'
                    )
                    cells = [
                        count_cell(
                            ctx.ex.one(
                                pid, "data_quality", wave_id=w, measure=measure, reason=reason
                            ),
                            "n_records",
                        )
                        for w in waves
                    ]
                    rows.append([label, *cells])
            blocks.append(
                f"<h3>{name}: records left out</h3>"
                + table(["Reason", *(esc(ctx.label(w)) for w in waves)], rows,
                        classes="compact",
                        caption="Records counted once each; a record failing several checks "
                        "is counted under the first.")
            )  # fmt: skip
        linkage = ctx.ex.rows(pid, "linkage_quality")
        if linkage:
            waves = [w for w in ctx.later if any(r["wave_id"] == w for r in linkage)]
            rows = []
            for status, words in LINK_WORDS.items():
                if not any(r["link_status"] == status for r in linkage):
                    continue
                cells = []
                for w in waves:
                    row = ctx.ex.one(pid, "linkage_quality", wave_id=w, link_status=status)
                    share = "" if status == "all_responses" else percent_after(
                        row, "share_of_responses")  # fmt: skip
                    cells.append(count_cell(row) + share)
                indent = status in ("participant_id", "exact", "one_element")
                label = f'<span class="indent">{esc(words)}</span>' if indent else esc(words)
                rows.append([label, *cells])
            blocks.append(
                f"<h3>{name}: how later answers were linked</h3>"
                + table(["Responses", *(esc(ctx.label(w)) for w in waves)], rows,
                        classes="compact")
            )  # fmt: skip
        blocks.append(_reliability(ctx, programme))
    return section(
        "quality", "Data quality", "".join(blocks),
        "Records left out of the analysis and why; how answers at later surveys were linked "
        "to the same person's first answer; how consistently each scale measured.",
    )  # fmt: skip


def _reliability(ctx: Context, programme: Mapping[str, Any]) -> str:
    pid = programme["programme_id"]
    found = ctx.ex.rows(pid, "reliability")
    if not found:
        return ""
    waves = [w["wave_id"] for w in ctx.ex.waves if any(r["wave_id"] == w["wave_id"]
                                                       for r in found)]  # fmt: skip
    keys = sorted({(r["instrument_id"], r["scale_id"]) for r in found}, key=ctx.scale_order)
    rows = []
    for key in keys:
        scale = ctx.scales.get(key)
        cells = []
        for wave in waves:
            row = ctx.ex.one(pid, "reliability", instrument_id=key[0], scale_id=key[1],
                             wave_id=wave)  # fmt: skip
            if row is None:
                cells.append("")
            elif row.get("hidden"):
                cells.append(hidden(row))
            elif fmt.number_or_none(row.get("alpha")) is None:
                cells.append('<span class="na">not available</span>')
            else:
                flag = ' <span class="flag">below .70</span>' if row.get(
                    "is_alpha_below_070") else ""  # fmt: skip
                cells.append(
                    f"α {esc(fmt.num(row.get('alpha'), 2))}{flag}, n = "
                    f"{people(row.get('n_complete'))}{held(row)}"
                )
        name = text.outcome_name(scale) if scale else f"{key[0]} {key[1]}"
        rows.append([esc(name), *cells])
    return f"<h3>{esc(programme['name'])}: reliability</h3>" + table(
        ["Scale", *(esc(ctx.label(w)) for w in waves)], rows, classes="compact",
        caption="Cronbach's alpha over complete answers; below .70 (flagged), read changes on "
        "that scale with caution.",
    )  # fmt: skip


# ------------------------------------------------------------------ method and suppression


def method(ctx: Context) -> str:
    terms = "".join(
        f"<dt>{esc(term)}</dt><dd>{esc(meaning)}</dd>" for term, meaning in text.glossary()
    )
    field = "".join(
        f"<li>{esc(text.construct_label(name))}: {esc(words)}.</li>"
        for name, words in text.FIELD_BENCHMARKS.items()
    )
    citations = "".join(
        f"<li>{esc(text.outcome_with_range(s))}: {esc(s['instrument_name'])}, the "
        f"{esc(s['aggregation'])} of its items; "
        f"{esc(text.direction_words(bool(s['higher_is_better'])))}. {esc(s['citation'])}</li>"
        for key, s in sorted(ctx.scales.items(), key=lambda item: ctx.scale_order(item[0]))
    )
    return section(
        "method", "Method notes",
        f'<dl class="method">{terms}</dl>'
        f"<p>{markdown(text.control_group_note())}</p>"
        + (f"<h3>What the field finds</h3><ul>{field}</ul>" if field else "")
        + (f'<h3>Instruments</h3><ul class="refs">{citations}</ul>' if citations else ""),
        "What each number means, and what a before-and-after change can and cannot say.",
    )  # fmt: skip


def suppression(ctx: Context) -> str:
    body = f"<p>{markdown(text.suppression_rule(ctx.k))}</p>"
    summary = ctx.ex.disclosure_summary
    if summary:
        rows = []
        for name in dict.fromkeys(r["table_name"] for r in summary):
            mine = [r for r in summary if r["table_name"] == name]
            shown = sum(int(r["n_cells"]) for r in mine if r["status"] == "shown")
            held_n = sum(int(r["n_cells"]) for r in mine if r["status"] == "held")
            hidden_by = "; ".join(
                f"{int(r['n_cells']):,} {esc(suppress.REASON_LABELS.get(r['reason'], r['reason']))}"
                for r in mine
                if r["status"] == "hidden"
            )
            rows.append([esc(TABLE_WORDS.get(name, name)), f"{shown:,}", f"{held_n:,}",
                         hidden_by or "none"])  # fmt: skip
        body += table(
            ["Results", "Shown", f"Held ({esc(suppress.HELD_LABEL)})", "Hidden, by reason"],
            rows, classes="compact",
            caption="How many results (groups of people, not people) this release shows, holds "
            "and hides: the cost of protecting privacy.",
        )  # fmt: skip
    return section("suppression", "Suppression notes", body)


# ------------------------------------------------------------------ appendix


def appendix(ctx: Context) -> str:
    if ctx.baseline is None:
        return ""
    headers = ["Outcome and comparison", "n linked", "Averages", "Change (95% CI)",
               "Effect sizes (95% CI)", "Reliable change"]  # fmt: skip
    blocks = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        rows = []
        for key in ctx.keys(pid):
            scale = ctx.scales[key]
            found = sorted(
                ctx.paired(pid, key),
                key=lambda r: (not r.get("is_from_baseline"), r.get("from_wave_order") or 0,
                               r.get("to_wave_order") or 0),
            )  # fmt: skip
            for row in found:
                label = (
                    f'<span class="outcome">{esc(text.outcome_with_range(scale))}</span>'
                    f'<span class="sub">{esc(ctx.comparison(row["from_wave"], row["to_wave"]))}'
                    "</span>"
                )
                if row.get("hidden"):
                    rows.append([label, hidden(row), "", "", "", ""])
                    continue
                rows.append([label, *_detail_cells(row, scale)])
        if rows:
            blocks.append(
                f"<h3>{esc(programme['name'])}</h3>"
                + table(headers, rows, classes="compact details")
            )
    return section(
        "details", "Appendix: every result", "".join(blocks),
        "Every comparison of every programme and outcome among linked people, with its "
        "statistics. The Method notes say what each number means.",
    )  # fmt: skip


def _detail_cells(row: Mapping[str, Any], scale: Mapping[str, Any]) -> list[str]:
    """The appendix's cells for one shown paired row."""
    change = fmt.derived_improvement(
        row.get("mean_from"), row.get("mean_to"), bool(scale["higher_is_better"])
    )
    ci = fmt.interval(row.get("improvement_ci_low"), row.get("improvement_ci_high"), 1, plus=True)
    effects = [
        f"d_z {fmt.effect(row.get('d_z'))} "
        f"({fmt.interval(row.get('d_z_ci_low'), row.get('d_z_ci_high'), 2)})",
        f"d_av {fmt.effect(row.get('d_av'))} "
        f"({fmt.interval(row.get('d_av_ci_low'), row.get('d_av_ci_high'), 2)})",
        f"g_z {fmt.effect(row.get('g_z'))}; {fmt.p_value(row.get('p'))}",
    ]
    shares = fmt.percentages_adding_up([row.get(c) for c in suppress.SHARE_COLUMNS])
    reliable = []
    for share, word, column in zip(shares, ("improved", "unchanged", "worse"),
                                   suppress.SHARE_COLUMNS, strict=True):  # fmt: skip
        reliable.append(f"{share}% {word}" if share is not None
                        else f"{word}: {suppress.share_label(row, column)}")  # fmt: skip
    return [
        people(row.get("n_pairs")) + held(row),
        f"{esc(fmt.score(row.get('mean_from')))} → {esc(fmt.score(row.get('mean_to')))}",
        f"{badge(row)}<br>{esc(fmt.signed(change))} ({esc(ci)})",
        "<br>".join(esc(e) for e in effects),
        "<br>".join(esc(r) for r in reliable),
    ]
