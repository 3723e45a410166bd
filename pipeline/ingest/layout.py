"""Which platform wrote an export, how many header rows it has, and the stable column keys.

The layout is judged from the first records only (`Scan.head`, or a sheet's first rows):

* `qualtrics`: a row of ImportId objects, normally row 3 (names, question text, ImportIds);
* `qualtrics_legacy`: row 1 starts `V1,V2,V3` and row 2 holds the labels;
* `surveymonkey`: row 1 starts "Respondent ID", row 2 holds sub-headers (`surveymonkey.py`);
* `google_forms`: the first header is "Timestamp" or one of its translations;
* `kobo` and `redcap` (raw or label export): columns only they write (`platforms.py`);
* `csv`: anything else, with one header row.

A configured format or header-row count wins over detection (`apply_overrides`), with a
warning when it differs. Column keys are what project configs map to instrument items: the
ImportId for Qualtrics, "question | sub-header" for SurveyMonkey, the header text as written for
everything else. A blank header cell gets the positional key `_blank_<column>` (with a
warning). A header that repeats (Google Forms repeats a question's text when two questions
have the same wording; a REDCap label export writes "Complete?" once per form) is keyed by its
occurrence, `<text> [1]`, `<text> [2]`, ..., with a warning, so a mapping must say which one it
means and the bare text names none of them. Repeated Qualtrics ImportIds fail the file: they are
meant to be unique, so a repeat means the export was edited.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.ingest import surveymonkey
from pipeline.ingest.errors import IngestError, short_name
from pipeline.ingest.platforms import GOOGLE_FORMS_TIMESTAMP, is_kobo, redcap_variant
from pipeline.ingest.qualtrics import (
    import_id_key,
    is_import_id_row,
    is_legacy_names_row,
    looks_like_qualtrics_names,
    parse_import_id,
)


@dataclass(frozen=True)
class Layout:
    """Format, number of header rows, and which header row holds ImportIds and labels."""

    format: str
    header_rows: int
    import_id_row: int | None = None  # 0-based index into the header rows
    label_row: int | None = None
    warnings: tuple[str, ...] = ()
    sub_header_row: int | None = None  # SurveyMonkey's row 2 (0-based)
    variant: str | None = None  # REDCap: "raw" or "labels"


@dataclass(frozen=True)
class HeaderColumns:
    """Per column: stable key, header text (row 1), label (question text) and ImportId extras."""

    keys: list[str]
    names: list[str]
    labels: list[str]
    meta: list[dict[str, str]]
    warnings: tuple[str, ...]
    duplicates: list[tuple[int, int, str]]  # (first column, repeating column, key), 1-based
    key_row: int  # the spreadsheet row the keys come from


def layout_of(head: list[list[str]]) -> Layout:
    """Recognise the export layout from its first non-blank records."""
    if not head:
        return Layout("csv", 1)
    for index in (2, 1, 0):
        if len(head) > index and is_import_id_row(head[index]):
            if index == 2:
                return Layout("qualtrics", 3, import_id_row=2, label_row=1)
            return Layout(
                "qualtrics",
                index + 1,
                import_id_row=index,
                warnings=(
                    f"qualtrics_header_rows_changed: the ImportId row is row {index + 1}, not "
                    "row 3 (header rows were deleted or reordered); responses start at row "
                    f"{index + 2}",
                ),
            )
    names = head[0]
    if len(head) >= 2 and is_legacy_names_row(names):
        return Layout("qualtrics_legacy", 2, label_row=1)
    if surveymonkey.is_surveymonkey_names(names):
        return surveymonkey_layout(head)
    if names and names[0].strip().casefold() in GOOGLE_FORMS_TIMESTAMP:
        return Layout("google_forms", 1)
    if is_kobo(names):
        return Layout("kobo", 1)
    variant = redcap_variant(names)
    if variant:
        return Layout("redcap", 1, variant=variant)
    if looks_like_qualtrics_names(names):
        return Layout(
            "csv",
            1,
            warnings=(
                "qualtrics_header_rows_missing: row 1 has Qualtrics column names but no "
                "ImportId row follows, so the file is read with one header row; if only "
                "row 3 was deleted, row 2 (question text) will be read as a response",
            ),
        )
    return Layout("csv", 1)


def surveymonkey_layout(head: list[list[str]]) -> Layout:
    """SurveyMonkey with its sub-header row, or with one header row when row 2 is a response."""
    if surveymonkey.header_row_count(head) == 2:
        return Layout("surveymonkey", 2, sub_header_row=1)
    return Layout("surveymonkey", 1)


def forced_layout(fmt: str, head: list[list[str]]) -> Layout:
    """The layout of a format named in the config, fitted to the file as far as it goes."""
    if fmt == "qualtrics":
        for index in (2, 1, 0):
            if len(head) > index and is_import_id_row(head[index]):
                return Layout(
                    fmt, index + 1, import_id_row=index, label_row=1 if index == 2 else None
                )
        return Layout(fmt, 3, label_row=1)  # no ImportIds: keyed by row-1 names
    if fmt == "qualtrics_legacy":
        return Layout(fmt, 2, label_row=1)
    if fmt == "surveymonkey":
        return surveymonkey_layout(head) if head else Layout(fmt, 2, sub_header_row=1)
    if fmt == "redcap":
        return Layout(fmt, 1, variant=redcap_variant(head[0]) if head else None)
    return Layout(fmt, 1)


def apply_overrides(
    detected: Layout, head: list[list[str]], fmt: str | None, header_rows: int | None
) -> Layout:
    """The layout to read with: a configured format and header-row count win over detection,
    with a warning saying so when they differ from what was detected."""
    layout = detected
    if fmt is not None and fmt != detected.format:
        layout = replace(
            forced_layout(fmt, head),
            warnings=(
                f"format_override: read as {fmt}, as configured; the file looks like "
                f"{detected.format}",
            ),
        )
    if header_rows is not None and header_rows != layout.header_rows:

        def kept(row: int | None) -> int | None:
            return row if row is not None and row < header_rows else None

        layout = replace(
            layout,
            header_rows=header_rows,
            import_id_row=kept(layout.import_id_row),
            label_row=kept(layout.label_row),
            sub_header_row=kept(layout.sub_header_row),
            warnings=(
                *layout.warnings,
                f"header_rows_override: {header_rows} header row(s), as configured; the "
                f"{layout.format} layout found has {layout.header_rows}",
            ),
        )
    return layout


def blank_key(column: int) -> str:
    """The positional key of a column whose header is blank (1-based column number)."""
    return f"_blank_{column}"


def raw_keys(layout: Layout, head: list[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    """Keys before blank-header handling, and the ImportId (or sub-header) extras per column."""
    names = head[0]
    sub_row = layout.sub_header_row
    if sub_row is not None and len(head) > sub_row:
        return surveymonkey.column_keys(names, head[sub_row])
    if layout.import_id_row is None or len(head) <= layout.import_id_row:
        return list(names), [{} for _ in names]
    keys: list[str] = []
    meta: list[dict[str, str]] = []
    for name, cell in zip(names, head[layout.import_id_row], strict=True):
        parsed = parse_import_id(cell)
        keys.append(import_id_key(parsed) if parsed else name)
        meta.append({k: v for k, v in parsed.items() if k != "ImportId"} if parsed else {})
    return keys, meta


def number_repeats(keys: list[str]) -> list[int]:
    """Key every occurrence of a repeated header `<text> [n]`; the 1-based columns changed."""
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    seen: dict[str, int] = {}
    changed: list[int] = []
    for position, key in enumerate(list(keys)):
        if counts[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            keys[position] = f"{key} [{seen[key]}]"
            changed.append(position + 1)
    return changed


def header_columns(
    layout: Layout, head: list[list[str]], header_row_numbers: list[int]
) -> HeaderColumns:
    """Keys, names, labels and ImportId extras for every column, with warnings.

    Duplicate keys are reported in `duplicates` (and a warning); `duplicate_error` turns them
    into the error that `read_export` raises.
    """
    names = list(head[0])
    keys, meta = raw_keys(layout, head)
    warnings: list[str] = []
    if layout.import_id_row is not None and len(head) > layout.import_id_row:
        missing = [
            i + 1 for i, cell in enumerate(head[layout.import_id_row]) if not parse_import_id(cell)
        ]
        if missing:
            warnings.append(
                f"qualtrics_missing_import_id: column(s) {list_numbers(missing)} have no "
                "ImportId; their header text is used as the key"
            )
    blanks = [i + 1 for i, key in enumerate(keys) if not key.strip()]
    for column in blanks:
        keys[column - 1] = blank_key(column)
    if blanks:
        warnings.append(
            f"blank_header: column(s) {list_numbers(blanks)} have no header; they are keyed "
            f"by position ({blank_key(blanks[0])}, ...)"
        )
    if layout.import_id_row is None:
        repeated = number_repeats(keys)
        if repeated:
            warnings.append(
                f"repeated_header: column(s) {list_numbers(repeated)} share their header with "
                "another column (Google Forms repeats the text of two questions worded alike; "
                "a REDCap label export writes 'Complete?' once per form); each is keyed "
                "'<header> [1]', '<header> [2]', ... in column order, so map the one you mean"
            )
    duplicates = duplicate_keys(keys)
    if duplicates:
        warnings.append("duplicate_column: " + describe_duplicates(duplicates, layout))
    if layout.sub_header_row is not None:
        labels = list(keys)  # the question text, with the sub-header where there is one
    elif layout.label_row is not None and len(head) > layout.label_row:
        labels = list(head[layout.label_row])
    else:
        labels = list(names)
    key_row = header_row_numbers[min(layout.import_id_row or 0, len(header_row_numbers) - 1)]
    return HeaderColumns(keys, names, labels, meta, tuple(warnings), duplicates, key_row)


def list_numbers(numbers: list[int], limit: int = 10) -> str:
    """'3, 7, 9' or '3, 7, 9, ... (14 in all)'."""
    shown = ", ".join(str(n) for n in numbers[:limit])
    return shown if len(numbers) <= limit else f"{shown}, ... ({len(numbers)} in all)"


def duplicate_keys(keys: list[str]) -> list[tuple[int, int, str]]:
    """(first column, repeating column, key) for every repeated key; columns are 1-based."""
    first_seen: dict[str, int] = {}
    pairs: list[tuple[int, int, str]] = []
    for position, key in enumerate(keys, start=1):
        if key in first_seen:
            pairs.append((first_seen[key], position, key))
        else:
            first_seen[key] = position
    return pairs


def describe_duplicates(pairs: list[tuple[int, int, str]], layout: Layout) -> str:
    """'columns 5 and 9 both have the key 'Q5' (and 1 more duplicate); <hint>'."""
    first, second, key = pairs[0]
    more = f" (and {len(pairs) - 1} more duplicate(s))" if len(pairs) > 1 else ""
    if layout.import_id_row is not None:
        hint = "ImportIds must be unique: was a column copied or edited after export?"
    elif layout.format == "surveymonkey":
        hint = "two questions have the same text (and sub-header); rename one in the export"
    else:
        hint = (
            "rename one of them in the export (Google Forms repeats a header when two "
            "questions have the same text)"
        )
    return f"columns {first} and {second} both have the key '{short_name(key)}'{more}; {hint}"


def duplicate_error(columns: HeaderColumns, layout: Layout, path: Path) -> IngestError:
    """The `duplicate_column` error for a header with repeated keys."""
    return IngestError(
        path,
        "duplicate_column",
        describe_duplicates(columns.duplicates, layout),
        row=columns.key_row,
        column=columns.duplicates[0][1],
    )
