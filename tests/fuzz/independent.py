"""An independent count of an export's records, to check Ripple's accounting against.

It shares no code with `pipeline`: delimited text is parsed with Python's `csv` module, XLSX
workbooks with openpyxl, Parquet files with pyarrow. The record rules are Ripple's documented
ones, implemented again here in the plainest way:

* a record is what the `csv` module reads (a quoted cell may span lines); blank lines are rows
  but not records; a leading byte-order mark and an Excel `sep=` first line are not records;
* a quote that is opened and not closed where it should be must not swallow the records after
  it: a record is cut at the first of its continuation lines that is the first line of one of
  the file's records as they were written (the fuzzer knows them, so no guessing is needed
  here), and counted as one (broken) record; reading goes on from that line;
* a quote still open at the end of the file fails it (`truncated_file`), and so does a field
  longer than the `csv` module's limit that cannot be cut (`field_too_large`);
* a workbook's records are its rows with at least one non-empty cell.

`count_text` also returns each record's cells by spreadsheet row number (every `csv` record,
blank ones too, is a row), so the reader's values can be compared cell by cell.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

SEP_LINE = re.compile(r"sep=.(?:\r\n|\n|\r)")


@dataclass
class Count:
    """Records (header rows included), each record's cells by row, and a failure the file
    must end in (`truncated_file`, `field_too_large`, `empty_file`) if the rules say so."""

    records: int = 0
    cells: dict[int, list[str]] = field(default_factory=dict)
    broken: set[int] = field(default_factory=set)
    failure: str | None = None
    countable: bool = True


def decode_for_count(data: bytes, utf16: bool) -> str:
    """Text whose quotes, delimiters and line breaks sit where the bytes put them."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if utf16:
        return data.decode("utf-16-le", errors="replace")
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    # every single-byte and ASCII-compatible codec Ripple reads keeps these bytes as they are
    return data.decode("latin-1")


def physical_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line without its break) for every line of `text`."""
    out, start, i = [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "\r\n":
            out.append((start, text[start:i]))
            i += 2 if text.startswith("\r\n", i) else 1
            start = i
        else:
            i += 1
    if start < len(text):
        out.append((start, text[start:]))
    return out


def open_at_end(raw: str, delimiter: str) -> bool:
    """Whether a quoted field is still open at the end of `raw` (the start of a record): a
    quote opens a field only at the field's start; '""' inside it is a quote."""
    quoted, at_start, i = False, True, 0
    while i < len(raw):
        ch = raw[i]
        if quoted:
            if ch == '"':
                if raw.startswith('""', i):
                    i += 2
                    continue
                quoted = False
        elif ch == '"' and at_start:
            quoted = True
        elif ch == delimiter:
            at_start = True
            i += 1
            continue
        elif ch in "\r\n":
            return False
        at_start = False
        i += 1
    return quoted


def first_lines(text: str, delimiter: str) -> set[str]:
    """The first physical line of every record of a well-formed text."""
    out, start, quoted, i = set(), 0, False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted  # '""' inside a quoted cell toggles twice
        elif ch in "\r\n" and not quoted:
            end = i
            i += 2 if text.startswith("\r\n", i) else 1
            line = text[start:end].splitlines()
            if line and line[0]:
                out.add(line[0])
            start = i
            continue
        i += 1
    line = text[start:].splitlines()
    if line and line[0]:
        out.add(line[0])
    return out


def count_text(data: bytes, delimiter: str, originals: set[str], utf16: bool = False) -> Count:
    """Count the records of delimited text by the rules in the module docstring."""
    text = decode_for_count(data, utf16)
    if text.startswith("\ufeff"):
        text = text[1:]
    directive = SEP_LINE.match(text)
    if directive:
        text = text[directive.end() :]
    count = Count()
    if not text.strip():
        count.failure = "empty_file"
        return count
    lines = physical_lines(text)
    starts = {offset: line for offset, line in lines}
    source = io.StringIO(text, newline="")
    offset, row = 0, 0
    last_raw = ""
    while True:
        source.seek(offset)
        reader = csv.reader(source, delimiter=delimiter)
        resumed = None
        try:
            for record in reader:
                row += 1
                end = source.tell()
                raw = text[offset:end]
                if record and count.records:
                    cut = cut_point(offset, end, starts, originals)
                    if cut is not None:
                        count.records += 1
                        count.broken.add(row)
                        resumed = cut
                        break
                if record:
                    count.records += 1
                    count.cells[row] = record
                    last_raw = raw
                offset = end
        except csv.Error:
            row += 1
            line_end = next((o for o, _ in lines if o > offset), len(text))
            first = text[offset:line_end]
            cut = cut_point(offset, len(text), starts, originals)
            if count.records and cut is not None and open_at_end(first, delimiter):
                count.records += 1
                count.broken.add(row)
                offset = cut
                continue
            count.failure = "field_too_large"
            return count
        if resumed is None:
            break
        offset = resumed
    if last_raw and count.records and open_at_end(last_raw, delimiter):
        count.failure = "truncated_file"
    return count


def cut_point(start: int, end: int, starts: dict[int, str], originals: set[str]) -> int | None:
    """The first line starting inside text[start:end] (after its first line) that is the
    first line of a record as written, or None."""
    for offset in sorted(o for o in starts if start < o < end):
        if starts[offset] in originals:
            return offset
    return None


# ---------------------------------------------------------------------------------------------
def cell_text(value) -> str:
    """An openpyxl cell value as a CSV export would write it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def count_xlsx(data: bytes) -> Count:
    """Rows with a value in the first worksheet, read with openpyxl (cached values)."""
    import openpyxl

    count = Count()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in row]
            if any(c != "" for c in cells):
                count.records += 1
                count.cells[number] = cells
        book.close()
    except Exception:  # openpyxl cannot read it: nothing to compare with
        count.countable = False
    return count


def count_parquet(data: bytes) -> Count:
    """The Parquet file's rows (from its metadata, read with pyarrow) plus its header row."""
    import pyarrow.parquet as pq

    count = Count()
    try:
        count.records = pq.ParquetFile(io.BytesIO(data)).metadata.num_rows + 1
    except Exception:
        count.countable = False
    return count
