"""`detect`: what an export file is, before anything is read into a table.

One call reads the file's bytes once and hashes them, then recognises the file type from its
bytes (`filetype.py`): workbooks, Parquet and SurveyMonkey API JSON are inspected by
`containers.py`; delimited text is decoded (`encoding.py`), its delimiter found (`dialect.py`),
every record walked once (`scan.py`) and its layout recognised (`layout.py`). Settings given in
`ReadOptions` (from the project config) win over detection and are recorded. `ripple detect`
prints the result; `read_export` builds on the same inspection, so a file is decoded once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pipeline.ingest.containers import json_inspection, parquet_inspection, workbook_inspection
from pipeline.ingest.detection import Detection, Inspection, check_limits, ignored_options
from pipeline.ingest.dialect import (
    DELIMITERS,
    normalise_delimiter,
    sep_directive,
    sniff_delimiter,
)
from pipeline.ingest.encoding import Decoded, decode_bytes
from pipeline.ingest.errors import IngestError
from pipeline.ingest.filetype import container_type, sniff_text, surveymonkey_json_kind
from pipeline.ingest.layout import (
    Layout,
    apply_overrides,
    header_columns,
    layout_of,
    list_numbers,
)
from pipeline.ingest.options import (
    DEFAULT_MAX_BYTES,
    FORMATS,
    ReadOptions,
    resolve_options,
)
from pipeline.ingest.pieces import streams
from pipeline.ingest.scan import Scan, scan_records

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "Detection",
    "Inspection",
    "ReadOptions",
    "detect",
    "inspect",
    "read_bytes",
]


def read_bytes(path: Path, max_bytes: int | None) -> bytes:
    """The file's bytes, or an IngestError saying why they cannot be read."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise IngestError(
                path,
                "file_too_large",
                f"the file is {size:,} bytes, above the limit of {max_bytes:,}",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "file_not_found", "no such file") from None
    except IsADirectoryError:
        raise IngestError(path, "not_a_file", "this is a folder, not an export file") from None
    except PermissionError:
        raise IngestError(path, "unreadable_file", "permission denied") from None
    except OSError as exc:
        raise IngestError(path, "unreadable_file", exc.strerror or type(exc).__name__) from None


def table_text(decoded: Decoded, path: Path, delimiter: str | None) -> tuple[str, str, list[str]]:
    """(table text, delimiter, warnings): honours a `sep=` first line, else sniffs."""
    text = decoded.text
    delimiter = normalise_delimiter(delimiter)
    warnings: list[str] = []
    if text.startswith("\ufeff"):
        text = text[1:]
        warnings.append("extra_bom: a byte-order mark left at the start of the text was removed")
    if not text.strip():
        raise IngestError(path, "empty_file", "the file holds no records (only blank lines)")
    found = sniff_text(text)
    if found:
        description, hint = found
        raise IngestError(path, "unexpected_file_type", f"this looks like {description}; {hint}")
    named, start = sep_directive(text)
    if named is not None:
        if named not in DELIMITERS:
            raise IngestError(
                path,
                "unsupported_delimiter",
                "the 'sep=' first line names an unsupported "
                "delimiter; use comma, semicolon, tab or pipe",
                row=1,
            )
        text = text[start:]
        warnings.append(
            "sep_directive: the Excel 'sep=' first line was skipped (Excel hides it too); row "
            "numbers count from the line after it"
        )
        delimiter = delimiter or named
    if delimiter is not None and delimiter not in DELIMITERS:
        raise IngestError(
            path, "unsupported_delimiter", "use comma, semicolon, tab or pipe as the delimiter"
        )
    if not text.strip():
        raise IngestError(path, "empty_file", "the file holds no records after its 'sep=' line")
    return text, delimiter or sniff_delimiter(text, path), warnings


def check_header_widths(scan: Scan, layout: Layout, path: Path) -> None:
    """Every header row must have as many fields as row 1."""
    width = scan.field_counts[0]
    for index in range(1, min(layout.header_rows, len(scan.field_counts))):
        if scan.field_counts[index] != width:
            raise IngestError(
                path,
                "header_field_count",
                f"header row {index + 1} has {scan.field_counts[index]} fields but row 1 has "
                f"{width}; the header rows of this {layout.format} export were edited or cut",
                row=scan.row_numbers[index],
            )


