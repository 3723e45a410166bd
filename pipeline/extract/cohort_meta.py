"""cohort_meta: the cohort meta-analysis of the extract, recomputed from the cohort rows of
paired_stats as published (hidden cohorts left out, held ones with their published values),
so it reveals nothing about a hidden cohort."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pipeline.stats import sql_functions


def cohort_meta_rows(
    paired: list[dict[str, Any]], first_dates: dict[str, dt.date]
) -> list[dict[str, Any]]:
    """cohort_meta from the cohort rows of paired_stats as published."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in paired:
        if row["level"] == "cohort":
            slot = (
                row["programme_id"],
                row["instrument_id"],
                row["scale_id"],
                row["from_wave"],
                row["to_wave"],
            )
            groups.setdefault(slot, []).append(row)
    rows = []
    for slot, cohorts in sorted(groups.items()):
        cohorts.sort(key=lambda r: (r["cohort_date"], r["cohort_id"]))
        shown = [r for r in cohorts if r["hidden_reason"] is None]
        pooled = [r for r in shown if r["d_z"] is not None and r["n_pairs"]]
        first = first_dates.get(slot[0])
        years = [(r["cohort_date"] - first).days / 365.25 for r in pooled] if first else []
        result = sql_functions.cohort_meta(
            [r["d_z"] for r in pooled], [r["n_pairs"] for r in pooled], years
        )
        held = sum(1 for r in shown if r["note"])
        hidden = len(cohorts) - len(shown)
        notes = []
        if hidden:
            notes.append(f"{hidden} hidden cohort(s) left out")
        if held:
            notes.append(f"{held} cohort(s) with values held from an earlier release")
        low, high = result["trend_ci_low"], result["trend_ci_high"]
        rows.append(
            {
                **dict(
                    zip(
                        ["programme_id", "instrument_id", "scale_id", "from_wave", "to_wave"],
                        slot,
                        strict=True,
                    )
                ),
                "n_cohorts": len(cohorts),
                "k_cohorts_shown": len(shown),
                "k_cohorts_pooled": len(pooled),
                "n_pairs_pooled": sum(r["n_pairs"] for r in pooled) if pooled else None,
                "first_cohort_date": pooled[0]["cohort_date"] if pooled else None,
                "last_cohort_date": pooled[-1]["cohort_date"] if pooled else None,
                **{
                    name: result[name]
                    for name in (
                        "pooled_d_z",
                        "pooled_ci_low",
                        "pooled_ci_high",
                        "pooled_hk_ci_low",
                        "pooled_hk_ci_high",
                        "prediction_low",
                        "prediction_high",
                        "q",
                        "q_df",
                        "q_p",
                        "i2_percent",
                        "tau2",
                        "trend_k",
                        "trend_slope_per_year",
                        "trend_ci_low",
                        "trend_ci_high",
                        "trend_p",
                        "trend_reading",
                    )
                },
                "pooled_p": result["pooled_p"],
                "is_trend_significant": (
                    None if low is None or high is None else bool(low > 0 or high < 0)
                ),
                "note": "; ".join(notes) or None,
            }
        )
    return rows
