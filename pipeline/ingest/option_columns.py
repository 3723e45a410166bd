"""Single-choice answers spread over one column per option, folded back into one answer.

SurveyMonkey's "expanded" export gives a single-choice question one column per answer option:
row 2 holds the option labels, and a response's chosen option's column holds its text (or its
number, with "numerical value" exports) while the others are blank. The columns are keyed
`<question> | <option>`, or `<question> | <row> - <option>` for a matrix row. An item mapped
to `<question>` (or `<question> | <row>`) that is not itself a column is read from those
columns when the survey lists it in `option_columns`, or when at least one option sub-header
is one of the item's answer labels (the instrument's or the survey's own).

The answer is the chosen column's sub-header, the option label, then coded as a label, so a
numerical-value export and a text export read alike and the cells' own text (an "Other
(please specify)" answer) is never read. A response with two options ticked has no answer
it can be given: it holds MORE_THAN_ONE, which is never a code, and is quarantined.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.ingest.answers import blank_to_none, label_lookup
from pipeline.instruments import Instrument, normalise_label
from pipeline.survey_config import OPTION_SEPARATOR

MORE_THAN_ONE = "(more than one option ticked)"
MATRIX_ROW_SEPARATORS = (" - ", " \u2013 ")  # SurveyMonkey's "Row - Column" sub-header


def option_columns(keys: list[str], item_key: str) -> dict[str, str]:
    """Export column key -> option label for each column that holds one option of `item_key`
    (in column order); empty when there are none."""
    if OPTION_SEPARATOR in item_key:  # a matrix row: `<question> | <row> - <option>`
        prefixes = tuple(item_key + sep for sep in MATRIX_ROW_SEPARATORS)
    else:
        prefixes = (item_key + OPTION_SEPARATOR,)
    found = {}
    for key in keys:
        prefix = next((p for p in prefixes if key.startswith(p)), None)
        if prefix and key[len(prefix) :].strip():
            found[key] = key[len(prefix) :].strip()
    return found


def labels_match(
    options: dict[str, str], instrument: Instrument, survey_labels: dict[str, int | str]
) -> bool:
    """True when at least one option label is an answer label of the item."""
    lookup = label_lookup(instrument, survey_labels)
    return any(normalise_label(option) in lookup for option in options.values())


def fold(frame: pd.DataFrame, options: dict[str, str]) -> tuple[pd.Series, pd.Series]:
    """(answer, several) per row from the option columns `options` (key -> label).

    Formula: a cell counts as ticked when it is not blank (after trimming); with exactly one
    ticked column the answer is that column's option label. Missing-data rule: no column
    ticked means no answer (None). Two or more ticked gives MORE_THAN_ONE, and `several` is
    True for that row.
    """
    ticked = np.column_stack([blank_to_none(frame[key]).notna().to_numpy() for key in options])
    count = ticked.sum(axis=1)
    labels = np.array(list(options.values()), dtype=object)
    chosen = labels[ticked.argmax(axis=1)]
    answer = np.where(count == 1, chosen, np.where(count > 1, MORE_THAN_ONE, None))
    return (
        pd.Series(answer, index=frame.index, dtype="object"),
        pd.Series(count > 1, index=frame.index),
    )