def text_inspection(path: Path, data: bytes, options: ReadOptions) -> Inspection:
    """Decode, sniff and scan a delimited-text export."""
    decoded = decode_bytes(data, path, options.encoding)
    if options.format == "surveymonkey_api":
        raise IngestError(
            path,
            "unexpected_file_type",
            "the configuration says this is SurveyMonkey API JSON, but it is a text table",
        )
    table, delimiter, warnings = table_text(decoded, path, options.delimiter)
    scan = scan_records(table, delimiter, path)
    detected = layout_of(scan.head)
    layout = apply_overrides(detected, scan.head, options.format, options.header_rows)
    check_header_widths(scan, layout, path)
    header_rows = min(layout.header_rows, len(scan.row_numbers))
    data_counts = scan.field_counts[header_rows:]
    columns = scan.field_counts[0]
    rows = len(data_counts)
    check_limits(path, rows, columns, options)
    header = header_columns(layout, scan.head, scan.row_numbers)
    applicable = ("format", "encoding", "delimiter", "header_rows")
    warnings = [
        *ignored_options(options, applicable, "delimited-text"),
        *decoded.warnings,
        *warnings,
        *layout.warnings,
        *header.warnings,
    ]
    if rows == 0:
        warnings.append("header_only: the file has header rows but no responses")
    if scan.broken:
        warnings.append(
            f"unbalanced_quote: row(s) {list_numbers(sorted(scan.broken))} hold a quote "
            "that is never closed; each was cut where the next record starts, so no response "
            "is merged into another, and is not read (quarantined as unbalanced_quote)"
        )
    detection = Detection(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format=layout.format,
        encoding=decoded.encoding,
        delimiter=delimiter,
        header_rows=layout.header_rows,
        rows=rows,
        columns=columns,
        encoding_source=decoded.source,
        line_endings=scan.line_endings,
        blank_lines=scan.blank_lines,
        multiline_records=sum(1 for row in scan.spans if row > scan.row_numbers[header_rows - 1]),
        problem_rows=sum(
            1
            for row, count in zip(scan.row_numbers[header_rows:], data_counts, strict=True)
            if count != columns or row in scan.broken
        ),
        first_data_row=scan.row_numbers[header_rows] if rows else None,
        warnings=tuple(warnings),
        file_type="csv",
        encoding_confidence=decoded.confidence,
        variant=layout.variant,
        overridden=tuple(name for name in options.given() if name in applicable),
    )
    return Inspection(detection, data, decoded, table, scan, layout, header)


def inspect(path: Path | str, options: ReadOptions | None = None, **overrides: Any) -> Inspection:
    """Read, recognise and inspect one export (the work behind `detect` and `read_export`).

    `overrides` are ReadOptions fields given as keywords (`encoding=`, `delimiter=`,
    `max_bytes=`, ...), applied on top of `options`.
    """
    path = Path(path)
    options = resolve_options(options, overrides)
    data = read_bytes(path, options.max_bytes)
    if not data:
        raise IngestError(path, "empty_file", "the file is empty (0 bytes)")
    kind = container_type(data, path)
    if kind == "parquet":
        return parquet_inspection(path, data, options)
    if kind is not None:
        return workbook_inspection(path, data, kind, options)
    json_kind = surveymonkey_json_kind(data)
    if json_kind is not None:
        return json_inspection(path, data, json_kind, options)
    return text_inspection(path, data, options)


def detect(path: Path | str, options: ReadOptions | None = None, **overrides: Any) -> Detection:
    """Detect an export's file type, format, encoding, delimiter, header rows, rows, columns.

    `options` (or keyword overrides such as `encoding=`, `delimiter=`, `format=`) override
    detection, for a project config that names them. Bad input raises `IngestError` (a
    `DataError`) naming the file, a reason code and, where it has one, the row.
    """
    path = Path(path)
    options = resolve_options(options, overrides)
    if streams(path, options):  # large delimited text: one pass, one piece at a time
        from pipeline.ingest.stream import detect_streamed  # it builds on this module

        return detect_streamed(path, options)
    return inspect(path, options).detection
