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

import bisect
import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field, replace

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


def decode_for_count(data: bytes, utf16: bool) -> tuple[str, int, int]:
    """(text, the byte where it starts, bytes per character): text whose quotes, delimiters
    and line breaks sit where the bytes put them."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return data[2:].decode("utf-16-le", errors="replace"), 2, 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return data[2:].decode("utf-16-be", errors="replace"), 2, 2
    if utf16:  # no BOM (or bytes before it): ASCII puts its zero bytes on the high side
        sample = data[:4096]
        big_endian = sample[0::2].count(0) > sample[1::2].count(0)
        return data.decode("utf-16-be" if big_endian else "utf-16-le", errors="replace"), 0, 2
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("latin-1"), 3, 1
    # every single-byte and ASCII-compatible codec Ripple reads keeps these bytes as they are
    return data.decode("latin-1"), 0, 1


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


def record_offsets(text: str) -> list[int]:
    """Where each record of a well-formed CSV text starts (character offsets): at 0 and after
    every line break outside quotes."""
    out, quoted, i = [0], False, 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            quoted = not quoted  # '""' inside a quoted cell toggles twice
        elif ch in "\r\n" and not quoted:
            i += 2 if text.startswith("\r\n", i) else 1
            out.append(i)
            continue
        i += 1
    return [o for o in out if o < len(text)]


def byte_offsets(text: str, offsets: list[int], codec: str) -> list[int]:
    """The byte offsets of character offsets of `text` written in `codec` (with its BOM)."""
    bom = {"utf-8-sig": 3, "utf-16": 2}.get(codec, 0)
    chunk_codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le"}.get(codec, codec)
    out, position, previous = [], bom, 0
    for offset in offsets:
        position += len(text[previous:offset].encode(chunk_codec))
        out.append(position)
        previous = offset
    return out


def count_text(data: bytes, delimiter: str, starts: set[int], utf16: bool = False) -> Count:
    """Count the records of delimited text by the rules in the module docstring; `starts` are
    the byte offsets where the records as written begin."""
    text, first_byte, width = decode_for_count(data, utf16)
    skipped = 0
    if text.startswith("\ufeff"):
        skipped = 1
    directive = SEP_LINE.match(text, skipped)
    if directive:
        skipped = directive.end()
    text = text[skipped:]
    record_lines = {(o - first_byte) // width - skipped for o in starts if o >= first_byte}
    count = Count()
    if not text.strip():
        count.failure = "empty_file"
        return count
    lines = physical_lines(text)
    layout = Layout(text, delimiter, sorted(o for o, _ in lines), record_lines)
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
                if record and not count.records:
                    layout = replace(layout, width=len(record))
                if record and count.records:
                    cut = layout.cut_point(offset, end)
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
            cut = layout.cut_point(offset, len(text))
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


@dataclass(frozen=True)
class Layout:
    """What the cut rule needs to know of a text."""

    text: str
    delimiter: str
    line_starts: list[int]
    records: set[int]  # character offsets where the records as written begin
    width: int = 0  # fields of the first record (the header)

    def cut_point(self, start: int, end: int) -> int | None:
        """The first line starting inside text[start:end] (after its first line) where a
        record as written begins and which, read on its own, still has the header's number
        of fields; or None."""
        first = bisect.bisect_right(self.line_starts, start)
        for offset in self.line_starts[first:]:
            if offset >= end:
                return None
            if offset in self.records and self.fields_at(offset):
                return offset
        return None

    def fields_at(self, offset: int) -> bool:
        """Whether the record starting at `offset`, read on its own (at most 64 lines),
        ends and has the header's number of fields."""
        chunk = io.StringIO(self.text[offset : offset + 1_000_000], newline="")
        lines = chunk.readlines()[:64]
        reader = csv.reader(iter(lines), delimiter=self.delimiter)
        try:
            record = next(reader, None)
        except csv.Error:
            return False
        if record is None or open_at_end("".join(lines[: reader.line_num]), self.delimiter):
            return False
        return len(record) == self.width


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
