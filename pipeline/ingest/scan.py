"""One exact pass over the records of a delimited text: where each starts and how wide it is.

Python's `csv` module is the reference parser here: it counts records, not lines, so a quoted
cell with line breaks stays one record. The pass keeps only small facts (row numbers, field
counts, the first few records); building the table is the reader's job.

A quote opened in a cell and never closed makes the parser read on into the lines after it, so
the records there would silently become one. Whenever a quoted cell runs over a line break, the
lines inside it are checked: a line that starts like a record (read on its own it has the
header's number of fields, and its first fields have the shapes the other records' first
fields have, such as `R_...` ids or `2025-01-14 10:32` dates) means the quote was never meant
to span it. The record holding the quote is then cut where that line starts and reported as
broken (`Scan.broken`: the reader quarantines it as `unbalanced_quote`, naming its row and the
column the quote opened in), and reading goes on from that line (`Scan.restarts`). So every
response in the file is counted, and none is merged into another.

Two conditions still fail the whole file with the row they start on: a quote still open at the
end of the file with no record-like line after it (`truncated_file`: the file was cut short),
and a field too long for any real survey answer (`field_too_large`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from pipeline.ingest.errors import IngestError

HEAD_RECORDS = 11  # enough for the most header rows a config may give (10) and a response
ENDING_SAMPLE_RECORDS = 1000  # records whose line breaks decide `line_endings`
QUOTED_FIELD = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Record-start detection: how many physical lines are sampled for the shapes of the first
# fields, how many leading columns are compared, the most distinct shapes a column may have to
# be compared at all (a free-text column has many), and the most lines a candidate record may
# span when it is read on its own.
SHAPE_SAMPLE_LINES = 2000
SHAPE_COLUMNS = 3
MAX_SHAPES = 8
CANDIDATE_MAX_LINES = 64
MIN_SHAPE_RECORDS = 3
ALNUM_RUN = re.compile(r"[^\W_]+")
SPACE_RUN = re.compile(r"\s+")


@dataclass
class Scan:
    """Facts about every record of a text, in file order.

    Row numbers are spreadsheet rows: 1-based, one per record, blank lines included (a blank
    line is a row in Excel but not a record here). `broken` maps the row of each record cut
    short at an unclosed quote to the 1-based column the quote opened in; `restarts` holds,
    for each, (its row, the offset in the text where reading went on with the next record).
    """

    row_numbers: list[int] = field(default_factory=list)  # non-blank records only
    field_counts: list[int] = field(default_factory=list)
    head: list[list[str]] = field(default_factory=list)  # first HEAD_RECORDS non-blank records
    last: list[str] | None = None  # the last non-blank record
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # multi-line records
    blank_lines: int = 0
    physical_lines: int = 0
    line_endings: str = "none"
    broken: dict[int, int | None] = field(default_factory=dict)
    restarts: list[tuple[int, int]] = field(default_factory=list)


def open_quote_field(raw: str, delimiter: str) -> int | None:
    """The 0-based field whose quote is still open at the end of `raw` (the start of a record),
    or None when every quote in it is closed.

    Mirrors the lenient `csv` reader: a quote opens a quoted field only at a field's start;
    after the closing quote (or inside an unquoted field) quotes are ordinary characters.
    """
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\\r\\n]*")
    position, end, index = 0, len(raw), 0
    while position < end:
        if raw[position] == '"':
            quoted = QUOTED_FIELD.match(raw, position)
            if quoted is None:
                return index
            position = quoted.end()
        position = rest_of_field.match(raw, position).end()
        if position < end and raw[position] == delimiter:
            position += 1
            index += 1
            continue
        return None
    return None


def closes_cleanly(raw: str, delimiter: str) -> bool:
    """True when every quoted field of the record `raw` (with its line break) closes, each
    closing quote followed by the delimiter or a line break (a quote that never closes, one
    that closes in the middle of a cell, or one closed by the last character of the file is
    what a runaway quote leaves)."""
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\\r\\n]*")
    position, end = 0, len(raw)
    while position < end:
        if raw[position] == '"':
            quoted = QUOTED_FIELD.match(raw, position)
            if quoted is None:
                return False
            position = quoted.end()
            if position == end or raw[position] not in (delimiter, "\r", "\n"):
                return False
        position = rest_of_field.match(raw, position).end()
        if position < end and raw[position] == delimiter:
            position += 1
            continue
        return True
    return True


def ends_in_open_quote(raw: str, delimiter: str) -> bool:
    """True when the record starting at `raw[0]` has a quoted field still open at the end."""
    return open_quote_field(raw, delimiter) is not None


def terminator(text: str, end: int) -> str | None:
    """'crlf', 'lf' or 'cr' for the line break just before offset `end`, or None at no break."""
    if text.startswith("\r\n", end - 2):
        return "crlf"
    if text.startswith("\n", end - 1):
        return "lf"
    if text.startswith("\r", end - 1):
        return "cr"
    return None


def line_ending_style(kinds: set[str]) -> str:
    """'crlf', 'lf', 'cr', 'mixed' or 'none' from the record terminators seen."""
    if len(kinds) > 1:
        return "mixed"
    return next(iter(kinds)) if kinds else "none"


def shape(cell: str) -> str:
    """A cell's outline: runs of digits become '9', runs of letters and digits with a letter
    'w', runs of white space ' '; other characters stay. 'R_8KApZm' -> 'w_w',
    '2025-01-14 10:32' -> '9-9-9 9:9'."""
    outline = ALNUM_RUN.sub(lambda m: "9" if m.group().isdigit() else "w", cell.strip())
    return SPACE_RUN.sub(" ", outline)


def read_line(line: str, delimiter: str) -> list[str]:
    """The fields of one line read on its own ([] when a field is over the `csv` limit)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def line_starts(text: str, start: int, stop: int) -> Iterator[int]:
    """Offsets of the physical lines that start after `start` and before `stop`."""
    for found in LINE_BREAK.finditer(text, start, stop):
        if found.end() < stop:
            yield found.end()


