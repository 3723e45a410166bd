"""An export as a table of cells with the survey mapping that reads it, and its bytes as CSV/TSV
text, an XLSX workbook (openpyxl) or a Parquet file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .respondents import FIXED_TIME


@dataclass(frozen=True)
class Export:
    """A good export: its cells, how many header rows, how it is written, and its mapping.

    `table` rows hold str (or, for workbooks, int / float / datetime) cells. `survey` is the
    survey mapping (a `surveys:` entry), `source` the extra keys of its `sources:` entry
    (wave, cohort, overrides). `container` is csv, xlsx or parquet.
    """

    name: str
    format: str
    table: list[list]
    header_rows: int
    survey: dict
    source: dict = field(default_factory=dict)
    container: str = "csv"
    delimiter: str = ","
    encoding: str = "utf-8"
    line_end: str = "\r\n"

    @property
    def responses(self) -> int:
        return len(self.table) - self.header_rows

    @property
    def first_row(self) -> int:
        """The spreadsheet row of the first response."""
        return self.header_rows + 1

    def with_rows(self, rows: list[list]) -> Export:
        """The same export with other response rows."""
        return replace(self, table=self.table[: self.header_rows] + [list(r) for r in rows])

    def column(self, key: str) -> int:
        """0-based position of the column a survey key names (name row or ImportId row)."""
        for row in self.table[: self.header_rows]:
            for position, cell in enumerate(row):
                if cell == key or (isinstance(cell, str) and f'"ImportId":"{key}"' in cell):
                    return position
        if self.format == "surveymonkey" and " | " in key:
            question, sub = key.split(" | ", 1)
            names, subs = self.table[0], self.table[1]
            current = None
            for position, (name, below) in enumerate(zip(names, subs, strict=True)):
                current = name or current
                if current == question and below == sub:
                    return position
        raise KeyError(key)

    def to_bytes(self) -> bytes:
        return to_bytes(self)


def text_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def csv_text(table: list[list], delimiter: str = ",", line_end: str = "\r\n") -> str:
    """Rows as CSV, quoted as Excel and the platforms quote: a cell holding the delimiter, a
    quote or any line break (Python's writer only watches its own line terminator)."""

    def cell(value) -> str:
        text = text_cell(value)
        if any(ch in text for ch in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(cell(v) for v in row) + line_end for row in table)


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook written by openpyxl, re-zipped with fixed times so the bytes never vary."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if cell == "" else cell for cell in row])
    book.properties.created = book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return rezip(buffer.getvalue())


def rezip(data: bytes, replace_parts: dict[str, bytes] | None = None) -> bytes:
    """The ZIP `data` with fixed timestamps (and some parts replaced)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.update(replace_parts or {})
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = re.sub(
            rb"(<dcterms:modified[^>]*>)[^<]*",
            rb"\g<1>2025-09-01T12:00:00Z",
            parts["docProps/core.xml"],
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 9, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return out.getvalue()


def parquet_bytes(table: list[list]) -> bytes:
    """One header row of names, the rest as text columns, written by DuckDB."""
    import duckdb
    import pandas as pd

    names, rows = table[0], table[1:]
    frame = pd.DataFrame([[text_cell(c) for c in row] for row in rows], columns=names, dtype=object)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "export.parquet"
        con = duckdb.connect()
        con.register("frame", frame)
        con.execute("COPY (SELECT * FROM frame) TO ? (FORMAT parquet)", [str(target)])
        con.close()
        return target.read_bytes()


def to_bytes(export: Export) -> bytes:
    if export.container == "xlsx":
        return xlsx_bytes({"Responses": export.table})
    if export.container == "parquet":
        return parquet_bytes(export.table)
    text = csv_text(export.table, export.delimiter, export.line_end)
    if export.encoding == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(export.encoding)
