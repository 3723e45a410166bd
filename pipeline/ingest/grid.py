"""Tables read cell by cell (workbooks, Parquet): header rows, layout and data rows.

A workbook sheet arrives as a rectangle of strings from cell A1. Rows whose cells are all empty
are not records (as blank lines in a CSV), but they keep their place, so every record keeps its
spreadsheet row number. The first non-blank rows go through the same layout recognition and
header handling as a CSV's first records (`layout.py`), so an XLSX of a Qualtrics export is
keyed by ImportIds and a SurveyMonkey workbook by question and sub-header. Columns that are
empty from top to bottom at the right edge are dropped: they are formatting, not data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.ingest.errors import IngestError
from pipeline.ingest.layout import HeaderColumns, Layout, apply_overrides, header_columns, layout_of
from pipeline.ingest.scan import HEAD_RECORDS


@dataclass(frozen=True)
class Grid:
    """The records of a cell-by-cell table: strings, one row per record, with row numbers."""

    values: np.ndarray  # (records, columns), dtype object, every cell a str
    row_numbers: np.ndarray  # int64, the spreadsheet row of each record
    blank_rows: int = 0  # empty rows among the table's rows (not records)


@dataclass(frozen=True)
class GridTable:
    """A grid with its layout and header, as the CSV path's scan gives them."""

    layout: Layout
    header: HeaderColumns
    grid: Grid
    header_row_numbers: list[int]


def trim_right(cells: np.ndarray) -> np.ndarray:
    """Drop the columns at the right edge that are empty in every row."""
    if not cells.size:
        return cells
    filled = (cells != "").any(axis=0)
    last = int(np.flatnonzero(filled)[-1]) + 1 if filled.any() else 0
    return cells[:, :last]


def split_sheet(
    cells: np.ndarray, path: Path, fmt: str | None, header_rows: int | None
) -> GridTable:
    """Layout, header and records of a sheet's cells (row 1 = `cells[0]`)."""
    cells = trim_right(cells)
    blank = (cells == "").all(axis=1) if cells.shape[1] else np.ones(len(cells), dtype=bool)
    filled = np.flatnonzero(~blank)
    if not filled.size:
        raise IngestError(path, "empty_file", "the sheet holds no cells with values")
    head = [cells[i].tolist() for i in filled[:HEAD_RECORDS]]
    layout = apply_overrides(layout_of(head), head, fmt, header_rows)
    count = min(layout.header_rows, len(filled))
    header_numbers = (filled[:count] + 1).tolist()
    header = header_columns(layout, head, header_numbers)
    records = filled[count:]
    grid = Grid(
        values=cells[records],
        row_numbers=(records + 1).astype(np.int64),
        blank_rows=int(blank[: filled[-1] + 1].sum()),
    )
    return GridTable(layout, header, grid, header_numbers)


def single_header_table(
    names: list[str], values: np.ndarray, fmt: str | None, header_rows: int | None
) -> GridTable:
    """A table with exactly one header row (Parquet column names) and every row a record.

    The layout is recognised from the names alone; a configured multi-row format or header
    row count cannot apply (there is only the one header row), so it is noted instead.
    """
    head = [list(names)]
    detected = apply_overrides(layout_of(head), head, fmt, None)
    warnings = list(detected.warnings)
    if detected.header_rows != 1 or (header_rows or 1) != 1:
        warnings.append(
            "header_rows_ignored: a Parquet file has exactly one header row (its column names)"
        )
    layout = Layout(detected.format, 1, variant=detected.variant, warnings=tuple(warnings))
    header = header_columns(layout, head, [1])
    rows = np.arange(2, len(values) + 2, dtype=np.int64)  # as if a header row came first
    return GridTable(layout, header, Grid(values, rows), [1])
