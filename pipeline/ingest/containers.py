"""Inspecting the files that are not delimited text: workbooks, Parquet, SurveyMonkey API JSON.

Workbooks and Parquet become a `Grid` of strings and go through the same layout recognition
and header handling as CSV; their `Detection` has no encoding or delimiter. SurveyMonkey API
JSON is read by `pipeline.ingest.surveymonkey_api` (imported only when such a file comes).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pipeline.ingest.detection import Detection, Inspection, check_limits, ignored_options
from pipeline.ingest.errors import IngestError
from pipeline.ingest.grid import GridTable, single_header_table, split_sheet
from pipeline.ingest.options import ReadOptions
from pipeline.ingest.parquet import read_parquet_text
from pipeline.ingest.workbook import read_sheet

SM_API_MODULE = "pipeline.ingest.surveymonkey_api"


def not_json_format(options: ReadOptions, path: Path, what: str) -> None:
    """A file configured as SurveyMonkey API JSON that is something else fails clearly."""
    if options.format == "surveymonkey_api":
        raise IngestError(
            path,
            "unexpected_file_type",
            f"the configuration says this is SurveyMonkey API JSON, but it is {what}",
        )


def grid_inspection(
    path: Path,
    data: bytes,
    table: GridTable,
    options: ReadOptions,
    file_type: str,
    warnings: list[str],
    sheet: str | None = None,
) -> Inspection:
    """The Inspection of a workbook sheet or Parquet file, limits checked."""
    grid, layout, header = table.grid, table.layout, table.header
    rows, columns = grid.values.shape
    check_limits(path, rows, columns, options)
    applicable = ("format", "header_rows", "sheet") if sheet else ("format",)
    warnings = [
        *ignored_options(options, applicable, file_type),
        *warnings,
        *layout.warnings,
        *header.warnings,
    ]
    if rows == 0:
        warnings.append("header_only: the file has header rows but no responses")
    detection = Detection(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format=layout.format,
        encoding="",
        delimiter="",
        header_rows=layout.header_rows,
        rows=rows,
        columns=columns,
        encoding_source="none",
        line_endings="none",
        blank_lines=grid.blank_rows,
        first_data_row=int(grid.row_numbers[0]) if rows else None,
        warnings=tuple(warnings),
        file_type=file_type,
        encoding_confidence=None,
        sheet=sheet,
        variant=layout.variant,
        overridden=tuple(n for n in options.given() if n in applicable),
    )
    return Inspection(detection, data, None, None, None, layout, header, grid=grid)


def workbook_inspection(path: Path, data: bytes, kind: str, options: ReadOptions) -> Inspection:
    """Inspect one sheet of a workbook (`kind` xlsx, xlsb, xls or ods)."""
    not_json_format(options, path, "a workbook")
    cells, sheet, warnings = read_sheet(
        data,
        path,
        sheet=options.sheet,
        max_bytes=options.max_bytes,
        max_rows=options.max_rows,
        max_columns=options.max_columns,
    )
    table = split_sheet(cells, path, options.format, options.header_rows)
    return grid_inspection(path, data, table, options, kind, warnings, sheet=sheet)


def parquet_inspection(path: Path, data: bytes, options: ReadOptions) -> Inspection:
    """Inspect a Parquet file: one header row (the column names), every row a record."""
    not_json_format(options, path, "a Parquet file")
    names, values = read_parquet_text(
        path, max_rows=options.max_rows, max_columns=options.max_columns
    )
    table = single_header_table(names, values, options.format, options.header_rows)
    return grid_inspection(path, data, table, options, "parquet", [])


def json_inspection(path: Path, data: bytes, kind: str, options: ReadOptions) -> Inspection:
    """SurveyMonkey API JSON: a responses file is read whole by its own reader (so detection
    and reading agree); a survey details document is described but holds no responses."""
    warnings = ignored_options(options, ("format",), "JSON")
    if options.format not in (None, "surveymonkey_api"):
        warnings.append(
            f"format_override_ignored: the file is SurveyMonkey API JSON, which can only be "
            f"read as surveymonkey_api, not {options.format}"
        )
    if kind == "details":
        detection = Detection(
            path=path,
            sha256=hashlib.sha256(data).hexdigest(),
            size_bytes=len(data),
            format="surveymonkey_api",
            encoding="utf-8",
            delimiter="",
            header_rows=0,
            rows=0,
            columns=0,
            line_endings="none",
            warnings=(
                *warnings,
                "surveymonkey_details: this is a SurveyMonkey survey details document (the "
                "questions), not responses; name it as `details:` of the survey whose source "
                "is the responses/bulk file",
            ),
            file_type="json",
            variant="details",
        )
        return Inspection(detection, data, None, None, None, None, None)
    raw = read_surveymonkey_api(path, options)
    detection = raw.detection
    check_limits(path, detection.rows, detection.columns, options)
    extra = tuple(w for w in warnings if w not in detection.warnings)
    # the reader builds its own Detection; add what only detection knows
    detection = replace(
        detection,
        warnings=(*extra, *detection.warnings),
        variant="responses",
        overridden=("format",) if options.format == "surveymonkey_api" else (),
    )
    return Inspection(detection, data, None, None, None, None, None, raw=raw)


def read_surveymonkey_api(path: Path, options: ReadOptions):
    """Call the SurveyMonkey API reader, imported lazily (it is optional for other formats)."""
    try:
        from pipeline.ingest.surveymonkey_api import read_surveymonkey_api as reader
    except ModuleNotFoundError as exc:
        if exc.name != SM_API_MODULE:
            raise
        raise IngestError(
            path,
            "unexpected_file_type",
            "this is SurveyMonkey API JSON, which this installation cannot read; export the "
            "responses as CSV or XLSX from SurveyMonkey",
        ) from None
    if options.max_bytes is None:
        return reader(path, options.details)
    return reader(path, options.details, max_bytes=options.max_bytes)
