"""One exact pass over the records of a delimited text: where each starts and how wide it is.

Python's `csv` module is the reference parser here: it counts records, not lines, so a quoted
cell with line breaks stays one record. The pass keeps only small facts (row numbers, field
counts, the first few records); building the table is the reader's job. Two conditions fail the
whole file with the row they start on: a quote still open at the end of the file
(`truncated_file`) and a field too long for any real survey answer (`field_too_large`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.errors import IngestError

HEAD_RECORDS = 11  # enough for the most header rows a config may give (10) and a response
ENDING_SAMPLE_RECORDS = 1000  # records whose line breaks decide `line_endings`
QUOTED_FIELD = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')


@dataclass
class Scan:
    """Facts about every record of a text, in file order.

    Row numbers are spreadsheet rows: 1-based, one per record, blank lines included (a blank
    line is a row in Excel but not a record here).
    """

    row_numbers: list[int] = field(default_factory=list)  # non-blank records only
    field_counts: list[int] = field(default_factory=list)
    head: list[list[str]] = field(default_factory=list)  # first HEAD_RECORDS non-blank records
    last: list[str] | None = None  # the last non-blank record
    spans: dict[int, tuple[int, int]] = field(default_factory=dict)  # multi-line records
    blank_lines: int = 0
    physical_lines: int = 0
    line_endings: str = "none"


def ends_in_open_quote(raw: str, delimiter: str) -> bool:
    """True when the record starting at `raw[0]` has a quoted field still open at the end.

    Mirrors the lenient `csv` reader: a quote opens a quoted field only at a field's start;
    after the closing quote (or inside an unquoted field) quotes are ordinary characters.
    """
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\\r\\n]*")
    position, end = 0, len(raw)
    while position < end:
        if raw[position] == '"':
            quoted = QUOTED_FIELD.match(raw, position)
            if quoted is None:
                return True
            position = quoted.end()
        position = rest_of_field.match(raw, position).end()
        if position < end and raw[position] == delimiter:
            position += 1
            continue
        return False
    return False


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


def scan_records(text: str, delimiter: str, path: Path) -> Scan:
    """Walk every record of `text` once (see the module docstring)."""
    scan = Scan()
    endings: set[str] = set()
    source = io.StringIO(text, newline="")
    reader = csv.reader(source, delimiter=delimiter)
    row = 0
    lines_before = 0  # physical lines consumed before the current record
    offset = 0  # where the current record starts in `text`
    last_offset = 0  # where the last non-blank record starts
    try:
        for record in reader:
            row += 1
            consumed = reader.line_num
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
            offset = source.tell()
            if row <= ENDING_SAMPLE_RECORDS:
                kind = terminator(text, offset)
                if kind:
                    endings.add(kind)
    except csv.Error as exc:
        first_line = lines_before + 1
        if "field larger than field limit" in str(exc):
            raise IngestError(
                path,
                "field_too_large",
                f"a field starting on line {first_line} is longer than "
                f"{csv.field_size_limit()} characters, which usually means a quote opened "
                "in this row is never closed",
                row=row + 1,
            ) from None
        raise IngestError(
            path, "unparseable_csv", f"line {first_line}: {exc}", row=row + 1
        ) from None
    scan.physical_lines = reader.line_num
    scan.line_endings = line_ending_style(endings)
    if scan.row_numbers and ends_in_open_quote(text[last_offset:], delimiter):
        raise IngestError(
            path,
            "truncated_file",
            "a quoted field opened in this row is never closed before the end of the file "
            "(the file was cut short, or the row holds a stray quote)",
            row=scan.row_numbers[-1],
        )
    return scan
