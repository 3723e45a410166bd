"""Qualtrics header rows: the ImportId row of modern exports and the `V1, V2, ...` legacy layout.

Modern exports have three header rows: column names, question text (in the survey's language,
so never used for structure) and a JSON object per column such as `{"ImportId":"QID5_1"}`,
sometimes with `"timeZone"` or `"choiceId"` members. Exports from before about 2017 wrote
`{'ImportId': 'QID5_1'}` instead. The ImportId is the stable key for mapping columns to
instrument items across exports. Legacy exports have two header rows: `V1 ... V10` and question
codes, then labels.
"""

from __future__ import annotations

import json
import re

OLD_STYLE_IMPORT_ID = re.compile(r"\{\s*'ImportId'\s*:\s*'([^']*)'\s*\}")
LEGACY_CODE = re.compile(r"V\d+")


def parse_import_id(cell: str) -> dict[str, str] | None:
    """The members of one ImportId cell as strings, or None when the cell is not one.

    >>> parse_import_id('{"ImportId":"startDate","timeZone":"Pacific/Auckland"}')
    {'ImportId': 'startDate', 'timeZone': 'Pacific/Auckland'}
    >>> parse_import_id("{'ImportId': 'QID1'}")
    {'ImportId': 'QID1'}
    """
    text = cell.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        old = OLD_STYLE_IMPORT_ID.fullmatch(text)
        return {"ImportId": old.group(1)} if old else None
    if not isinstance(value, dict) or not isinstance(value.get("ImportId"), str):
        return None
    if not value["ImportId"].strip():
        return None
    return {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in value.items()}


def import_id_key(meta: dict[str, str]) -> str:
    """The column key for parsed ImportId members.

    A "split multi-value field" column carries a `choiceId` next to the question's ImportId
    (`{"ImportId":"QID4","choiceId":"2"}`); its key is `QID4_2`, the form older exports used.
    """
    choice = meta.get("choiceId", "").strip()
    return f"{meta['ImportId']}_{choice}" if choice else meta["ImportId"]


def is_import_id_row(record: list[str]) -> bool:
    """True when at least half of the row's non-empty cells are ImportId objects."""
    filled = [cell for cell in record if cell.strip()]
    hits = sum(parse_import_id(cell) is not None for cell in filled)
    return hits >= 1 and hits * 2 >= len(filled)


def is_legacy_names_row(record: list[str]) -> bool:
    """True for a legacy export's first row, which starts `V1,V2,...`."""
    return len(record) >= 3 and [c.strip() for c in record[:3]] == ["V1", "V2", "V3"]


QUALTRICS_METADATA_NAMES = frozenset(
    {"StartDate", "EndDate", "Status", "Progress", "Finished", "RecordedDate", "ResponseId"}
)


def looks_like_qualtrics_names(record: list[str]) -> bool:
    """True when a first row carries most of Qualtrics' standard metadata column names."""
    return len(QUALTRICS_METADATA_NAMES.intersection(c.strip() for c in record)) >= 5
