"""Cohorts compared, in words: the trend of cohort effects over time, the cohorts pooled,
and how much they differ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dashboard import fmt


def trend_sentence(row: Mapping[str, Any] | None) -> str:
    """The trend of cohort effects over time, from cohort_meta.

    "Improving by 0.19 d_z per year (95% CI 0.05 to 0.33): later cohorts improved more."
    when the slope's CI excludes 0; "No clear trend (0.19 d_z per year, 95% CI −0.07 to
    0.45)." otherwise; "No trend estimated: ..." without a slope.
    """
    if row is None:
        return "No trend estimated: there are no cohort results for this comparison."
    slope = fmt.number_or_none(row.get("trend_slope_per_year"))
    if slope is None:
        k = fmt.count(row.get("k_cohorts_pooled"), missing="0")
        return (
            f"No trend estimated: it needs at least 3 cohorts shown on different dates ({k} shown)."
        )
    ci = fmt.interval(row.get("trend_ci_low"), row.get("trend_ci_high"), 2)
    k = fmt.count(row.get("trend_k"))
    low, high = (
        fmt.number_or_none(row.get("trend_ci_low")),
        fmt.number_or_none(row.get("trend_ci_high")),
    )
    clear = low is not None and high is not None and (low > 0 or high < 0)
    if clear and slope > 0:
        return (
            f"Improving by {fmt.effect(slope)} d_z per year (95% CI {ci}, {k} cohorts): later "
            "cohorts improved more."
        )
    if clear and slope < 0:
        return (
            f"Weakening by {fmt.effect(abs(slope))} d_z per year (95% CI {ci}, {k} cohorts): "
            "later cohorts improved less."
        )
    return f"No clear trend ({fmt.effect(slope)} d_z per year, 95% CI {ci}, {k} cohorts)."


def pooled_sentence(row: Mapping[str, Any] | None) -> str | None:
    """'Pooled over 7 cohorts (510 people): d_z 0.40 (95% CI 0.27 to 0.53, Hartung–Knapp).'"""
    if row is None or fmt.number_or_none(row.get("pooled_d_z")) is None:
        return None
    low, high = row.get("pooled_hk_ci_low"), row.get("pooled_hk_ci_high")
    method = "Hartung–Knapp"
    if fmt.number_or_none(low) is None:
        low, high, method = row.get("pooled_ci_low"), row.get("pooled_ci_high"), "random effects"
    left_out = fmt.number_or_none(row.get("n_cohorts")) or 0
    pooled = fmt.number_or_none(row.get("k_cohorts_pooled")) or 0
    note = f"; {int(left_out - pooled)} hidden cohort(s) left out" if left_out > pooled else ""
    return (
        f"Pooled over {fmt.count(pooled)} cohorts ({fmt.count(row.get('n_pairs_pooled'))} "
        f"people): d_z {fmt.effect(row.get('pooled_d_z'))} (95% CI {fmt.interval(low, high, 2)}, "
        f"{method}){note}."
    )


def heterogeneity_sentence(row: Mapping[str, Any] | None) -> str | None:
    """How much cohorts differ beyond chance (I², Q) and where a new cohort would likely
    fall (the prediction interval)."""
    if row is None or fmt.number_or_none(row.get("i2_percent")) is None:
        return None
    i2 = fmt.number_or_none(row.get("i2_percent")) or 0
    degree = (
        "little"
        if i2 < 25
        else "moderately"
        if i2 < 50
        else "substantially"
        if i2 < 75
        else "a lot"
    )
    q = (
        f"Q = {fmt.num(row.get('q'), 1)} on {fmt.count(row.get('q_df'))} df, "
        f"{fmt.p_value(row.get('q_p'))}"
    )
    text = f"Cohorts differ {degree} beyond chance (I² {fmt.num(i2, 0)}%, {q})."
    low, high = row.get("prediction_low"), row.get("prediction_high")
    if fmt.number_or_none(low) is not None and fmt.number_or_none(high) is not None:
        text += (
            f" A new cohort's d_z would likely fall between {fmt.effect(low)} and "
            f"{fmt.effect(high)} (95% prediction interval)."
        )
    return text
