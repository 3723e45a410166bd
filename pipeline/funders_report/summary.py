"""The report's first pages: the cover, how to read it, and a one-to-two-page summary (one
line per programme, reach and retention, the scorecard, and the caveats a funder must keep
in mind)."""

from __future__ import annotations

import datetime as dt

from dashboard import fmt, suppress, text
from pipeline.funders_report.context import Context
from pipeline.funders_report.markup import count_cell, esc, percent_after, section, table
from pipeline.funders_report.scorecard import scorecard_chart, scorecard_table


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
        "<strong>Change</strong> compares the same people before and after (their later "
        "answers linked to their first), signed so that <strong>+ is better</strong> whichever "
        "way the scale runs.",
        "<strong>Points</strong> are on the outcome's own scale (range beside it). The "
        "<strong>95% CI</strong> is the range the data fit; when it includes 0 the result "
        "reads <em>no clear change</em>.",
        "<strong>Small, medium, large</strong> compare d_av with Cohen's 0.2, 0.5 and 0.8; "
        "the charts plot d_z on one common axis (it has no such benchmark).",
        f"<strong>n</strong> counts people. A result about fewer than {ctx.k} people is "
        "<strong>hidden</strong> and says why; hidden is never zero.",
    ]
    body = "".join(f"<li>{item}</li>" for item in items)
    return f'<aside class="guide"><h2>How to read this report</h2><ul>{body}</ul></aside>'


def _glance(ctx: Context) -> str:
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
            f"<li><strong>{esc(programme['name'])}</strong> "
            f'<span class="sub-inline">({esc(text.programme_summary(programme))} '
            f"{programme['n_cohorts']} cohorts at {programme['n_sites']} "
            f"site{'s' if programme['n_sites'] != 1 else ''})</span>. "
            f"{esc(text.summary_line(by_wave, ctx.labels))}</li>"
        )
    return f'<ul class="glance">{"".join(lines)}</ul>'


def _reach_table(ctx: Context) -> str:
    """Reached and retained per programme (the published programme rows only)."""
    headers = ["Programme", f"Reached ({esc(ctx.label(ctx.baseline))})"] + [
        f"Retained: {esc(ctx.label(w))}" for w in ctx.later
    ]
    rows = []
    for programme in ctx.programmes:
        pid = programme["programme_id"]
        reached = ctx.ex.one(pid, "reach", level="programme", wave_id=ctx.baseline,
                             measure="responses")  # fmt: skip
        cells = [count_cell(reached)]
        for wave in ctx.later:
            linked = ctx.ex.one(pid, "reach", level="programme", wave_id=wave, measure="linked")
            cells.append(count_cell(linked) + percent_after(linked, "retention"))
        rows.append([esc(programme["name"]), *cells])
    return table(
        headers, rows, classes="compact reach",
        caption="People who answered the first survey, then those whose later answers were "
        "linked to their first (retained; % of those reached). Change rests on the retained. "
        "Sites and cohorts: appendix.",
    )  # fmt: skip


def _selected_outcomes(ctx: Context) -> list[str]:
    """'Programme, outcome (wave)' wherever the people who came back had started out
    differently from those who did not (the attrition check)."""
    found = []
    for programme in ctx.programmes:
        for row in ctx.ex.rows(programme["programme_id"], "attrition"):
            scale = ctx.scales.get((row["instrument_id"], row["scale_id"]))
            if row.get("follow_up_selected") is True and not row.get("hidden") and scale:
                found.append(
                    f"{programme['name']}, {text.outcome_name(scale)} ({ctx.label(row['to_wave'])})"
                )
    return found


def _unchecked_keys(ctx: Context) -> list[str]:
    """Instruments in this report scored with a key not (fully) checked against the manual."""
    instruments = dict.fromkeys(key[0] for key in ctx.all_keys())
    names = {key[0]: scale for key, scale in ctx.scales.items()}
    return [
        text.instrument_abbreviation(names[i]["instrument_name"], i)
        for i in instruments
        if not ctx.ex.key_status.is_checked(i)
    ]


def _caveats(ctx: Context) -> str:
    items = [
        "<strong>No control group.</strong> These are changes among the people who took part; "
        "they do not show that the programme caused them (people also change with time, and "
        "with answering the same survey twice). Say “participants’ attitudes improved by …”."
    ]
    selected = _selected_outcomes(ctx)
    if selected:
        items.append(
            "<strong>Who came back.</strong> For "
            f"{len(selected)} result{'s' if len(selected) != 1 else ''} the people who answered "
            "again had started out differently from those who did not, so the result describes "
            "them, not everyone (listed under Data quality)."
        )
    unchecked = _unchecked_keys(ctx)
    if unchecked:
        items.append(
            f"<strong>Scoring keys.</strong> {esc(', '.join(unchecked))}: scored with a key "
            "not yet (fully) checked against the published manual (see Method)."
        )
    hidden_cells = sum(
        int(r["n_cells"]) for r in ctx.ex.disclosure_summary if r["status"] == "hidden"
    )
    items.append(
        f"<strong>Privacy.</strong> No result about fewer than {ctx.k} people is shown"
        + (f"; this release hides {hidden_cells:,} results (groups, not people)"
           if hidden_cells else "")
        + f". A hidden result says why (“{esc(suppress.hidden_label('too few people'))}”)."
    )  # fmt: skip
    body = "".join(f"<li>{item}</li>" for item in items)
    return f'<div class="caveats"><h3>Keep in mind</h3><ul>{body}</ul></div>'


def summary(ctx: Context) -> str:
    """One line per programme, reach and retention, the scorecard and the caveats."""
    if not ctx.programmes:
        return section("summary", "Summary", "<p>This extract has no programmes yet.</p>")
    if not ctx.has_change:
        return section("summary", "Summary", _glance(ctx) + "<p>No later surveys yet.</p>")
    return section(
        "summary", "Summary",
        _glance(ctx) + "<h3>Reach and retention</h3>" + _reach_table(ctx) + _caveats(ctx)
        + "<h3>Scorecard</h3>" + scorecard_chart(ctx) + scorecard_table(ctx),
        "On how many outcomes each programme's participants clearly improved at each later "
        "survey (outcomes counted, not people).",
    )  # fmt: skip
