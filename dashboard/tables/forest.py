"""The lines of a forest plot (and its table): suppressed rows with a short `label`, a full
`group` and the `section` that colours them, in the order chosen."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard import suppress, text

#: Sort orders of the forest plot.
FOREST_SORTS = {
    "group": "Group (name or date)",
    "effect": "Effect size (largest first)",
    "people": "Number of people (most first)",
}


def forest_rows(
    programme_rows: pd.DataFrame,
    site_rows: pd.DataFrame,
    cohort_rows: pd.DataFrame,
    attribute_rows: pd.DataFrame,
    programme_names: Mapping[str, str],
    sort: str = "group",
) -> list[dict[str, Any]]:
    """The forest plot's lines, in sections (programmes, sites, cohorts, breakdown), each
    with a short `label` (the chart's), a full `group` (the table's) and its `section`;
    sorted within each section by `sort`: 'group' (name or date), 'effect' (largest d_z
    first, hidden last) or 'people' (most pairs first)."""
    out = []
    for section, frame in (
        ("programme", programme_rows),
        ("site", site_rows),
        ("cohort", cohort_rows),
        ("attribute", attribute_rows),
    ):
        rows = text.records(_sorted(suppress.require(frame), sort))
        for row in rows:
            row["section"] = section
            row["label"] = text.group_label(row, programme_names, short=True)
            row["group"] = text.group_label(row, programme_names)
        out += rows
    return out


def comparison_rows(paired: pd.DataFrame, labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Rows of one group and scale as forest lines, one per comparison of the same people
    ('Before → Straight after'): how a change held up."""
    rows = text.records(suppress.require(paired))
    for row in rows:
        row["section"] = "comparison"
        row["label"] = row["group"] = text.comparison_label(
            row["from_wave"], row["to_wave"], labels
        )
    return rows


def _sorted(frame: pd.DataFrame, sort: str) -> pd.DataFrame:
    """Rows of one forest section in the chosen order (stable; hidden rows last)."""
    column = {"effect": "d_z", "people": "n_pairs"}.get(sort)
    if column is None or frame.empty:
        return frame
    shown = pd.to_numeric(frame[column].where(~frame["hidden"].astype(bool)), errors="coerce")
    keys = pd.DataFrame({"hidden": frame["hidden"].astype(bool), "value": -shown.fillna(0)})
    order = keys.sort_values(["hidden", "value"], kind="stable").index
    return frame.loc[order]
