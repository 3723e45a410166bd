"""Display tables: extract rows re-worded for reading, one output row per extract row.

Pure functions (no Streamlit, no DuckDB). They only rename, order and format columns; they never
group, sum or average rows, so they cannot create a new, smaller cell than the extract holds.
Suppressed counts read "hidden: fewer than N people" and the statistics beside them "hidden",
never 0 or "nan".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard import text

#: What a suppressed statistic shows next to its (labelled) hidden count.
HIDDEN = "hidden"


def _stat(row: Mapping[str, Any], column: str, hidden: str, signed: bool = False) -> str:
    """One statistic as text, or the hidden label when suppressed or missing."""
    value = row.get(column)
    if row.get("is_suppressed") or text.is_missing(value):
        return hidden
    return text.fmt_signed(value) if signed else text.fmt_number(value)


def _count(row: Mapping[str, Any], column: str, hidden: str) -> str:
    """A count as text, or the hidden label."""
    value = row.get(column)
    if row.get("is_suppressed") or text.is_missing(value):
        return hidden
    return text.fmt_count(value)


def _ci(row: Mapping[str, Any], hidden: str, signed: bool = True) -> str:
    """'+5.1 to +8.5', or the hidden label."""
    low, high = row.get("ci_low"), row.get("ci_high")
    if row.get("is_suppressed") or text.is_missing(low) or text.is_missing(high):
        return hidden
    fmt = text.fmt_signed if signed else text.fmt_number
    return f"{fmt(low)} to {fmt(high)}"


def _d_z(row: Mapping[str, Any], hidden: str) -> str:
    """d_z with two decimals, or the hidden label."""
    value = row.get("d_z")
    if row.get("is_suppressed") or text.is_missing(value):
        return hidden
    return f"{float(value):.2f}"


def programmes_table(programmes: pd.DataFrame) -> pd.DataFrame:
    """The programmes table, one row per programme."""
    rows = [
        {
            "Programme": row["name"],
            "Approach": row["approach"],
            "Audience": row["audience"],
            "Cohorts (workshops)": text.fmt_count(row["n_cohorts"]),
            "Sites": text.fmt_count(row["n_sites"]),
            "Cohort dates": text.date_range(row["first_cohort_date"], row["last_cohort_date"]),
        }
        for row in text.records(programmes)
    ]
    return pd.DataFrame(rows)


def paired_table(
    paired: pd.DataFrame, labels: Mapping[str, str], min_cell_size: int
) -> pd.DataFrame:
    """paired_change rows for one scale: comparison, n pairs, means, change, CI, d_z."""
    hidden = text.hidden_label(min_cell_size)
    rows = [
        {
            "Comparison": text.comparison_label(row["from_wave"], row["to_wave"], labels),
            "People linked (n pairs)": _count(row, "n_pairs", hidden),
            "Average before (pairs)": _stat(row, "mean_from", HIDDEN),
            "Average later (pairs)": _stat(row, "mean_to", HIDDEN),
            "Average change (points)": _stat(row, "mean_change", HIDDEN, signed=True),
            "95% CI of change": _ci(row, HIDDEN),
            "Effect size d_z": _d_z(row, HIDDEN),
        }
        for row in text.records(paired)
    ]
    return pd.DataFrame(rows)


def wave_scores_table(scores: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """wave_scores rows for one scale: all responses per wave, mean, SD and CI of the mean."""
    hidden = text.hidden_label(min_cell_size)
    rows = [
        {
            "Survey": row.get("label") or row["wave_id"],
            "Responses (n)": _count(row, "n", hidden),
            "Average score": _stat(row, "mean", HIDDEN),
            "SD": _stat(row, "sd", HIDDEN),
            "95% CI of average": _ci(row, HIDDEN, signed=False),
        }
        for row in text.records(scores)
    ]
    return pd.DataFrame(rows)


def cohort_table(cohorts: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """cohort_change rows for one scale and comparison, in date order."""
    hidden = text.hidden_label(min_cell_size)
    rows = [
        {
            "Cohort": row["cohort_id"],
            "Site": row["site"],
            "Date": text.fmt_date(row["cohort_date"]),
            "People linked (n pairs)": _count(row, "n_pairs", hidden),
            "Average change (points)": _stat(row, "mean_change", HIDDEN, signed=True),
            "95% CI of change": _ci(row, HIDDEN),
            "Effect size d_z": _d_z(row, HIDDEN),
        }
        for row in text.records(cohorts)
    ]
    return pd.DataFrame(rows)


def _linked_share(row: Mapping[str, Any], hidden: str) -> str:
    """'82% (338 of 412)': the share of one row's responses that were linked."""
    if row.get("is_suppressed") or text.is_missing(row.get("n_responses")):
        return hidden
    total, linked = int(row["n_responses"]), int(row.get("n_linked") or 0)
    if total == 0:
        return "no responses"
    return f"{round(100 * linked / total)}% ({linked:,} of {total:,})"


def linkage_table(linkage: pd.DataFrame, min_cell_size: int) -> pd.DataFrame:
    """linkage rows: per programme and later survey, responses kept and linked to a baseline."""
    hidden = text.hidden_label(min_cell_size)
    rows = [
        {
            "Programme": row.get("programme_name") or row["programme_id"],
            "Survey": row.get("wave_label") or row["wave_id"],
            "Responses kept (n)": _count(row, "n_responses", hidden),
            "Linked to a baseline response (n)": _count(row, "n_linked", hidden),
            "Share linked": _linked_share(row, HIDDEN),
        }
        for row in text.records(linkage)
    ]
    return pd.DataFrame(rows)


def instruments_table(scales: pd.DataFrame) -> pd.DataFrame:
    """One row per scale: instrument, scale, what it measures, range, direction, citation."""
    rows = [
        {
            "Instrument": row["instrument_name"],
            "Scale": row["scale_name"],
            "Measures": text.construct_label(row["construct"]),
            "Score range": f"{text.fmt_number(row['score_min'], 0)} to "
            f"{text.fmt_number(row['score_max'], 0)} ({row['aggregation']} of items)",
            "Better when": "higher" if row["higher_is_better"] else "lower",
        }
        for row in text.records(scales)
    ]
    return pd.DataFrame(rows)


def meta_table(meta: pd.DataFrame) -> pd.DataFrame:
    """The extract's meta rows with readable setting names."""
    names = {
        "project": "Project",
        "built_at": "Extract built (UTC)",
        "min_cell_size": "Smallest group shown (people)",
        "pipeline_version": "Ripple version",
        "run_id": "Pipeline run id",
    }
    rows = [
        {"Setting": names.get(row["key"], row["key"]), "Value": row["value"]}
        for row in text.records(meta)
    ]
    return pd.DataFrame(rows)


def sort_outcomes(scales: pd.DataFrame) -> pd.DataFrame:
    """Scales in reading order: by construct (attitudes, knowledge, behaviour, belonging,
    loneliness, wellbeing, then others), then instrument and scale id."""
    order = {construct: n for n, construct in enumerate(text.CONSTRUCT_LABELS)}
    rank = scales["construct"].map(lambda c: order.get(c, len(order)))
    return (
        scales.assign(_rank=rank)
        .sort_values(["_rank", "instrument_id", "scale_id"], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )


def instrument_citations(scales: pd.DataFrame) -> list[tuple[str, str]]:
    """(instrument name, citation), once per instrument, in instrument id order."""
    seen: dict[str, tuple[str, str]] = {}
    for row in text.records(scales.sort_values("instrument_id", kind="stable")):
        seen.setdefault(row["instrument_id"], (row["instrument_name"], row["citation"]))
    return list(seen.values())
