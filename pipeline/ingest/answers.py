"""Answers to codes: item answers, special codes ("don't know", missing) and label matching.

Every function works on distinct values, not rows: a column of a million answers holds a
handful of distinct ones, so each distinct value is looked up once and the result is spread
back over the rows with `pd.factorize` (vectorised).

An item answer becomes a token that validation checks against the instrument's codes:
- a scale code as text ("4"), whether the export held codes or labels;
- None for a missing answer (blank, or one of the survey's missing codes/labels);
- for "don't know": the code the instrument scores it as, or None, with a flag kept beside;
- anything else keeps a token that can never equal a code, so the row is quarantined
  (`out_of_range` for codes, `unknown_label` for labels: a bare "5" in a labels column is
  not silently taken as code 5, since the export said it holds labels).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pipeline.instruments import Instrument, normalise_label
from pipeline.survey_config import CodeLists

UNMATCHED_LABEL = "label:"
DONT_KNOW, MISSING = (
    "dont_know",
    "missing",
)  # special answers in a survey's own labels  # prefix of a label token that matched no option
WHOLE_NUMBER = re.compile(r"[+-]?\d+(?:\.0*)?")


def map_distinct(values: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """`func` applied to each distinct non-null value once, spread back over the rows (None
    stays None). The object-dtype result keeps None, never NaN."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.array([func(v) for v in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype="object")


def blank_to_none(values: pd.Series) -> pd.Series:
    """Trimmed text, None where the cell is empty or only spaces."""
    stripped = values.astype("object").where(values.notna(), "").astype(str).str.strip()
    return stripped.where(stripped != "", None).astype("object")


def numeric_text(text: str) -> str:
    """ "4", "4.0", "'4", "+4" and " 4 " become "4"; "-99" stays "-99"; other text unchanged.

    Spreadsheets add ".0" to whole numbers and a leading apostrophe to force text."""
    cleaned = text.lstrip("'").strip()
    if WHOLE_NUMBER.fullmatch(cleaned):
        return str(int(float(cleaned)))
    return text


def special_answers(text: pd.Series, codes: CodeLists) -> tuple[pd.Series, pd.Series]:
    """(missing, dont_know) masks for the survey's special codes, compared as numbers when
    both sides are whole numbers ("9" matches "9.0") and otherwise as normalised text."""
    missing = {numeric_text(normalise_label(v)) for v in codes.missing}
    dont_know = {numeric_text(normalise_label(v)) for v in codes.dont_know}
    if not missing and not dont_know:
        none = pd.Series(False, index=text.index)
        return none, none.copy()
    canonical = map_distinct(text, lambda v: numeric_text(normalise_label(v)))
    return canonical.isin(missing), canonical.isin(dont_know)


def label_lookup(
    instrument: Instrument, survey_labels: dict[str, int | str]
) -> dict[str, int | str]:
    """Normalised answer label -> code, "dont_know" or "missing": the instrument's labels and
    aliases, its don't-know option, then the survey's own wording (which wins)."""
    scale = instrument.response_scale
    lookup: dict[str, int | str] = dict(scale.label_codes())
    lookup |= {label: "dont_know" for label in scale.dont_know_labels()}
    lookup |= {normalise_label(label): code for label, code in survey_labels.items()}
    return lookup


def code_item(
    values: pd.Series,
    instrument: Instrument,
    kind: str,
    codes: CodeLists,
    survey_labels: dict[str, int | str] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """(token, dont_know) for one item column; see the module docstring.

    Args:
        values: the column as read (strings).
        instrument: the item's instrument (its codes, labels and don't-know rule).
        kind: "codes" or "labels", as the survey declares.
        codes: the survey's special codes for this item.
        survey_labels: the survey's own answer labels for this item.
    """
    text = blank_to_none(values)
    missing, dont_know = special_answers(text, codes)
    if kind == "labels":
        lookup = label_lookup(instrument, survey_labels or {})

        def token_of(answer: str) -> str | None:
            found = lookup.get(normalise_label(answer))
            if found is None:
                return UNMATCHED_LABEL + normalise_label(answer)
            return found if isinstance(found, str) else str(found)

        token = map_distinct(text, token_of)
        dont_know = dont_know | (token == DONT_KNOW)
        missing = missing | (token == MISSING)
    else:
        token = map_distinct(text, numeric_text)
    score_as = instrument.response_scale.dont_know
    dk_token = str(score_as.score_as) if score_as and score_as.score_as is not None else None
    tokens = token.to_numpy(dtype=object)
    tokens = np.where(missing.to_numpy(), None, np.where(dont_know.to_numpy(), dk_token, tokens))
    return pd.Series(tokens, index=values.index, dtype="object"), dont_know & ~missing
