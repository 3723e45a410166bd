"""Columns derived from an export before it is mapped, so multi-choice layouts map like others.

* `checkboxes`: a multi-select question joined in one cell (Google Forms) becomes one column
  per option, `<question> | <option>` holding "1"/"0" (pipeline.ingest.checkboxes), mapped as
  items or attributes like REDCap's `field___code` columns; the options are coded as codes.
* one column per option (SurveyMonkey's expanded layout): an item whose key is not a column
  but whose options are (`<question> | <option>`) becomes one column under its own key holding
  the chosen option's label (pipeline.ingest.option_columns), coded as a label.

The derived columns are appended to the export in memory only. The export columns they read
are returned as extra mapped fields, so a missing one fails the file, an identifying one is
refused, and none is reported as a column not read. Notes name columns and rows, never cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.errors import DataError
from pipeline.ingest.checkboxes import split_checkbox
from pipeline.ingest.errors import short_name
from pipeline.ingest.option_columns import fold, labels_match, option_columns
from pipeline.instruments import Instrument
from pipeline.survey_config import Survey

if TYPE_CHECKING:
    from pipeline.ingest.readers import RawExport

MAX_ROWS_LISTED = 10


@dataclass(frozen=True)
class Derived:
    """The export with derived columns appended; `read`: field -> export column each reads;
    `kinds`: derived column -> "codes" or "labels" (how its answers are coded); `notes`:
    warnings for the file's report."""

    raw: RawExport
    read: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def rows_listed(mask: pd.Series) -> str:
    """'1 row (row 6)', '2 rows (rows 5, 9)', at most MAX_ROWS_LISTED row numbers shown."""
    flagged = mask.index[mask.to_numpy(dtype=bool)]
    shown = ", ".join(str(r) for r in flagged[:MAX_ROWS_LISTED])
    shown += ", ..." if len(flagged) > MAX_ROWS_LISTED else ""
    return f"1 row (row {shown})" if len(flagged) == 1 else f"{len(flagged)} rows (rows {shown})"


def derive_columns(
    raw: RawExport, survey: Survey, instruments: dict[str, Instrument], label: str
) -> Derived:
    """Append the checkbox option columns and the folded single-choice items of `survey` to
    `raw` (see the module docstring); `label` names the file in errors."""
    if not survey.checkboxes and not any(k not in raw.frame.columns for k in survey.items):
        return Derived(raw)
    columns: dict[str, pd.Series] = {}
    read: dict[str, str] = {}
    kinds: dict[str, str] = {}
    notes: list[str] = []
    for n, (question, box) in enumerate(survey.checkboxes.items()):
        read[f"checkbox_{n}"] = question
        if question not in raw.frame.columns:
            continue  # reported as a missing column with the others
        split = split_checkbox(raw.frame[question], question, box)
        columns |= split.columns
        kinds |= dict.fromkeys(split.columns, "codes")
        if split.unknown.any():
            outcome = "ticks Other" if box.other else "is quarantined"
            notes.append(
                f"checkbox_unknown_option: column '{short_name(question)}': "
                f"{rows_listed(split.unknown)} with an answer that is none of its declared "
                f"options: each such row {outcome} (list the option under `checkboxes`)"
            )
    owners = {item: ins for ins in instruments.values() for item in ins.item_ids}
    folded = []
    for n, (key, item_id) in enumerate(survey.items.items()):
        if key in raw.frame.columns or key in columns:
            continue
        options = option_columns(raw.keys, key)
        if not options:
            continue  # reported as a missing column
        owner = owners[item_id]
        declared = key in survey.option_columns
        if not declared and not labels_match(options, owner, survey.labels_for(item_id, owner.id)):
            raise DataError(
                f"{label}: missing_column: the export has no column '{short_name(key)}' but "
                f"{len(options)} column(s) '{short_name(key)} | <option>' whose options are "
                f"none of {owner.id}'s answer labels; to read them as one answer list the key "
                "under `option_columns` and the options' wording under `labels`"
            )
        columns[key], several = fold(raw.frame, options)
        kinds[key] = "labels"
        read |= {f"option_{n}_{m}": column for m, column in enumerate(options)}
        folded.append(key)
        if several.any():
            notes.append(
                f"more_than_one_option: item '{short_name(key)}' ({item_id}): "
                f"{rows_listed(several)} with more than one of its option columns ticked: "
                "each such row is quarantined"
            )
    if folded:
        notes.append(
            f"option_columns: {len(folded)} item(s) read from one column per option "
            f"(the chosen option's label is the answer): "
            + ", ".join(f"'{short_name(k)}'" for k in folded[:5])
            + (", ..." if len(folded) > 5 else "")
        )
    return Derived(with_columns(raw, columns, label), read, kinds, tuple(notes))


def with_columns(raw: RawExport, columns: dict[str, pd.Series], label: str) -> RawExport:
    """`raw` with `columns` appended (keys, names and labels alike); a derived key that is
    already an export column fails the file rather than hiding it."""
    if not columns:
        return raw
    clash = [key for key in columns if key in raw.frame.columns]
    if clash:
        raise DataError(
            f"{label}: derived_column_clash: the export already has a column "
            f"'{short_name(clash[0])}', which a checkbox option would replace; rename the option"
        )
    new = list(columns)
    extra = pd.DataFrame(columns, index=raw.frame.index, dtype="object")
    return replace(
        raw,
        keys=[*raw.keys, *new],
        names=[*raw.names, *new],
        labels=[*raw.labels, *new] if raw.labels else [],
        column_meta=[*raw.column_meta, *[{} for _ in new]] if raw.column_meta else [],
        frame=pd.concat([raw.frame, extra], axis=1),
    )
