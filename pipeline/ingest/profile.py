"""Per-column profiles of a read export, for `ripple detect --columns` and config scaffolding.

A profile says what a column is (position, stable key, header, question text), whether it looks
identifying, how many distinct answers and blanks it holds and, only where that cannot expose
anyone, a few example answers. Examples are shown only for columns that look like a closed
answer set (at most `CLOSED_MAX_DISTINCT` distinct values, none longer than
`CLOSED_MAX_CHARS` characters) and are not identifying; otherwise they are withheld with the
reason. Even then an answer is shown only when at least `MIN_SHOWN_COUNT` responses gave it,
or it is a short number (a code): a free-text answer in a file of two responses is all
distinct, so it is never printed. Work is per column with pandas (value counts), never per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from pipeline.ingest.identifiers import identifying_reason

if TYPE_CHECKING:
    from pipeline.ingest.readers import RawExport

CLOSED_MAX_DISTINCT = 20
CLOSED_MAX_CHARS = 60
WITHHELD_IDENTIFIER = "possible identifier"
WITHHELD_OPEN = "free text or many distinct values"
WITHHELD_RARE = "answers given by fewer than 2 responses are not shown"
MIN_SHOWN_COUNT = 2
SHORT_NUMBER = r"[+-]?\d{1,3}(?:\.\d+)?"


def column_identifying(raw: RawExport, position: int) -> str | None:
    """Why column `position` (0-based) looks identifying, judged by its header and label."""
    key, fmt = raw.keys[position], raw.detection.format
    name = raw.names[position] if position < len(raw.names) else key
    label = raw.labels[position] if position < len(raw.labels) else name
    reason = identifying_reason(key, name, fmt)
    if reason is None and label != name:  # e.g. a legacy Qualtrics "V3" whose label is "Name"
        reason = identifying_reason(key, label, fmt)
    return reason


def value_summary(column: pd.Series) -> tuple[pd.Series, int, int]:
    """(distinct non-blank values with counts, most frequent first, ties by value; blank
    count; length of the longest non-blank value). Blank = empty or only whitespace."""
    blank = column.str.strip().eq("")
    answered = column[~blank]
    counts = answered.value_counts(sort=False)
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    longest = int(answered.str.len().max()) if len(answered) else 0
    return counts, int(blank.sum()), longest


def column_profiles(raw: RawExport, max_values: int = 5) -> list[dict]:
    """One dict per column of `raw`, in column order.

    Keys: `position` (1-based), `key`, `header` (row 1 as written), `label` (the question
    text), `identifying` (a reason, or None), `n_distinct` (distinct non-blank values),
    `blank` (empty or whitespace-only cells), `examples` (up to `max_values` distinct values,
    most frequent first) and `examples_withheld` (why there are none, or None).
    """
    profiles: list[dict] = []
    for position, key in enumerate(raw.keys):
        counts, blank, longest = value_summary(raw.frame.iloc[:, position].astype(object))
        identifying = column_identifying(raw, position)
        examples: list[str] = []
        withheld: str | None = None
        if identifying:
            withheld = WITHHELD_IDENTIFIER
        elif len(counts) > CLOSED_MAX_DISTINCT or longest > CLOSED_MAX_CHARS:
            withheld = WITHHELD_OPEN
        else:
            values = counts.index.to_series().astype(str)
            shown = counts[
                (counts.to_numpy() >= MIN_SHOWN_COUNT)
                | values.str.fullmatch(SHORT_NUMBER).to_numpy()
            ]
            examples = [str(value) for value in shown.index[:max_values]]
            if len(counts) and not examples:
                withheld = WITHHELD_RARE
        profiles.append(
            {
                "position": position + 1,
                "key": key,
                "header": raw.names[position] if position < len(raw.names) else key,
                "label": raw.labels[position] if position < len(raw.labels) else key,
                "identifying": identifying,
                "n_distinct": len(counts),
                "blank": blank,
                "examples": examples,
                "examples_withheld": withheld,
            }
        )
    return profiles
