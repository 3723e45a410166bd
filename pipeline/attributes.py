"""Respondent attributes and free text of the responses a run loads, in the shape they land.

Quasi-identifiers were coarsened and free text redacted while the export was coded
(pipeline.ingest.quasi, pipeline.ingest.free_text). Here, once the loaded rows are final
(after every exclusion), the k-anonymity check runs over exactly those rows and both tables
become long rows keyed by the response pseudonym, with lineage.
"""

from __future__ import annotations

import pandas as pd

from pipeline.ingest.free_text import REDACTION_NOTE
from pipeline.ingest.quasi import suppress_small_groups

ATTRIBUTE_COLUMNS = ["response_key", "attribute", "value", "source_row_number"]
FREE_TEXT_COLUMNS = ["response_key", "question", "text", "note", "source_row_number"]


def long_attributes(
    attributes: pd.DataFrame, responses: pd.DataFrame, k: int
) -> tuple[pd.DataFrame, int]:
    """(one row per loaded response x attribute, rows suppressed by the k-anonymity check).

    Args:
        attributes: coarsened attributes indexed by source_row_number (any superset of the
            loaded rows).
        responses: the loaded responses, indexed by source_row_number, with response_key.
        k: the smallest group of responses that may keep its combination of attributes.
    """
    if attributes.shape[1] == 0 or responses.empty:
        return pd.DataFrame(columns=ATTRIBUTE_COLUMNS), 0
    kept, suppressed = suppress_small_groups(attributes.loc[responses.index], k)
    long = (
        kept.assign(response_key=responses["response_key"])
        .rename_axis("source_row_number")
        .reset_index()
        .melt(
            id_vars=["source_row_number", "response_key"],
            var_name="attribute",
            value_name="value",
        )
    )
    return long[ATTRIBUTE_COLUMNS], suppressed


def long_free_text(free_text: pd.DataFrame, responses: pd.DataFrame) -> pd.DataFrame:
    """One row per loaded response x opted-in question that was answered (text redacted)."""
    if free_text.shape[1] == 0 or responses.empty:
        return pd.DataFrame(columns=FREE_TEXT_COLUMNS)
    long = (
        free_text.loc[responses.index]
        .assign(response_key=responses["response_key"])
        .rename_axis("source_row_number")
        .reset_index()
        .melt(id_vars=["source_row_number", "response_key"], var_name="question", value_name="text")
        .dropna(subset=["text"])
    )
    return long.assign(note=REDACTION_NOTE)[FREE_TEXT_COLUMNS]
