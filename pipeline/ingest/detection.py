"""`Detection` (what an export is) and `Inspection` (what detecting it learnt, for reading).

Kept apart from `detect.py` so the readers of every file type (text, workbook, Parquet, JSON)
can build them without importing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.ingest.encoding import Decoded
from pipeline.ingest.errors import IngestError
from pipeline.ingest.layout import HeaderColumns, Layout
from pipeline.ingest.options import ReadOptions
from pipeline.ingest.scan import Scan

if TYPE_CHECKING:
    from pipeline.ingest.grid import Grid

FILE_TYPES = ("csv", "xlsx", "xlsb", "xls", "ods", "parquet", "json")


@dataclass(frozen=True)
class Detection:
    """What `detect` found out about one export file.

    `rows` counts response records after the header rows (a quoted cell with line breaks is
    still one record; blank lines and empty sheet rows are not records). `problem_rows` of
    them have the wrong number of fields and will be reported by `read_export` instead of
    loaded. `file_type` is the container: `csv` (any delimited text), `xlsx`, `xlsb`, `xls`,
    `ods`, `parquet` or `json`; workbooks and Parquet have no `encoding` or `delimiter` ("").
    `encoding_confidence` is 1.0 unless the codec was guessed (then charset-normalizer's
    confidence), None where there is no text encoding. `sheet` is the worksheet read,
    `variant` REDCap's "raw" or "labels" (SurveyMonkey API: "responses" or "details"), and
    `overridden` names the settings the configuration imposed instead of detection.
    """

    path: Path
    sha256: str
    size_bytes: int
    format: str
    encoding: str
    delimiter: str
    header_rows: int
    rows: int
    columns: int
    encoding_source: str = "utf-8"  # bom | utf-8 | utf-16-pattern | detected | override | none
    line_endings: str = "lf"  # lf | crlf | cr | mixed | none
    blank_lines: int = 0
    multiline_records: int = 0
    problem_rows: int = 0
    first_data_row: int | None = None  # spreadsheet row number of the first response
    warnings: tuple[str, ...] = ()
    file_type: str = "csv"
    encoding_confidence: float | None = 1.0
    sheet: str | None = None
    variant: str | None = None
    overridden: tuple[str, ...] = ()

    @property
    def encoding_guessed(self) -> bool:
        """True when the text encoding was guessed (not declared, marked or valid UTF-8)."""
        return self.encoding_source == "detected"

    def as_dict(self) -> dict:
        """A JSON-safe dict, for `ripple detect --json`."""
        out = asdict(self)
        out["path"] = str(self.path)
        out["warnings"] = list(self.warnings)
        out["overridden"] = list(self.overridden)
        out["encoding_guessed"] = self.encoding_guessed
        return out


@dataclass(frozen=True)
class Inspection:
    """Everything `detect` learnt, kept for `read_export`.

    Delimited text keeps its bytes, decoded text and record scan (`decoded`, `table`, `scan`);
    a workbook or Parquet file keeps its cells as a `grid`; SurveyMonkey API JSON is read
    whole by its own reader, whose result is `raw`.
    """

    detection: Detection
    data: bytes
    decoded: Decoded | None
    table: str | None  # the decoded text from the table's first line (after any `sep=` line)
    scan: Scan | None
    layout: Layout | None
    header: HeaderColumns | None
    grid: Grid | None = None
    raw: Any = None  # a RawExport read by a format's own reader (SurveyMonkey API)


def check_limits(path: Path, rows: int, columns: int, options: ReadOptions) -> None:
    """`too_many_columns` / `too_many_rows` when a table exceeds the configured limits."""
    if options.max_columns is not None and columns > options.max_columns:
        raise IngestError(
            path,
            "too_many_columns",
            f"the file has {columns:,} columns, above the limit of {options.max_columns:,}; "
            "raise `limits.max_columns` in ripple.yml if the file is right",
            row=1,
        )
    if options.max_rows is not None and rows > options.max_rows:
        raise IngestError(
            path,
            "too_many_rows",
            f"the file has {rows:,} responses, above the limit of {options.max_rows:,}; "
            "raise `limits.max_rows` in ripple.yml if the file is right",
        )


def ignored_options(options: ReadOptions, applicable: tuple[str, ...], file_type: str) -> list:
    """Warnings for configured settings that do not apply to this kind of file."""
    return [
        f"{name}_ignored: `{name}` does not apply to a {file_type} file and was ignored"
        for name in options.given()
        if name not in applicable
    ]
