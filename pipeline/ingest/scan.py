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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.errors import IngestError

# closes_cleanly and shape are imported from here by the tests
from pipeline.ingest.quotes import closes_cleanly, ends_in_open_quote, open_quote_field  # noqa: F401
from pipeline.ingest.record_starts import LINE_BREAK, RecordStarts, read_line, shape  # noqa: F401

HEAD_RECORDS = 11  # enough for the most header rows a config may give (10) and a response
ENDING_SAMPLE_RECORDS = 1000  # records whose line breaks decide `line_endings`


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
