"""`read_export`: an export's responses as a table of strings, with nothing silently lost.

Every response record becomes one row of `frame`, indexed by its spreadsheet row number
(`source_row_number`: 1-based, header rows included, one per record, so the first Qualtrics
response is row 4). A record with the wrong number of fields is not guessed at: it becomes a
`RowProblem`. So `len(frame) + len(problems) == detection.rows`, always.

Cells stay exactly as written: strings, `''` for empty, no type inference, no NA parsing (an
answer of "NA" or "None" is text). Delimited text is parsed by pandas' C parser (about 0.2 s
for 100,000 rows x 60 columns), and that result is used only when it agrees with the exact
record scan (shape, header rows, last row); otherwise Python's `csv` module, the reference
parser, reads the rows again. Workbooks and Parquet arrive as text cells already (`grid.py`);
SurveyMonkey API JSON is read by its own module.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.ingest.detect import Detection, Inspection, ReadOptions, inspect
from pipeline.ingest.errors import IngestError, short_name
from pipeline.ingest.layout import duplicate_error
from pipeline.ingest.options import resolve_options
from pipeline.ingest.pieces import streams
from pipeline.ingest.scan import iter_records

__all__ = [
    "INDEX_NAME",
    "RawExport",
    "ReadOptions",
    "RowProblem",
    "build_frame",
    "read_export",
    "split_records",
]

INDEX_NAME = "source_row_number"


@dataclass(frozen=True)
class RowProblem:
    """A record that could not be read as a row. `detail` never quotes cell values."""

    source_row_number: int
    reason: str  # e.g. "field_count_mismatch"
    detail: str
    expected_fields: int | None = None
    found_fields: int | None = None
    column: int | None = None  # 1-based, when the problem has a place in the record


@dataclass(frozen=True)
class RawExport:
    """One export read into strings.

    `keys` are the stable column keys (Qualtrics ImportIds such as `QID5_1`, `_recordId` or an
    embedded-data name; the header text as written for every other format, with `_blank_<n>`
    for a blank header cell). `names` is header row 1 as written, `labels` the question text
    (Qualtrics row 2, otherwise the header), `column_meta` the extra ImportId members per column
    (e.g. `{"timeZone": "Pacific/Auckland"}`).
    """

    detection: Detection
    keys: list[str]
    names: list[str]
    frame: pd.DataFrame
    problems: list[RowProblem]
    labels: list[str] = field(default_factory=list)
    column_meta: list[dict[str, str]] = field(default_factory=list)
    warnings: tuple[str, ...] = ()


def field_count_problem(
    row: int, found: int, expected: int, span: tuple[int, int] | None
) -> RowProblem:
    """The problem record for a row with too few or too many fields."""
    detail = f"the record has {found} field(s) where the header has {expected}"
    if span is not None:
        detail += (
            f"; it spans physical lines {span[0]}-{span[1]} (a quoted cell with line breaks, "
            "or an unbalanced quote that joined lines)"
        )
    return RowProblem(row, "field_count_mismatch", detail, expected, found)


def unbalanced_quote_problem(row: int, column: int | None, names: list[str]) -> RowProblem:
    """The problem record for a response cut short at a quote that is never closed."""
    if column is not None and column <= len(names):
        place = f"in column {column} ('{short_name(names[column - 1])}')"
    else:
        place = "in this row"
    detail = (
        f"a quote opened {place} is never closed, so this record ran on into the lines after "
        "it; it is not read, and reading went on from the next line that starts like a record"
    )
    return RowProblem(row, "unbalanced_quote", detail, column=column)


def split_records(ins: Inspection) -> tuple[list[int], list[RowProblem]]:
    """Row numbers of the well-formed responses, and a problem for every other response.

    Workbook and Parquet records are all well formed (every row has the sheet's width)."""
    if ins.grid is not None:
        return ins.grid.row_numbers.tolist(), []
    scan, header_rows = ins.scan, ins.detection.header_rows
    width = ins.detection.columns
    names = ins.header.names if ins.header is not None else []
    good: list[int] = []
    problems: list[RowProblem] = []
    for row, count in zip(
        scan.row_numbers[header_rows:], scan.field_counts[header_rows:], strict=True
    ):
        if row in scan.broken:
            problems.append(unbalanced_quote_problem(row, scan.broken[row], names))
        elif count == width:
            good.append(row)
        else:
            problems.append(field_count_problem(row, count, width, scan.spans.get(row)))
    return good, problems


def pandas_source(ins: Inspection) -> tuple[io.BytesIO, str]:
    """Bytes for pandas to parse: the file itself when it is UTF-8, else re-encoded text."""
    enc = ins.detection.encoding
    if enc in ("utf-8", "utf-8-sig") and len(ins.table) == len(ins.decoded.text):
        return io.BytesIO(ins.data), enc
    return io.BytesIO(ins.table.encode("utf-8")), "utf-8"


def fast_values(ins: Inspection, good: list[int]) -> np.ndarray | None:
    """The good responses' cells via pandas' C parser, or None unless they match the scan.

    pandas skips records with too many fields (`on_bad_lines="skip"`) and pads records with
    too few; both kinds are known from the exact scan, so the padded ones are dropped by
    position. The result is accepted only if its shape, header rows and last row agree with
    the scan.
    """
    scan, width = ins.scan, ins.detection.columns
    if scan.broken or "\x00" in ins.table:  # records re-read after a cut; NUL in a C parser
        return None
    long_rows = sum(1 for count in scan.field_counts if count > width)
    source, encoding = pandas_source(ins)
    try:
        table = pd.read_csv(
            source,
            sep=ins.detection.delimiter,
            header=None,
            dtype=object,
            na_filter=False,
            keep_default_na=False,
            skip_blank_lines=True,
            quotechar='"',
            doublequote=True,
            engine="c",
            encoding=encoding,
            on_bad_lines="skip" if long_rows else "error",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, UnicodeError):
        return None
    if table.shape != (len(scan.row_numbers) - long_rows, width):
        return None
    header_rows = ins.detection.header_rows
    if table.iloc[:header_rows].to_numpy().tolist() != scan.head[:header_rows]:
        return None
    kept = [count == width for count in scan.field_counts if count <= width][header_rows:]
    values = table.iloc[header_rows:].to_numpy(dtype=object)
    if not all(kept):
        values = values[np.fromiter(kept, dtype=bool, count=len(kept))]
    if len(values) != len(good):
        return None
    if scan.field_counts[-1] == width and values[-1].tolist() != scan.last:
        return None
    return values


def exact_values(ins: Inspection, good: list[int]) -> np.ndarray:
    """The good responses' cells read with Python's `csv` module (the reference parser)."""
    wanted = set(good)
    records = iter_records(ins.table, ins.detection.delimiter, ins.scan)
    rows = [record for row, record in records if row in wanted]
    return np.array(rows, dtype=object).reshape(len(good), ins.detection.columns)


def shared_strings(values: np.ndarray) -> np.ndarray:
    """The same cells, with one string object per distinct value of each column.

    A parser makes a new string object for every cell (about 50 bytes even for "3"); survey
    answers repeat a handful of values down a column, so sharing them leaves about 8 bytes a
    cell (the pointer). Column by column (`pd.factorize`), never row by row."""
    shared = np.empty(values.shape, dtype=object)
    for column in range(values.shape[1]):
        codes, uniques = pd.factorize(values[:, column])
        shared[:, column] = uniques.take(codes)
    return shared


def build_frame(ins: Inspection, keys: list[str], good: list[int]) -> pd.DataFrame:
    """The responses as an all-string DataFrame: columns = keys, index = source row numbers."""
    index = pd.Index(good, dtype="int64", name=INDEX_NAME)
    columns = pd.Index(keys, dtype=object)
    if not good:
        values = np.empty((0, len(keys)), dtype=object)
    elif ins.grid is not None:
        values = ins.grid.values
    else:
        values = fast_values(ins, good)
        if values is None:
            values = exact_values(ins, good)
        values = shared_strings(values)
    return pd.DataFrame(values, index=index, columns=columns, dtype=object, copy=False)


def read_export(
    path: Path | str, options: ReadOptions | None = None, **overrides: Any
) -> RawExport:
    """Read one export's responses (see the module docstring).

    `options` says what the project config imposes (format, encoding, delimiter, header rows,
    sheet, limits, SurveyMonkey details); keyword overrides such as `encoding=` or
    `max_bytes=` (the original keyword form) apply on top. Bad input raises `IngestError` (a
    `DataError`) whose message names the file, a reason code and the row or column.
    """
    options = resolve_options(options, overrides)
    if streams(Path(path), options):  # large delimited text: piece by piece
        from pipeline.ingest.stream import read_streamed  # it builds on this module

        return read_streamed(Path(path), options)
    return read_inspected(inspect(path, options))


def read_inspected(ins: Inspection) -> RawExport:
    """An inspected export's responses (the whole-file read behind `read_export`)."""
    path = ins.detection.path
    if ins.raw is not None:  # read whole by its format's own reader
        return replace(ins.raw, detection=ins.detection, warnings=ins.detection.warnings)
    header = ins.header
    if header is None:
        raise IngestError(
            ins.detection.path,
            "no_responses",
            "this file holds no responses (a SurveyMonkey survey details document); name it "
            "as `details:` of the survey, and the responses/bulk file as the source",
        )
    if header.duplicates:
        raise duplicate_error(header, ins.layout, ins.detection.path)
    good, problems = split_records(ins)
    frame = build_frame(ins, header.keys, good)
    if len(frame) + len(problems) != ins.detection.rows:  # pragma: no cover - a bug, not input
        raise RuntimeError(f"{path}: rows read do not add up to the rows detected")
    return RawExport(
        detection=ins.detection,
        keys=header.keys,
        names=header.names,
        frame=frame,
        problems=problems,
        labels=header.labels,
        column_meta=header.meta,
        warnings=ins.detection.warnings,
    )
