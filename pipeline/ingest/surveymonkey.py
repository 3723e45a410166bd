"""SurveyMonkey CSV and XLSX exports: two header rows, and a stable key per column.

Row 1 starts with the respondent metadata (`Respondent ID`, `Collector ID`, `Start Date`,
`End Date`, `IP Address`, `Email Address`, `First Name`, `Last Name`, `Custom Data 1`), then
holds each question's text once, in the question's first column: the other columns of a
multi-column question (checkbox choices, matrix rows, "Other (please specify)") are blank in
row 1. Some exports repeat the question text instead; both read the same. Row 2 holds the
sub-headers: "Response" or "Open-Ended Response" for a single-answer question, the choice label
of a checkbox column, the row label ("Row - Column" in the expanded layout) of a matrix column,
and nothing under the metadata columns.

The key of a column is its question text (row 1, filled forward over the blank cells), and
`"<question> | <sub-header>"` when the sub-header says more than "Response". Keys are stripped
of surrounding spaces, which spreadsheets hide. The condensed and expanded layouts differ only in
how many columns a question has, so they key the same way. A condensed export whose row 2 is
empty in a workbook, or an export whose row 2 was deleted, has one header row: the second
record is then a response (it has a Respondent ID) and is read as one. In the expanded layout a
single-choice question has one column per option (`<question> | <option>`); the mapping reads
them back as one answer (pipeline.ingest.option_columns).
"""

from __future__ import annotations

METADATA_COLUMNS = (
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
    "First Name",
    "Last Name",
    "Custom Data 1",
)
OTHER_METADATA = frozenset(name.casefold() for name in METADATA_COLUMNS[1:])
# Sub-headers that name no choice or row: the column is the question's only answer.
SINGLE_ANSWER = frozenset({"", "response", "open-ended response"})
KEY_SEPARATOR = " | "


def is_surveymonkey_names(record: list[str]) -> bool:
    """True for SurveyMonkey's header row 1: `Respondent ID` first, then other metadata."""
    cells = [cell.strip().casefold() for cell in record]
    return bool(cells) and cells[0] == "respondent id" and bool(OTHER_METADATA & set(cells[1:]))


def is_sub_header_row(record: list[str]) -> bool:
    """True when a second record holds sub-headers rather than a response.

    Every response has a Respondent ID in the first column; the sub-header row has nothing
    there (or says "Response" somewhere, should the first column have been filled in).
    """
    cells = [cell.strip().casefold() for cell in record]
    return not cells or not cells[0] or any(c in ("response", "open-ended response") for c in cells)


def header_row_count(head: list[list[str]]) -> int:
    """2 when row 2 is the sub-header row (or there is no row 2), else 1."""
    return 2 if len(head) < 2 or is_sub_header_row(head[1]) else 1


def column_keys(names: list[str], subs: list[str]) -> tuple[list[str], list[dict[str, str]]]:
    """Stable keys from header rows 1 and 2, and per column its question and sub-header.

    A column before any question text (a blank first header) gets an empty key, which the
    caller turns into a positional `_blank_<n>` key.
    """
    keys: list[str] = []
    meta: list[dict[str, str]] = []
    question = ""
    for name, sub in zip(names, subs, strict=True):
        if name.strip():
            question = name.strip()
        sub_text = sub.strip()
        if sub_text.casefold() in SINGLE_ANSWER:
            key = question
        elif question:
            key = f"{question}{KEY_SEPARATOR}{sub_text}"
        else:
            key = sub_text
        keys.append(key)
        meta.append({"question": question, "sub_header": sub_text} if sub_text else {})
    return keys, meta