class RecordStarts:
    """Tells whether a line starts like a record of this text (see the module docstring)."""

    def __init__(self, text: str, delimiter: str, width: int) -> None:
        self.text, self.delimiter, self.width = text, delimiter, width
        self.source = io.StringIO(text, newline="")
        records = self.sample_records()
        # Shapes from well-formed records only; when a quote runs on from the first responses
        # there are too few, and the lines read on their own stand in (`loose`).
        self.shapes = self.column_shapes(records) if len(records) >= MIN_SHAPE_RECORDS else None
        self.loose = self.shapes or self.column_shapes(records + self.sample_lines())

    def column_shapes(self, samples: list[list[str]]) -> list[set[str] | None]:
        """Per leading column, the shapes of its non-blank cells in `samples`, or None for a
        column with too many (free text) or none to compare."""
        seen: list[set[str]] = [set() for _ in range(min(SHAPE_COLUMNS, self.width))]
        for fields in samples:
            for column, shapes in enumerate(seen):
                if fields[column].strip():
                    shapes.add(shape(fields[column]))
        return [found if 0 < len(found) <= MAX_SHAPES else None for found in seen]

    def sample_records(self) -> list[list[str]]:
        """The first records after the header that are one line and as wide as the header:
        what a record of this file looks like (records inside a runaway quote are not among
        them, and neither are the lines of a quoted cell with line breaks)."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        found: list[list[str]] = []
        lines_before = 0
        try:
            for index, record in enumerate(islice(reader, SHAPE_SAMPLE_LINES)):
                single = reader.line_num - lines_before == 1
                lines_before = reader.line_num
                if index and single and len(record) == self.width:
                    found.append(record)
        except csv.Error:  # a runaway field: what came before it is the sample
            pass
        return found

    def sample_lines(self) -> list[list[str]]:
        """Physical lines after the first that, read on their own, are as wide as the header."""
        found: list[list[str]] = []
        lines = islice(io.StringIO(self.text, newline=""), 1, SHAPE_SAMPLE_LINES)
        for line in lines:
            fields = read_line(line, self.delimiter)
            if len(fields) == self.width and not ends_in_open_quote(line, self.delimiter):
                found.append(fields)
        return found

    def record_at(self, offset: int) -> list[str] | None:
        """The record starting at `offset`, read on its own (at most CANDIDATE_MAX_LINES
        lines), or None when it does not end within them."""
        self.source.seek(offset)
        lines = list(islice(self.source, CANDIDATE_MAX_LINES))
        if not lines:
            return None
        try:
            reader = csv.reader(iter(lines), delimiter=self.delimiter)
            record = next(reader, None)
        except csv.Error:
            return None
        if record is None or ends_in_open_quote("".join(lines[: reader.line_num]), self.delimiter):
            return None
        return record

    def starts_record(self, offset: int, loose: bool) -> bool:
        """True when the line at `offset` starts like a record of this text; `loose` allows
        shapes taken from lines rather than records."""
        profile = self.loose if loose else self.shapes
        if profile is None:
            return False
        record = self.record_at(offset)
        if record is None or len(record) != self.width:
            return False
        compared = matched = 0
        for cell, shapes in zip(record, profile, strict=False):
            if shapes is None or not cell.strip():
                continue  # a blank cell may be anywhere; free text has no shape
            compared += 1
            matched += shape(cell) in shapes
        if compared == 0:  # nothing to compare: the field count alone must be convincing
            return self.width > SHAPE_COLUMNS
        return matched == compared

    def first_record_line(self, start: int, stop: int) -> int | None:
        """Offset of the first line after the one at `start` and before `stop` that starts
        like a record, or None.

        A record whose quoted cells all close cleanly (the closing quote followed by a
        delimiter or a line break, as every CSV writer does) is only cut on the evidence of
        well-formed records; one holding a quote that never closes, or closes in the middle of
        a cell, also on the evidence of lines."""
        loose = not closes_cleanly(self.text[start:stop], self.delimiter)
        for offset in line_starts(self.text, start, stop):
            if self.starts_record(offset, loose):
                return offset
        return None


def scan_records(
    text: str, delimiter: str, path: Path, *, row_base: int = 0, line_base: int = 0
) -> Scan:
    """Walk every record of `text` once (see the module docstring).

    `row_base` and `line_base` are the rows and physical lines of the file before `text` when
    `text` is one chunk of a larger file (`pipeline.ingest.stream`); they only shift the row
    and line numbers that errors name."""
    scan = Scan()
    endings: set[str] = set()
    source = io.StringIO(text, newline="")
    starts: RecordStarts | None = None
    row = 0
    lines_before = 0  # physical lines consumed before the current record
    offset = 0  # where the current record starts in `text`
    last_offset = 0  # where the last non-blank record starts

    def record_starts() -> RecordStarts:
        nonlocal starts
        if starts is None:
            starts = RecordStarts(text, delimiter, scan.field_counts[0])
        return starts

    def cut(record: list[str], resume: int) -> None:
        """Record the current record as broken at an unclosed quote; go on at `resume`."""
        nonlocal lines_before, offset
        column = open_quote_field(text[offset:resume], delimiter)
        scan.broken[row] = None if column is None else column + 1
        scan.restarts.append((row, resume))
        consumed = lines_before + len(LINE_BREAK.findall(text, offset, resume))
        if consumed - lines_before > 1:
            scan.spans[row] = (lines_before + 1, consumed)
        scan.row_numbers.append(row)
        scan.field_counts.append(len(record))
        if len(scan.head) < HEAD_RECORDS:
            scan.head.append(record)
        scan.last = record
        lines_before, offset = consumed, resume

    resumed = True
    while resumed:
        resumed = False
        source.seek(offset)
        reader = csv.reader(source, delimiter=delimiter)
        base = lines_before  # physical lines before this reader started
        try:
            for record in reader:
                row += 1
                consumed = base + reader.line_num
                end = source.tell()
                if record and consumed - lines_before > 1 and scan.field_counts:
                    resume = record_starts().first_record_line(offset, end)
                    if resume is not None:
                        cut(record[: open_quote_field(text[offset:resume], delimiter)], resume)
                        resumed = True
                        break
                if record:
                    if consumed - lines_before > 1:
                        scan.spans[row] = (lines_before + 1, consumed)
                    last_offset = offset
                    scan.row_numbers.append(row)
                    scan.field_counts.append(len(record))
                    if len(scan.head) < HEAD_RECORDS:
                        scan.head.append(record)
                    scan.last = record
                else:
                    scan.blank_lines += 1
                lines_before = consumed
                offset = end
                if row <= ENDING_SAMPLE_RECORDS:
                    kind = terminator(text, offset)
                    if kind:
                        endings.add(kind)
        except csv.Error as exc:
            row += 1
            first_line = lines_before + 1
            if "field larger than field limit" not in str(exc):
                raise IngestError(
                    path,
                    "unparseable_csv",
                    f"line {first_line + line_base}: {exc}",
                    row=row + row_base,
                ) from None
            line_end = LINE_BREAK.search(text, offset)
            first_line_text = text[offset : line_end.start() if line_end else len(text)]
            if scan.field_counts and ends_in_open_quote(first_line_text, delimiter):
                stop = offset + csv.field_size_limit() + len(first_line_text) + 2
                resume = record_starts().first_record_line(offset, min(stop, len(text)))
                if resume is not None:
                    column = open_quote_field(first_line_text, delimiter)
                    fields = read_line(first_line_text, delimiter)
                    cut(fields[: column if column is not None else len(fields)], resume)
                    resumed = True
                    continue
            raise IngestError(
                path,
                "field_too_large",
                f"a field starting on line {first_line + line_base} is longer than "
                f"{csv.field_size_limit()} characters, which usually means a quote opened "
                "in this row is never closed",
                row=row + row_base,
            ) from None
    scan.physical_lines = lines_before
    scan.line_endings = line_ending_style(endings)
    if scan.row_numbers and scan.row_numbers[-1] not in scan.broken:
        open_field = open_quote_field(text[last_offset:], delimiter)
        if open_field is not None:
            raise IngestError(
                path,
                "truncated_file",
                f"a quoted field opened in column {open_field + 1} of this row is never closed "
                "before the end of the file (the file was cut short, or the row holds a stray "
                "quote)",
                row=scan.row_numbers[-1] + row_base,
            )
    return scan


def iter_records(text: str, delimiter: str, scan: Scan) -> Iterator[tuple[int, list[str]]]:
    """(row number, record) for every record of `text` as `scan_records` divided it; the
    records cut short at an unclosed quote (`scan.broken`) are not read again."""
    source = io.StringIO(text, newline="")
    row, offset = 0, 0
    for stop_row, resume in [*scan.restarts, (None, None)]:
        source.seek(offset)
        reader = csv.reader(source, delimiter=delimiter)
        while stop_row is None or row + 1 < stop_row:
            record = next(reader, None)
            if record is None:
                break
            row += 1
            yield row, record
        if stop_row is not None:
            row, offset = stop_row, resume
