"""Which platform wrote an export, how many header rows it has, and the stable column keys.

The layout is judged from the first records only (`Scan.head`):

* `qualtrics`: a row of ImportId objects, normally row 3 (names, question text, ImportIds);
* `qualtrics_legacy`: row 1 starts `V1,V2,V3` and row 2 holds the labels;
* `google_forms`: the first header is "Timestamp" or one of its translations;
* `csv`: anything else, with one header row.

Column keys are what project configs map to instrument items: the ImportId for Qualtrics, the
header text as written for everything else. A blank header cell gets the positional key
`_blank_<column>` (with a warning), and two columns with the same key fail the file, since
pandas-style `.1` suffixes would silently depend on column order.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.ingest.errors import IngestError, short_name
from pipeline.ingest.qualtrics import (
    import_id_key,
    is_import_id_row,
    is_legacy_names_row,
    looks_like_qualtrics_names,
    parse_import_id,
)

# First header of a Google Forms / Sheets responses export in the form owner's language.
GOOGLE_FORMS_TIMESTAMP = frozenset(
    name.casefold()
    for name in (
        "Timestamp",  # en
        "Marca temporal",  # es, gl
        "Marca de temps",  # ca
        "Horodateur",  # fr
        "Horodatage",  # fr (some Sheets locales)
        "Zeitstempel",  # de
        "Carimbo de data/hora",  # pt
        "Informazioni cronologiche",  # it
        "Tijdstempel",  # nl
        "Sygnatura czasowa",  # pl
        "Tidsstempel",  # da, nb
        "Tidsstämpel",  # sv
        "Tidstämpel",  # sv
        "Aikaleima",  # fi
        "Časová značka",  # cs
        "Időbélyeg",  # hu
        "Zaman damgası",  # tr
        "Отметка времени",  # ru
        "Позначка часу",  # uk
        "Χρονική σήμανση",  # el
        "Stempel waktu",  # id
        "Dấu thời gian",  # vi
        "タイムスタンプ",  # ja
        "时间戳记",  # zh-CN
        "時間戳記",  # zh-TW
        "타임스탬프",  # ko
    )
)


@dataclass(frozen=True)
class Layout:
    """Format, number of header rows, and which header row holds ImportIds and labels."""

    format: str
    header_rows: int
    import_id_row: int | None = None  # 0-based index into the header rows
    label_row: int | None = None
    warnings: tuple[str, ...] = ()


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
    if len(head) >= 2 and is_legacy_names_row(head[0]):
        return Layout("qualtrics_legacy", 2, label_row=1)
    if head[0] and head[0][0].strip().casefold() in GOOGLE_FORMS_TIMESTAMP:
        return Layout("google_forms", 1)
    if looks_like_qualtrics_names(head[0]):
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


def blank_key(column: int) -> str:
    """The positional key of a column whose header is blank (1-based column number)."""
    return f"_blank_{column}"


def raw_keys(layout: Layout, head: list[list[str]]) -> tuple[list[str], list[dict[str, str]]]:
    """Keys before blank-header handling, and the ImportId members per column."""
    names = head[0]
    if layout.import_id_row is None:
        return list(names), [{} for _ in names]
    keys: list[str] = []
    meta: list[dict[str, str]] = []
    for name, cell in zip(names, head[layout.import_id_row], strict=True):
        parsed = parse_import_id(cell)
        keys.append(import_id_key(parsed) if parsed else name)
        meta.append({k: v for k, v in parsed.items() if k != "ImportId"} if parsed else {})
    return keys, meta


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
    if layout.import_id_row is not None:
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
    duplicates = duplicate_keys(keys)
    if duplicates:
        warnings.append("duplicate_column: " + describe_duplicates(duplicates, layout))
    labels = list(head[layout.label_row]) if layout.label_row is not None else list(names)
    key_row = header_row_numbers[layout.import_id_row or 0]
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
    hint = (
        "ImportIds must be unique: was a column copied or edited after export?"
        if layout.import_id_row is not None
        else "rename one of them in the export (Google Forms repeats a header when two "
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
