"""Where a record of a delimited text starts, recovered when a quote runs on over line breaks.

A line inside a quoted cell starts like a record when, read on its own, it has the header's
number of fields and its first fields have the shapes the other records' first fields have
(such as `R_...` ids or `2025-01-14 10:32` dates). `scan` cuts the record holding the quote
where such a line starts and reads on from there.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice

from pipeline.ingest.quotes import closes_cleanly, ends_in_open_quote

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
