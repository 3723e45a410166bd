"""Tables of results about people: paired change, reach and retention, all available
responses, the attrition check, and cohorts pooled."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import pandas as pd

from dashboard import fmt, suppress, text
from dashboard.tables.view import NA, Row, Scales, View, build, outcome_and_survey, scale_of

#: The reliable-change columns of a paired row, titled, in the order they add up to 100%.
RELIABLE_CHANGE_TITLES = ("Reliably improved", "Unchanged", "Reliably worse")


def paired_view(
    paired: pd.DataFrame,
    scales: Scales,
    labels: Mapping[str, str],
    name: str,
    group: Callable[[Mapping[str, Any]], str] | None = None,
    outcome: bool = True,
) -> View:
    """Paired change, one row per paired_stats row: group, outcome (with range),
    comparison, people, both averages, the change (adding up), its CI, d_z with CI, g_z,
    d_av with CI, the size in words, reliable change (adding up to 100%).

    Args:
        paired: suppressed paired_stats rows.
        scales: scale lookup (`scale_lookup`).
        labels: wave id -> label.
        name: the download's file stem.
        group: how to name a row's group (a column "Group" when given).
        outcome: include the outcome column (with the scale's range); without it, the rows
            are of one scale and its range goes into the averages' headers.

    The comparison column is left out when every row has the same comparison.
    """
    several = len(paired[["from_wave", "to_wave"]].drop_duplicates()) > 1

    def fill(out: Row, row: dict[str, Any]) -> None:
        scale = scale_of(row, scales)
        if group is not None:
            out.text("Group", group(row))
        if outcome:
            out.text("Outcome", text.outcome_with_range(scale))
        if several:
            out.text("Comparison", text.comparison_label(row["from_wave"], row["to_wave"], labels))
        span = "" if outcome else f" ({fmt.score_range(scale['score_min'], scale['score_max'])})"
        out.number("People (pairs)", row.get("n_pairs"), "count")
        out.number(f"Average before{span}", row.get("mean_from"), "score")
        out.number(f"Average later{span}", row.get("mean_to"), "score")
        change = fmt.derived_improvement(
            row.get("mean_from"), row.get("mean_to"), bool(scale["higher_is_better"])
        )
        out.number("Change (points, + = better)", change, "score", plus=True)
        out.interval(
            "95% CI of change",
            row.get("improvement_ci_low"),
            row.get("improvement_ci_high"),
            "score",
            plus=True,
        )
        out.number("d_z", row.get("d_z"), "effect")
        out.interval("95% CI of d_z", row.get("d_z_ci_low"), row.get("d_z_ci_high"), "effect")
        out.number("g_z", row.get("g_z"), "effect")
        out.number("d_av", row.get("d_av"), "effect")
        out.words("In words (d_av, Cohen)", text.verdict_phrase(row))
        percents = fmt.percentages_adding_up([row.get(c) for c in suppress.SHARE_COLUMNS])
        for title, column, value in zip(
            RELIABLE_CHANGE_TITLES, suppress.SHARE_COLUMNS, percents, strict=True
        ):
            out.percent(title, value, label=suppress.share_label(row, column))

    return build(name, paired, fill)


def scorecard_view(paired: pd.DataFrame, scales: Scales, labels: Mapping[str, str]) -> View:
    """The scorecard's rows as a table (the chart's text alternative and download)."""
    return paired_view(paired, scales, labels, "scorecard")


def _whole_percent(share: Any) -> int | None:
    """A published share (0..1) as a whole percentage, or None."""
    return None if fmt.is_missing(share) else int(fmt.rounded(float(share) * 100, 0))


def reach_view(reach: pd.DataFrame, labels: Mapping[str, str], name: str = "reach") -> View:
    """Reach and retention, one row per reach row: group, survey, what is counted, people,
    retention (linked as a share of the group's baseline responses, as published)."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        answered = row["measure"] == "responses"
        whole = row["level"] == "programme"
        out.text("Group", "Whole programme" if whole else text.group_label(row))
        out.text("Survey", text.wave_label(row["wave_id"], labels))
        out.text("Counted", "answered" if answered else "linked back to their first survey")
        out.number("People", row.get("n"), "count")
        out.percent("Retention", _whole_percent(row.get("retention")), label="" if answered else NA)

    return build(name, reach, fill)


class Metric(NamedTuple):
    """A headline number: its label, its value as shown, a short note under it (why it is
    hidden, or that it is held from an earlier update; '' when none) and its help text."""

    label: str
    value: str
    note: str
    help: str


def _metric_value(row: Mapping[str, Any], value: str) -> tuple[str, str]:
    """(value, note) of a headline: a hidden one is the word 'hidden' with its short reason
    under it, so neither is cut off in a narrow box."""
    if row.get("hidden"):
        return "hidden", suppress.short_label(row).removeprefix("hidden: ")
    return value, suppress.HELD_LABEL if row.get("held") else ""


def reach_metrics(reach: pd.DataFrame, labels: Mapping[str, str]) -> list[Metric]:
    """The Overview's headline numbers: people reached at the first survey, then people
    retained (linked) at each later one with the retention."""
    rows = text.records(suppress.require(reach).sort_values("wave_order", kind="stable"))
    metrics = []
    for row in rows:
        wave = text.wave_label(row["wave_id"], labels)
        reason = f" ({row['hidden_label']})" if row.get("hidden") else ""
        if row["measure"] == "responses" and row.get("wave_order") == 0:
            value, note = _metric_value(row, fmt.count(row.get("n")))
            metrics.append(Metric("Reached", value, note, f"People who answered “{wave}”{reason}."))
        elif row["measure"] == "linked":
            share = fmt.percent(row.get("retention"), missing="")
            value, note = _metric_value(
                row, fmt.count(row.get("n")) + (f" · {share}" if share else "")
            )
            help_ = (
                f"People linked back to their first survey at “{wave}”, and their share of the "
                f"people reached: the people the change at that survey rests on{reason}."
            )
            metrics.append(Metric(f"Retained: {wave}", value, note, help_))
    return sorted(metrics, key=lambda m: m.label != "Reached")


def wave_means_view(wave_means: pd.DataFrame, scales: Scales, labels: Mapping[str, str]) -> View:
    """Average score of everyone who answered each survey (linked or not)."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        outcome_and_survey(out, row, scales, labels)
        out.number("Responses", row.get("n"), "count")
        out.number("Average", row.get("mean"), "score")
        out.interval("95% CI of average", row.get("ci_low"), row.get("ci_high"), "score")

    return build("wave_means", wave_means, fill)


def attrition_view(attrition: pd.DataFrame, scales: Scales, labels: Mapping[str, str]) -> View:
    """Completers vs drop-outs at baseline, per scale and later survey."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        outcome_and_survey(out, row, scales, labels, "to_wave", "Later survey")
        out.number("Came back", row.get("n_completers"), "count")
        out.number("Did not", row.get("n_dropouts"), "count")
        out.number("Their average at first: came back", row.get("mean_completers"), "score")
        out.number("did not", row.get("mean_dropouts"), "score")
        out.number(
            "Gap (+ = came-back started better)", row.get("baseline_gap"), "score", plus=True
        )
        out.number("d_s", row.get("d_s"), "effect")
        out.text("p", "" if row.get("hidden") else fmt.p_value(row.get("p")))
        out.yes_no("Follow-up rests on a selected group?", row.get("follow_up_selected"))

    return build("attrition", attrition, fill)


def cohort_meta_view(meta: pd.DataFrame, scales: Scales, labels: Mapping[str, str]) -> View:
    """Cohorts pooled, heterogeneity and trend per scale and comparison."""

    def fill(out: Row, row: dict[str, Any]) -> None:
        out.text("Outcome", text.outcome_with_range(scale_of(row, scales)))
        out.text("Comparison", text.comparison_label(row["from_wave"], row["to_wave"], labels))
        out.number("Cohorts", row.get("n_cohorts"), "count", hideable=False)
        out.number("Pooled", row.get("k_cohorts_pooled"), "count", hideable=False)
        out.number("People", row.get("n_pairs_pooled"), "count")
        out.number("Pooled d_z", row.get("pooled_d_z"), "effect")
        out.interval(
            "95% CI (Hartung–Knapp)",
            row.get("pooled_hk_ci_low"),
            row.get("pooled_hk_ci_high"),
            "effect",
        )
        out.number("I² (%)", row.get("i2_percent"), "percent")
        out.number("Trend (d_z per year)", row.get("trend_slope_per_year"), "effect")
        out.interval("95% CI of trend", row.get("trend_ci_low"), row.get("trend_ci_high"), "effect")
        out.words("Trend in words", text.trend_sentence(row))

    return build("cohort_meta", meta, fill, notes=False)


def selected_follow_ups(attrition: pd.DataFrame | None) -> dict[tuple[str, str], dict[str, bool]]:
    """(instrument_id, scale_id) -> {later wave: True} where the follow-up rests on a
    selected group (the attrition check), for the outcome lines."""
    if attrition is None or attrition.empty:
        return {}
    flagged = attrition[attrition["follow_up_selected"].astype(object).eq(True)]
    grouped = flagged.groupby(["instrument_id", "scale_id"])["to_wave"]
    return {key: dict.fromkeys(waves, True) for key, waves in grouped}
