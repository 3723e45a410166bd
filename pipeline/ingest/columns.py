"""Schema drift and identifiers: what an export holds beyond what the mapping reads.

A missing mapped column fails the file (pipeline.ingest.mapping). Columns the mapping does not
name are never read; they are reported, by header only, so a user sees a new question or a
renamed one, and columns whose names look identifying are reported as possible identifiers.
For REDCap, the data dictionary says which fields are identifiers: mapping one of them to
anything but the participant id (which is pseudonymised) is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.config import Survey
from pipeline.errors import ConfigError
from pipeline.ingest.errors import short_name
from pipeline.ingest.identifiers import identifying_reason
from pipeline.ingest.mapping import CodedExport
from pipeline.ingest.readers import RawExport

MAX_LISTED = 12


def listed(names: list[str]) -> str:
    """'a', 'b', ... (N in all) with at most MAX_LISTED names."""
    shown = ", ".join(f"'{short_name(n)}'" for n in names[:MAX_LISTED])
    return shown if len(names) <= MAX_LISTED else f"{shown}, ... ({len(names)} in all)"


# Platform metadata every export of a format carries: not read unless mapped, and not news.
PLATFORM_METADATA = {
    "qualtrics": {
        "startDate",
        "endDate",
        "status",
        "progress",
        "duration",
        "finished",
        "recordedDate",
        "_recordId",
        "distributionChannel",
        "userLanguage",
    },
    "qualtrics_legacy": {"V1", "V2", "V7", "V8", "V9", "V10"},
    "surveymonkey": {"Respondent ID", "Collector ID", "Start Date", "End Date"},
    "surveymonkey_api": {"id", "collector_id", "date_created", "date_modified", "response_status"},
    "kobo": {
        "start",
        "end",
        "today",
        "_id",
        "_uuid",
        "_submission_time",
        "_index",
        "_validation_status",
        "_status",
        "_submitted_by",
        "__version__",
        "_version_",
        "meta/instanceID",
        "_tags",
        "_notes",
        "formhub/uuid",
    },
}
METADATA_PATTERNS = {"redcap": re.compile(r"redcap_.*|.*_complete|.*_timestamp")}


def is_metadata(key: str, fmt: str, position: int) -> bool:
    """A platform's own bookkeeping column (Google Forms' first column is its timestamp)."""
    if fmt == "google_forms" and position == 0:
        return True
    pattern = METADATA_PATTERNS.get(fmt)
    return key in PLATFORM_METADATA.get(fmt, ()) or bool(pattern and pattern.fullmatch(key))


def column_warnings(raw: RawExport, coded: CodedExport) -> list[str]:
    """Warnings about the columns not read: new columns (neither mapped nor the platform's
    metadata), and any unread column whose header or question text looks identifying."""
    used = set(coded.source_columns.values())
    fmt = raw.detection.format
    unread = [key for key in raw.keys if key not in used]
    texts = {}
    for key, name, label in zip(raw.keys, raw.names, raw.labels or raw.names, strict=False):
        texts[key] = (name, label)
    identifying = [
        key
        for key in unread
        if any(identifying_reason(key, text, fmt) for text in texts.get(key, (key,)))
    ]
    positions = {key: n for n, key in enumerate(raw.keys)}
    unread = [k for k in unread if k not in identifying and not is_metadata(k, fmt, positions[k])]
    warnings = []
    if unread:
        warnings.append(
            f"columns_not_read: {len(unread)} column(s) are not in the survey mapping and were "
            f"not read (new questions, or renamed ones?): {listed(unread)}"
        )
    if identifying:
        warnings.append(
            f"possible_identifiers: {len(identifying)} column(s) not read look identifying: "
            f"{listed(identifying)}"
        )
    return warnings


def read_with_dictionary(
    path: Path,
    survey: Survey,
    dictionary_path: Path,
    encoding: str | None,
    delimiter: str | None,
    max_bytes: int,
) -> RawExport:
    """A REDCap export in the raw shape (label headers and values turned into field names
    and codes through the data dictionary); refuses a mapping that reads an identifier
    field other than the participant id or the response id's parts."""
    from pipeline.ingest.redcap import load_dictionary, read_redcap

    dictionary = load_dictionary(dictionary_path)
    allowed = {survey.participant_id, *survey.response_id_columns()}
    flagged = sorted(set(survey.used_columns()) & dictionary.identifier_fields() - allowed)
    if flagged:
        raise ConfigError(
            f"{path}: the survey mapping reads {listed(flagged)}, which the REDCap data "
            "dictionary marks as identifiers (Identifier? = y); identifiers are never loaded: "
            "remove them from the mapping"
        )
    return read_redcap(
        path, dictionary, encoding=encoding, delimiter=delimiter, max_bytes=max_bytes
    )
