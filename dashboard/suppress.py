"""The one suppression function every number on the dashboard passes through.

`apply` is called by `queries.query` on every result table it reads from the extract, so no
page, chart, table, metric, sentence or download can get a row that skipped it. It:

1. keeps the extract's own decision: a row with a `hidden_reason` has every statistic set to
   None (even if a faulty extract carried values), and says why;
2. re-checks the threshold (defence in depth): a row whose people count is 1 to
   `min_cell_size - 1` is hidden as "too few people" even if the extract showed it (0 may be
   shown: it describes nobody);
3. adds three columns the builders read: `hidden` (bool), `hidden_label` ("hidden: <reason>"
   or None) and `held` (True when the values are an earlier release's: "as of an earlier
   update").

Builders call `require` to refuse a frame that did not pass through `apply`. Nothing here
aggregates: rows go in and come out one for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboard import fmt

TOO_FEW = "too few people"
SECONDARY = "hidden so that another small group cannot be worked out"
HELD = "held until enough new people"

#: Short forms of the extract's reasons, after "hidden: ".
REASON_LABELS = {
    TOO_FEW: "too few people",
    SECONDARY: "so that another small group cannot be worked out",
    HELD: "held until enough new people",
}

#: Shorter forms for tight places (a chart mark, a headline number); the full reason goes
#: into the hover text, help or table beside it.
SHORT_REASON_LABELS = {
    TOO_FEW: "too few people",
    SECONDARY: "protects a small group",
    HELD: "held until more people",
}

#: What a held value carries beside it.
HELD_LABEL = "as of an earlier update"

#: Columns that name a group, a scale, a comparison or a reason: never hidden.
KEY_COLUMNS = frozenset(
    """
    level programme_id site cohort_id cohort_date attribute attribute_value instrument_id
    scale_id item_id score_min score_max higher_is_better from_wave to_wave is_from_baseline
    from_wave_order to_wave_order wave_id wave_order measure answer answer_order reason
    link_status n_items hidden_reason note reliable_change_note table_name status n_cells
    n_cohorts k_cohorts_shown k_cohorts_pooled first_cohort_date last_cohort_date trend_k q_df
    """.split()  # noqa: SIM905 (one word per column, easier to read than 39 strings)
)

#: Columns that count people (or records) in the row's cell, per result table.
COUNT_COLUMNS = {
    "reach": ("n",),
    "paired_stats": ("n_pairs",),
    "wave_means": ("n",),
    "wave_comparison": ("n_from", "n_to"),
    "attrition": ("n_completers", "n_dropouts"),
    "reliability": ("n_complete",),
    "cohort_meta": ("n_pairs_pooled",),
    "item_distributions": ("n",),
    "data_quality": ("n_records",),
    "linkage_quality": ("n",),
}

#: Shares in paired_stats that are cells of their own (NULL with reliable_change_note).
SHARE_COLUMNS = (
    "share_reliably_improved",
    "share_reliably_unchanged",
    "share_reliably_deteriorated",
)

MARKER_COLUMNS = ("hidden", "hidden_label", "held")


def hidden_label(reason: Any) -> str:
    """'hidden: too few people' (or the extract's own words for an unknown reason)."""
    text = str(reason).strip() if not fmt.is_missing(reason) else TOO_FEW
    return f"hidden: {REASON_LABELS.get(text, text)}"


def short_label(row: Mapping[str, Any]) -> str:
    """'hidden: protects a small group': a hidden row's reason in few words."""
    reason = row.get("hidden_reason")
    text = str(reason).strip() if not fmt.is_missing(reason) else TOO_FEW
    return f"hidden: {SHORT_REASON_LABELS.get(text, REASON_LABELS.get(text, text))}"


def _too_few(values: pd.Series, min_cell_size: int) -> pd.Series:
    """True where a count holds 1..min_cell_size - 1 people (0 and missing are fine)."""
    numbers = pd.to_numeric(values, errors="coerce")
    return ((numbers > 0) & (numbers < min_cell_size)).fillna(False).astype(bool)


def apply(frame: pd.DataFrame, table: str, min_cell_size: int) -> pd.DataFrame:
    """Rows of an extract result table with hidden cells blanked and labelled (a new frame).

    Args:
        frame: rows of one extract table (or a query over one), in the extract's columns.
        table: the extract table's name (decides which columns count people).
        min_cell_size: the extract's threshold (`meta.min_cell_size`).

    Returns:
        The same rows, in the same order, with every statistic of a hidden row set to None,
        `hidden_reason` filled in where the threshold re-check hid a row, reliable-change
        shares of 1..min_cell_size - 1 people set to None, and the columns `hidden`,
        `hidden_label` and `held`.
    """
    out = frame.copy().astype(object)
    index = out.index
    if "hidden_reason" in out.columns:
        reason = out["hidden_reason"].where(out["hidden_reason"].notna(), None)
    else:
        reason = pd.Series([None] * len(out), index=index, dtype=object)
    too_few = pd.Series(False, index=index)
    for column in COUNT_COLUMNS.get(table, ()):
        if column in out.columns:
            too_few |= _too_few(out[column], min_cell_size)
    reason = reason.where(reason.notna() | ~too_few, TOO_FEW)
    hidden = reason.notna().astype(bool)
    stats = [c for c in out.columns if c not in KEY_COLUMNS]
    if hidden.any() and stats:
        out.loc[hidden, stats] = None
    if "hidden_reason" in out.columns:
        out["hidden_reason"] = reason.astype(object)
    if table == "paired_stats" and "n_pairs" in out.columns:
        pairs = pd.to_numeric(out["n_pairs"], errors="coerce")
        for column in SHARE_COLUMNS:
            if column in out.columns:
                people = (pd.to_numeric(out[column], errors="coerce") * pairs).round()
                out.loc[_too_few(people, min_cell_size), column] = None
    notes = out["note"] if "note" in out.columns else pd.Series(None, index=index)
    out["hidden"] = hidden
    labels = [hidden_label(r) if h else None for r, h in zip(reason, hidden, strict=True)]
    out["hidden_label"] = pd.Series(labels, index=index, dtype=object)
    out["held"] = (~hidden & (notes.astype(object) == HELD)).astype(bool)
    return out


def require(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` itself when it passed through `apply`; raise otherwise.

    Raises:
        ValueError: when the marker columns are missing (the frame skipped suppression).
    """
    missing = [c for c in MARKER_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError("rows did not pass through suppress.apply: " + ", ".join(missing))
    return frame


def value(row: Mapping[str, Any], column: str) -> float | None:
    """A statistic of a suppressed row as a float, or None (hidden or unavailable)."""
    if row.get("hidden"):
        return None
    return fmt.number_or_none(row.get(column))


def share_label(row: Mapping[str, Any], column: str) -> str | None:
    """Why a reliable-change share is not shown: 'hidden: <reason>' (the row's or the
    share's own, from `reliable_change_note`), 'n/a (no reliability)', or None when shown."""
    if row.get("hidden"):
        return str(row.get("hidden_label"))
    if fmt.number_or_none(row.get(column)) is not None:
        return None
    if row.get("reliability_source") == "unavailable":
        return "n/a (no reliability)"
    note = row.get("reliable_change_note")
    return hidden_label(note if not fmt.is_missing(note) and note != HELD else TOO_FEW)
