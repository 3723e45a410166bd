"""Workbooks (XLSX, XLSM, XLSB, XLS, ODS): one sheet read with python-calamine into strings.

calamine (Rust) reads the cached cell values, never formulas, and converts date cells itself,
honouring the workbook's 1900 or 1904 date system, so a date is the same day whichever system
the workbook uses. Cells become the text a CSV export of the same answers would hold:

* text as is; an empty cell (or an error value such as `#N/A`) is "";
* whole numbers without a decimal point ("4", never "4.0"), other numbers in their shortest
  round-trip form ("4.5", "0.1");
* booleans "TRUE" / "FALSE";
* dates "2025-01-14", date-times "2025-01-14T10:32:05" (milliseconds only when present),
  times "10:30:00", durations "2:05:00" (hours may exceed 24).

The conversion works on whole arrays of cells at a time (numpy), not cell by cell in Python.
calamine reads a date-formatted serial below 1 as a time of day, so the first day of the 1904
system (1904-01-01) comes out as a time; no survey answer falls on it.
The sheet's first rows go through the same layout recognition as a CSV (`grid.py`), and row
numbers are the sheet's own (1-based, header rows included).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
from python_calamine import (
    CalamineError,
    CalamineSheet,
    CalamineWorkbook,
    PasswordError,
    SheetTypeEnum,
    SheetVisibleEnum,
)

from pipeline.ingest.errors import IngestError, short_name

# A workbook's XML unpacks to several times its size; more than this many times the byte
# limit is a damaged file or a "zip bomb", refused before calamine unpacks it.
WORKBOOK_EXPANSION = 8
INTEGER_TEXT_LIMIT = 1e16  # whole floats below it print as integers; from it, repr is "1e+16"
TYPE_OF = np.frompyfunc(type, 1, 1)
# Answer codes, counts, ages and years are small whole numbers: their text is looked up, which
# is many times faster than numpy's int-to-str conversion.
SMALL_LOW, SMALL_HIGH = -1000, 10_000
SMALL_INT_TEXT = np.array([str(i) for i in range(SMALL_LOW, SMALL_HIGH)], dtype=object)


def check_unpacked_size(data: bytes, max_bytes: int | None, path: Path) -> None:
    """Refuse a ZIP-based workbook whose parts unpack to more than the allowed size."""
    if max_bytes is None or not data.startswith(b"PK"):
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    limit = max_bytes * WORKBOOK_EXPANSION
    if total > limit:
        raise IngestError(
            path,
            "file_too_large",
            f"the workbook unpacks to {total:,} bytes, above the limit of {limit:,} "
            f"({WORKBOOK_EXPANSION} times the file size limit); a damaged file or a zip bomb?",
        )


def open_workbook(data: bytes, path: Path) -> CalamineWorkbook:
    """The workbook, or `password_protected` / `corrupt_file` saying why it cannot be read."""
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise IngestError(
            path,
            "password_protected",
            "the workbook is password-protected; open it in Excel, remove the password and "
            "save it again",
        ) from None
    except (CalamineError, ValueError, OSError) as exc:
        raise IngestError(
            path,
            "corrupt_file",
            f"the workbook cannot be read ({type(exc).__name__}); it is damaged or not a "
            "workbook: download or save it again",
        ) from None


def choose_sheet(book: CalamineWorkbook, wanted: str | None, path: Path) -> tuple[str, list[str]]:
    """The sheet to read (the configured one, else the first visible worksheet), and warnings."""
    names = list(book.sheet_names)
    shown = ", ".join(f"'{short_name(n)}'" for n in names)
    if wanted is not None:
        if wanted not in names:
            raise IngestError(
                path,
                "unknown_sheet",
                f"the workbook has no sheet named '{short_name(wanted)}'; its sheets are {shown}",
            )
        return wanted, []
    worksheets = [m for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    visible = [m.name for m in worksheets if m.visible == SheetVisibleEnum.Visible]
    candidates = visible or [m.name for m in worksheets]
    if not candidates:
        raise IngestError(path, "empty_file", "the workbook has no worksheet")
    warnings = []
    if len(names) > 1:
        warnings.append(
            f"workbook_sheets: the workbook has {len(names)} sheets ({shown}); the first "
            f"worksheet, '{short_name(candidates[0])}', was read; name another with `sheet:` "
            "on the source"
        )
    return candidates[0], warnings


def sheet_cells(
    book: CalamineWorkbook, name: str, path: Path, max_rows: int | None, max_columns: int | None
) -> np.ndarray:
    """The sheet from cell A1 to its last used cell as an object array of calamine values."""
    try:
        sheet: CalamineSheet = book.get_sheet_by_name(name)
        end = sheet.end
        if end is not None:
            check_size(end[0] + 1, end[1] + 1, path, max_rows, max_columns)
        rows = sheet.to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise IngestError(
            path,
            "corrupt_file",
            f"sheet '{short_name(name)}' cannot be read ({type(exc).__name__})",
        ) from None
    width = max((len(row) for row in rows), default=0)
    cells = np.full((len(rows), width), "", dtype=object)
    try:
        cells[:] = rows  # calamine pads every row to the sheet's width: one C-level copy
    except ValueError:  # ragged rows after all: copy row by row
        for index, row in enumerate(rows):
            cells[index, : len(row)] = row
    return cells


def check_size(
    rows: int, columns: int, path: Path, max_rows: int | None, max_columns: int | None
) -> None:
    """Fail early on a sheet far beyond the limits (the exact check follows the header)."""
    if max_columns is not None and columns > max_columns:
        raise IngestError(
            path,
            "too_many_columns",
            f"the sheet has {columns:,} columns, above the limit of {max_columns:,}",
        )
    if max_rows is not None and rows > 2 * max_rows + 100:  # blank and header rows aside
        raise IngestError(
            path, "too_many_rows", f"the sheet has {rows:,} rows, above the limit of {max_rows:,}"
        )


def float_text(values: np.ndarray) -> np.ndarray:
    """Floats as text: whole numbers as integers ("4"), others in shortest round-trip form."""
    numbers = values.astype(np.float64)
    whole = np.isfinite(numbers) & (np.abs(numbers) < INTEGER_TEXT_LIMIT)
    whole[whole] = np.floor(numbers[whole]) == numbers[whole]
    out = np.empty(len(values), dtype=object)
    out[whole] = int_text(numbers[whole].astype(np.int64))
    out[~whole] = np.frompyfunc(float.__repr__, 1, 1)(values[~whole].astype(object))
    return out


def int_text(numbers: np.ndarray) -> np.ndarray:
    """Integers as text (an object array), small ones from the lookup table."""
    small = (numbers >= SMALL_LOW) & (numbers < SMALL_HIGH)
    out = np.empty(len(numbers), dtype=object)
    out[small] = SMALL_INT_TEXT[numbers[small] - SMALL_LOW]
    out[~small] = numbers[~small].astype(str)
    return out


def datetime_text(value: dt.datetime) -> str:
    """ISO 8601 without a time zone, with milliseconds only when the cell has them."""
    return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")


def duration_text(value: dt.timedelta) -> str:
    """A duration as hours:minutes:seconds, hours not wrapped at 24 ("26:05:00")."""
    seconds = round(value.total_seconds())
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


CONVERTERS = {
    bool: lambda v: np.where(v.astype(bool), "TRUE", "FALSE").astype(object),
    int: lambda v: v.astype(str).astype(object),  # only ODS; Python ints may exceed int64
    float: float_text,
    dt.datetime: np.frompyfunc(datetime_text, 1, 1),
    dt.date: np.frompyfunc(dt.date.isoformat, 1, 1),
    dt.time: np.frompyfunc(dt.time.isoformat, 1, 1),
    dt.timedelta: np.frompyfunc(duration_text, 1, 1),
}


def cells_to_text(cells: np.ndarray) -> np.ndarray:
    """calamine cell values as strings (see the module docstring), same shape, one pass per
    cell type."""
    flat = cells.ravel()
    kinds = TYPE_OF(flat)
    other = np.not_equal(kinds, str)  # elementwise over the array of cell types
    if not other.any():
        return cells
    out = flat.copy()
    for kind, convert in CONVERTERS.items():
        mask = np.equal(kinds, kind)
        if mask.any():
            out[mask] = convert(flat[mask])
            other &= ~mask
    if other.any():  # None, or a type a newer calamine adds: its plain text
        out[other] = np.frompyfunc(lambda v: "" if v is None else str(v), 1, 1)(flat[other])
    return out.reshape(cells.shape)


def read_sheet(
    data: bytes,
    path: Path,
    *,
    sheet: str | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
    max_columns: int | None = None,
) -> tuple[np.ndarray, str, list[str]]:
    """(cells as strings from A1, sheet name, warnings) for one sheet of a workbook."""
    check_unpacked_size(data, max_bytes, path)
    book = open_workbook(data, path)
    name, warnings = choose_sheet(book, sheet, path)
    cells = cells_to_text(sheet_cells(book, name, path, max_rows, max_columns))
    return cells, name, warnings
