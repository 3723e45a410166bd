"""Map an export's columns onto Ripple's fields by their stable key, and code the answers.

Only the columns a survey mapping names are read; every other column (identifiers, free text,
device data) is left behind in the raw export and never reaches the warehouse. Answers become
tokens that validation can check (pipeline.ingest.answers); cohorts and waves are assigned
per row (pipeline.ingest.assign); dates are parsed with their day/month order settled from the
file or the config (pipeline.ingest.dates). A value that cannot be coded keeps a non-code
token, so validation quarantines the row and names the column. Multi-select answers joined in
one cell and single-choice answers spread over one column per option are first brought to
ordinary columns (pipeline.ingest.derived).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from pipeline.config import Programme, Source, Survey
from pipeline.errors import DataError
from pipeline.ingest import assign
from pipeline.ingest.answers import blank_to_none, code_item
from pipeline.ingest.derived import derive_columns
from pipeline.ingest.free_text import redact
from pipeline.ingest.identifiers import identifying_reason, platform_field
from pipeline.ingest.quasi import coarsen
from pipeline.ingest.survey_dates import DateRules, months, parse_dates
from pipeline.instruments import Instrument
from pipeline.sgic import code_fields

if TYPE_CHECKING:
    from pipeline.ingest.readers import RawExport

# Qualtrics metadata the exclusion rules read, by ImportId (modern three-header-row export).
QUALTRICS_META = {
    "meta_status": "status",
    "meta_finished": "finished",
    "meta_progress": "progress",
    "meta_channel": "distributionChannel",
}
SINGLE_HEADER = {"csv", "google_forms", "kobo", "redcap"}
COMPATIBLE_FORMATS = {
    "qualtrics": {"qualtrics"},
    "qualtrics_legacy": {"qualtrics_legacy"},
    "surveymonkey": {"surveymonkey"},
    "surveymonkey_api": {"surveymonkey_api"},
    "google_forms": SINGLE_HEADER,
    "redcap": {"redcap", "csv"},
    "kobo": {"kobo", "csv"},
    "csv": SINGLE_HEADER,
}
NO_RESPONSE_IDENTITY = (
    "no_response_identity: the survey maps no response id and no submission time, so "
    "responses are told apart by their row: identical answers from different people are all "
    "kept, but a later export repeating these rows would load them again (map response_id or "
    "submitted_at if the export has one)"
)
SCIENTIFIC = re.compile(r"[+-]?\d(?:[.,]\d+)?[eE][+-]?\d+")


@dataclass(frozen=True)
class CodedExport:
    """An export reduced to mapped fields, in memory only (it still holds response ids,
    participant ids and SGIC codes, which anonymisation replaces with keyed digests before
    anything is written).

    `frame` is indexed by source_row_number with columns: response_id, participant_id,
    submitted_at (ISO text or None), submitted_month (first day of the month, or None),
    cohort (a cohort id, or the unmatched answer), wave (a wave id, or the unmatched value),
    other_wave (bool), sgic_code, sgic_status, sgic_variant_<i> (pipeline.sgic.code_fields),
    one column per item id (code token or None)
    and the meta_* columns. `dont_know` has one bool column per item id. `source_columns`
    maps each field to the export column it came from, for messages (an item read from a
    derived column names that, e.g. `<question> | <option>`; `checkbox_<n>` and
    `option_<n>_<m>` name the export columns the derived ones read).
    """

    frame: pd.DataFrame
    source_columns: dict[str, str]
    item_ids: list[str]
    dont_know: pd.DataFrame = field(default_factory=pd.DataFrame)
    row_identity: tuple[str, ...] = ()  # fields beyond v1's that tell responses apart
    notes: tuple[str, ...] = ()  # how dates were read, for the file's warnings
    attributes: pd.DataFrame = field(default_factory=pd.DataFrame)  # coarsened, per row
    free_text: pd.DataFrame = field(default_factory=pd.DataFrame)  # redacted, per row


def required_columns(survey: Survey, export_format: str) -> dict[str, str]:
    """Field -> source column key for every column this survey needs from the export."""
    columns: dict[str, str] = {}
    for n, column in enumerate(survey.response_id_columns()):
        columns[f"response_id_{n}"] = column
    optional = {
        "participant_id": survey.participant_id,
        "submitted_at": survey.submitted_at,
        "month_from": survey.month_from,
        "wave": survey.wave.column if survey.wave else None,
        "completion": survey.completion.column if survey.completion else None,
        "duration": survey.duration,
        "started_at": survey.started_at,
    }
    columns |= {name: column for name, column in optional.items() if column}
    rule = survey.cohort_rule
    if rule and rule.column:
        columns["cohort"] = rule.column
    columns |= {f"sgic_{e.name}": e.column for e in (*survey.sgic, *survey.sgic_covariates)}
    columns |= {f"free_text_{f.name}": f.column for f in survey.free_text}
    columns |= {f"attribute_{q.name}": q.column for q in survey.quasi_identifiers}
    columns |= {item_id: column for column, item_id in survey.items.items()}
    if export_format == "qualtrics":
        columns |= QUALTRICS_META
    return columns


def check_format(raw: RawExport, survey: Survey, label: str) -> None:
    """The file must be of a layout the survey mapping can read."""
    detected = raw.detection.format
    if detected not in COMPATIBLE_FORMATS[survey.format]:
        raise DataError(
            f"{label}: format_mismatch: the survey mapping expects a {survey.format} export "
            f"but the file looks like {detected} (set `format:` on the source to override "
            "detection if the file really is one)"
        )


def check_columns(raw: RawExport, columns: dict[str, str], label: str) -> None:
    """Every mapped column must be in the export; the error names each missing one."""
    missing = [f"'{column}'" for column in columns.values() if column not in raw.frame.columns]
    repeated = [m for m in missing if f"{m[1:-1]} [1]" in raw.frame.columns]
    if repeated:
        raise DataError(
            f"{label}: repeated_header: the export has several columns headed {repeated[0]}; "
            f"map the one you mean as {repeated[0][:-1]} [1]', {repeated[0][:-1]} [2]', ... "
            "(in column order)"
        )
    if missing:
        raise DataError(
            f"{label}: missing_column: the export has no column {', '.join(missing)} "
            "named in the survey mapping (columns are matched by their stable key: Qualtrics "
            "ImportId, REDCap field name, otherwise the exact header text; `ripple detect "
            "--columns FILE` lists them)"
        )


def refuse_identifiers(raw: RawExport, survey: Survey, columns: dict[str, str], label: str):
    """A platform's identifying fields (IP address, e-mail, names, location, device ids) may
    only be read as a pseudonymised response or participant id, never as anything kept."""
    ids = {*survey.response_id_columns(), survey.participant_id}
    fmt = raw.detection.format
    names = dict(zip(raw.keys, raw.names, strict=False))
    for field_name, key in columns.items():
        if key in ids or field_name.startswith("meta_"):
            continue
        if platform_field(key, names.get(key, key), fmt) or (
            field_name.startswith("free_text_") and identifying_reason(key, key, fmt)
        ):
            raise DataError(
                f"{label}: identifier_mapped: column '{key}' is identifying "
                f"({identifying_reason(key, names.get(key, key), fmt) or 'a platform field'}); "
                "it can only be mapped as response_id or participant_id, which are pseudonymised"
            )


def id_text(values: pd.Series, column: str, label: str) -> pd.Series:
    """An id column as trimmed text; an id in scientific notation (Excel turned
    1234567890123456 into 1.23457E+15, losing digits) fails the file."""
    text = blank_to_none(values)
    mangled = text.str.fullmatch(SCIENTIFIC, na=False)
    if mangled.any():
        row = mangled.idxmax()
        raise DataError(
            f"{label}: id_in_scientific_notation: row {row}, column '{column}': an id was "
            "saved in scientific notation (e.g. 1.23E+15) by a spreadsheet, so its digits "
            "are lost; export the file again from the platform and do not open and save it "
            "in Excel (or import the column as text)"
        )
    return text


def joined_ids(source: pd.DataFrame, columns: list[str], label: str) -> pd.Series | None:
    """The response id: one column, or several joined with '|' (None when any is blank)."""
    if not columns:
        return None
    parts = [id_text(source[c], c, label) for c in columns]
    joined = parts[0].astype("object")
    for part in parts[1:]:
        joined = joined + "|" + part.fillna("")
    return joined.where(parts[0].notna(), None)


def code_export(
    raw: RawExport,
    survey: Survey,
    source: Source,
    programme: Programme,
    instruments: dict[str, Instrument],
    label: str,
    redact_names: list[str] | None = None,
) -> CodedExport:
    """Select and code the mapped columns of `raw`; `label` names the file in errors;
    `redact_names` are removed from opted-in free text."""
    check_format(raw, survey, label)
    derived = derive_columns(raw, survey, instruments, label)
    raw = derived.raw  # with checkbox options split and one-column-per-option items folded
    columns = required_columns(survey, raw.detection.format) | derived.read
    check_columns(raw, columns, label)
    refuse_identifiers(raw, survey, columns, label)
    src = raw.frame
    frame = pd.DataFrame(index=src.index)
    frame["response_id"] = joined_ids(src, survey.response_id_columns(), label)
    frame["participant_id"] = (
        id_text(src[survey.participant_id], survey.participant_id, label)
        if survey.participant_id
        else None
    )
    rules = DateRules(
        source.date_format or survey.timestamp_format,
        source.date_order or survey.date_order,
        source.excel_epoch,
    )
    notes: list[str] = list(derived.notes)
    submitted = (
        parse_dates(src[survey.submitted_at], rules, survey.submitted_at, label, notes)
        if survey.submitted_at
        else pd.Series(pd.NaT, index=src.index, dtype="datetime64[ns]")
    )
    iso = submitted.dt.strftime("%Y-%m-%dT%H:%M:%S")
    frame["submitted_at"] = iso.astype("object").where(submitted.notna(), None)
    frame["wave"], frame["other_wave"] = assign.waves_for(source, survey, src)
    frame["cohort"] = assign.cohorts_for(src, survey, source, programme, submitted, frame)
    frame["submitted_month"] = months(src, survey, programme, submitted, frame, rules, label, notes)
    sgic = code_fields(
        [src[e.column] for e in survey.sgic],
        survey.sgic,
        src.index,
        [src[e.column] for e in survey.sgic_covariates],
        survey.sgic_covariates,
    )
    for name, values in sgic.items():
        frame[name] = values
    owners = {item: ins for ins in instruments.values() for item in ins.item_ids}
    item_ids = list(survey.items.values())
    dont_know = pd.DataFrame(index=src.index)
    # a REDCap label export read through its dictionary already holds the choices' codes
    kind = "codes" if survey.format == "redcap" and survey.dictionary else survey.values
    for column, item_id in survey.items.items():
        owner = owners[item_id]
        frame[item_id], dont_know[item_id] = code_item(
            src[column],
            owner,
            derived.kinds.get(column, kind),
            survey.codes_for(item_id, owner.id),
            survey.labels_for(item_id, owner.id),
        )
    for name, value in meta_columns(src, survey, columns).items():
        frame[name] = value
    identity = ("wave",) if survey.wave and source.wave is None else ()
    identity += ("participant_id",) if survey.participant_id else ()
    if not survey.response_id_columns() and not survey.submitted_at:
        # nothing tells two people with identical answers apart but their row: keep both
        frame["source_row"] = src.index.astype(str)
        identity += ("source_row",)
        notes.append(NO_RESPONSE_IDENTITY)
    free_text = pd.DataFrame(
        {f.name: redact(src[f.column], redact_names) for f in survey.free_text}, index=src.index
    )
    attributes = coarsen(src, survey.quasi_identifiers)
    return CodedExport(
        frame, columns, item_ids, dont_know, identity, tuple(notes), attributes, free_text
    )


def meta_columns(src: pd.DataFrame, survey: Survey, columns: dict[str, str]) -> dict:
    """The meta_* columns the exclusion rules read: Qualtrics status, finished, progress and
    channel; for other formats the survey's completion column says finished (1) or not (0)."""
    meta = {name: src[columns[name]] if name in columns else "" for name in QUALTRICS_META}
    if survey.completion:
        status = blank_to_none(src[survey.completion.column])
        complete = {v.strip().casefold() for v in survey.completion.complete}
        finished = status.str.casefold().isin(complete).map({True: "1", False: "0"})
        meta["meta_finished"] = finished.where(status.notna(), "")
    return meta
