"""Schema drift and identifiers: what an export holds beyond what the mapping reads.

A missing mapped column fails the file (pipeline.ingest.mapping). Columns the mapping does not
name are never read; they are reported, by header only, so a user sees a new question or a
renamed one, and columns whose names look identifying are reported as possible identifiers.
For REDCap, the data dictionary says which fields are identifiers: mapping one of them to
anything but the participant id (which is pseudonymised) is refused.
"""

from __future__ import annotations

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


def column_warnings(raw: RawExport, coded: CodedExport) -> list[str]:
    """Warnings about the columns not read: how many, which, and which look identifying."""
    used = set(coded.source_columns.values())
    unread = [key for key in raw.keys if key not in used]
    fmt = raw.detection.format
    names = dict(zip(raw.keys, raw.names, strict=False))
    identifying = [key for key in unread if identifying_reason(key, names.get(key, key), fmt)]
    warnings = []
    if unread:
        warnings.append(
            f"columns_not_read: {len(unread)} column(s) are not in the survey mapping and were "
            f"not read: {listed(unread)}"
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
