"""Map an export's columns onto Ripple's fields by their stable key, and code the answers.

Only the columns a survey mapping names are read; every other column (identifiers, free text,
device data) is left behind in the raw export and never reaches the warehouse. Answers become
tokens that validation can check against the instrument: item answers become their code as
text ("4"), whether the export carried codes or labels; cohorts become their configured id;
timestamps become ISO text. A value that cannot be coded keeps a non-code token, so validation
quarantines the row and names the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.config import Programme, Survey
from pipeline.errors import DataError
from pipeline.instruments import Instrument, normalise_label
from pipeline.sgic import normalise_code

if TYPE_CHECKING:
    from pipeline.ingest.readers import RawExport

# Qualtrics metadata the exclusion rules read, by ImportId (modern three-header-row export).
QUALTRICS_META = {
    "meta_status": "status",
    "meta_finished": "finished",
    "meta_progress": "progress",
    "meta_channel": "distributionChannel",
}
COMPATIBLE_FORMATS = {
    "qualtrics": {"qualtrics"},
    "google_forms": {"google_forms", "csv"},
    "csv": {"csv", "google_forms"},
}


@dataclass(frozen=True)
class CodedExport:
    """An export reduced to mapped fields, in memory only (it still holds response ids and
    SGIC codes, which anonymisation replaces with keyed digests before anything is written).

    `frame` is indexed by source_row_number with columns: response_id, submitted_at (ISO text
    or None), cohort (a cohort id, or the unmatched answer), sgic_code, sgic_status, one column
    per item id (code token or None when blank) and the meta_* columns of the format.
    `source_columns` maps each field to the export column it came from, for messages.
    """

    frame: pd.DataFrame
    source_columns: dict[str, str]
    item_ids: list[str]


def required_columns(survey: Survey, export_format: str) -> dict[str, str]:
    """Field -> source column key for every column this survey needs from the export."""
    columns = {"submitted_at": survey.submitted_at, "cohort": survey.cohort}
    if survey.response_id:
        columns["response_id"] = survey.response_id
    columns |= {f"sgic_{e.name}": e.column for e in survey.sgic}
    columns |= {item_id: column for column, item_id in survey.items.items()}
    if export_format == "qualtrics":
        columns |= QUALTRICS_META
    return columns


def code_export(
    raw: RawExport,
    survey: Survey,
    programme: Programme,
    instruments: dict[str, Instrument],
    label: str,
) -> CodedExport:
    """Select and code the mapped columns of `raw`; `label` names the file in errors."""
    detected = raw.detection.format
    if detected not in COMPATIBLE_FORMATS[survey.format]:
        raise DataError(
            f"{label}: format_mismatch: the survey mapping expects a {survey.format} export "
            f"but the file looks like {detected}"
        )
    columns = required_columns(survey, survey.format)
    missing = [f"'{column}'" for column in columns.values() if column not in raw.frame.columns]
    if missing:
        raise DataError(
            f"{label}: missing_column: the export has no column {', '.join(missing)} "
            "named in the survey mapping (Qualtrics columns are matched by ImportId, "
            "others by their exact header text)"
        )
    source = raw.frame
    frame = pd.DataFrame(index=source.index)
    frame["response_id"] = (
        _blank_to_none(source[columns["response_id"]]) if survey.response_id else None
    )
    frame["submitted_at"] = parse_timestamps(source[survey.submitted_at], survey.timestamp_format)
    frame["cohort"] = code_cohorts(source[survey.cohort], programme)
    sgic = [source[e.column] for e in survey.sgic]
    kinds = [e.kind for e in survey.sgic]
    codes = [normalise_code(values, kinds) for values in zip(*sgic, strict=True)]
    frame["sgic_code"] = pd.Series([c for c, _ in codes], index=frame.index, dtype="object")
    frame["sgic_status"] = pd.Series([s for _, s in codes], index=frame.index, dtype="object")
    owners = {item: ins for ins in instruments.values() for item in ins.item_ids}
    item_ids = list(survey.items.values())
    for column, item_id in survey.items.items():
        frame[item_id] = code_items(source[column], owners[item_id], survey.values)
    for field in QUALTRICS_META:
        frame[field] = source[columns[field]] if field in columns else ""
    return CodedExport(frame=frame, source_columns=columns, item_ids=item_ids)


def _blank_to_none(values: pd.Series) -> pd.Series:
    stripped = values.astype("object").str.strip()
    return stripped.where(stripped != "", None)


def _missing_as_none(values: pd.Series) -> pd.Series:
    """Object series with None (never NaN) for missing, so DuckDB and GX both see NULL."""
    values = values.astype("object")
    return values.where(values.notna(), None)


def parse_timestamps(values: pd.Series, fmt: str | None) -> pd.Series:
    """ISO text ("2025-01-14T10:32:05") of each timestamp, None where blank or unparseable."""
    text = _blank_to_none(values)
    if fmt:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    else:
        parsed = pd.to_datetime(text, format="ISO8601", errors="coerce")
    iso = parsed.dt.strftime("%Y-%m-%dT%H:%M:%S")
    return iso.astype("object").where(parsed.notna(), None)


def code_cohorts(values: pd.Series, programme: Programme) -> pd.Series:
    """Cohort id for each answer that matches a cohort's id or label; other answers unchanged
    (normalised), so validation reports them as unknown; None where blank."""
    lookup = {}
    for cohort in programme.cohorts:
        for name in (cohort.id, *cohort.labels):
            lookup[normalise_label(name)] = cohort.id
    normalised = _blank_to_none(values).map(normalise_label, na_action="ignore")
    return _missing_as_none(normalised.map(lambda text: lookup.get(text, text), na_action="ignore"))


def code_items(values: pd.Series, instrument: Instrument, kind: str) -> pd.Series:
    """Code token of each answer: "1".."max" when it is a valid answer, another token otherwise
    (validation quarantines it), None when blank (a missing answer, which is allowed)."""
    text = _blank_to_none(values)
    if kind == "labels":
        labels = {
            label: str(code) for label, code in instrument.response_scale.label_codes().items()
        }
        normalised = text.map(normalise_label, na_action="ignore")
        return _missing_as_none(
            normalised.map(lambda label: labels.get(label, label), na_action="ignore")
        )
    return _missing_as_none(text.map(_numeric_token, na_action="ignore"))


def _numeric_token(text: str) -> str:
    """ "4", "4.0", "'4" and "+4" become "4"; anything that is not a whole number stays as is."""
    cleaned = text.lstrip("'+").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text
