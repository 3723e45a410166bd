"""Multi-select answers joined in one cell, split against the question's known options.

Google Forms writes a checkbox question as one cell with the ticked options joined by ", "
("Friend or family member, Myself"); other tools use ";", "|" or a space. Options may contain
the separator themselves ("Anxiety (generalised, social, phobia)"), so a cell is never split
on the separator: it is matched against the options the config declares (`checkboxes` in the
survey mapping), longest option first, each match standing between separators or the cell's
ends. Whatever no option explains is an unknown answer, never guessed at.

The result is the shape REDCap gives a checkbox (`field___code`): one column per option with
"1" ticked, "0" answered but not ticked, None where the question was not answered. The work is
done on the column's distinct answers (a few hundred at most) with one regular expression and
spread back over the rows, so there is no Python loop over rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.ingest.answers import blank_to_none
from pipeline.instruments import normalise_label
from pipeline.survey_config import Checkbox

TICKED, NOT_TICKED = "1", "0"
# What an option column holds for a row whose cell is not fully explained by the options: it
# can never equal a code, so validation quarantines the row (unknown_label / out_of_range).
UNKNOWN_OPTION = "(an answer that is none of the options)"


@dataclass(frozen=True)
class Split:
    """`columns`: derived key -> option column ("1", "0" or None); `unknown`: True for rows
    holding an answer that is none of the options (their columns hold UNKNOWN_OPTION, or,
    with `other: true`, tick Other)."""

    columns: dict[str, pd.Series]
    unknown: pd.Series


def separator_pattern(separator: str) -> str:
    """The separator as a regular expression, spaces around it optional (";" matches "; ");
    a separator of spaces only matches any run of whitespace."""
    core = separator.strip()
    return rf"\s*{re.escape(core)}\s*" if core else r"\s+"


def option_pattern(options: list[str], separator: str) -> re.Pattern[str]:
    """One known option standing between separators or the cell's ends, longest option
    first so that "A, B" is taken whole before "A" (both normalised like answer labels)."""
    sep = separator_pattern(separator)
    ordered = sorted({normalise_label(o) for o in options}, key=lambda o: (-len(o), o))
    alternation = "|".join(re.escape(o) for o in ordered)
    return re.compile(rf"(?:^|{sep})({alternation})(?={sep}|$)")


def tick_matrix(answers: pd.Series, box: Checkbox) -> tuple[np.ndarray, np.ndarray]:
    """(ticks, unknown) for distinct normalised answers: ticks[i, j] is True when answer i
    holds option j (in `box.options` order); unknown[i] when some of answer i is no option.

    Formula: the options found are the non-overlapping matches of `option_pattern`, scanned
    left to right; the answer is explained when nothing but separators remains after they
    are removed. A blank answer never reaches here (it is "not answered").
    """
    pattern = option_pattern(box.options, box.separator)
    position = {normalise_label(o): j for j, o in enumerate(box.options)}
    ticks = np.zeros((len(answers), len(box.options)), dtype=bool)
    found = answers.reset_index(drop=True).str.extractall(pattern)
    if not found.empty:
        rows = found.index.get_level_values(0).to_numpy()
        ticks[rows, found[0].map(position).to_numpy(dtype=int)] = True
    rest = answers.str.replace(pattern, "", regex=True)
    explained = rest.str.fullmatch(rf"(?:{separator_pattern(box.separator)}|\s)*")
    return ticks, ~explained.to_numpy(dtype=bool)


def split_checkbox(values: pd.Series, question: str, box: Checkbox) -> Split:
    """One column per option (and Other) from a column of joined multi-select answers.

    Args:
        values: the question's column as read (strings).
        question: its column key; derived keys are `<question> | <option>`.
        box: the declared options, separator and whether unknown answers count as Other.

    Missing-data rule: a blank cell means the question was not answered, so every option
    column is None for that row (not "0"). A row with an unknown answer gets UNKNOWN_OPTION in
    every option column (so it is quarantined), unless `box.other`, when Other is ticked.
    """
    text = blank_to_none(values)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    normalised = pd.Series([normalise_label(v) for v in uniques], dtype="object")
    ticks, unknown = tick_matrix(normalised, box)
    if box.other:
        ticks = np.column_stack([ticks, unknown])
    # one spare last row, which the not-answered rows (code -1) pick up and then blank
    ticks = np.vstack([ticks, np.zeros((1, ticks.shape[1]), dtype=bool)])
    unknown = np.append(unknown, False)
    answered = codes >= 0
    cells = np.where(ticks[codes], TICKED, NOT_TICKED).astype(object)
    row_unknown = answered & unknown[codes]
    if not box.other:
        cells[row_unknown] = UNKNOWN_OPTION
    cells[~answered] = None
    columns = {
        key: pd.Series(cells[:, j], index=values.index, dtype="object")
        for j, key in enumerate(box.option_keys(question))
    }
    return Split(columns, pd.Series(row_unknown, index=values.index))
