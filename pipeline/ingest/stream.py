"""Large delimited exports read piece by piece, so memory holds one piece of text at a time.

A delimited-text file above `ReadOptions.stream_above_bytes` (`limits.stream_above_bytes` in
ripple.yml, default 128 MiB) is not read whole. `pipeline.ingest.pieces` cuts it where records
end, about `chunk_bytes` (default 16 MiB) at a time. The first piece is inspected exactly as a
small file is (`detect.text_inspection`: encoding, delimiter, layout, header); every later
piece is decoded with the same codec, given the header records in front, scanned exactly
(`scan.py`) and parsed (`readers.build_frame`), and its row and line numbers are shifted to
the file's. A piece whose last record stays open is joined to the next and scanned again.

The result is the one a whole read gives: the same rows, problems, row numbers and counts
(tests/ingest/test_stream.py reads the catalogue's and the fuzzer's exports both ways, cut
into pieces of a few hundred bytes). Between pieces Ripple keeps the table read so far, with
one string object per distinct value of each column (`readers.shared_strings`), and the
SHA-256 of the bytes, never the text.

By design, two things are decided from the first piece alone: the encoding (a later piece
that does not decode with it fails `invalid_encoding`, naming its line: declare `encoding:`),
and the shapes that tell a record-like line after a quote that is never closed (learnt per
piece, from its own first lines).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from pipeline.ingest.detect import inspect, text_inspection
from pipeline.ingest.detection import Detection, Inspection, check_limits
from pipeline.ingest.encoding import mojibake_count, mojibake_warnings
from pipeline.ingest.errors import IngestError
from pipeline.ingest.layout import duplicate_error, list_numbers
from pipeline.ingest.options import ReadOptions
from pipeline.ingest.pieces import file_pieces
from pipeline.ingest.readers import (
    RawExport,
    RowProblem,
    build_frame,
    read_inspected,
    split_records,
)
from pipeline.ingest.scan import HEAD_RECORDS, scan_records

# A piece whose scan ends inside an open record is joined to the next and scanned again.
OPEN_AT_END = frozenset({"truncated_file", "field_too_large"})


def header_part(table: str, delimiter: str, header_rows: int) -> tuple[str, int, int]:
    """(text of the header records, rows it spans with blank lines, physical lines)."""
    source = io.StringIO(table, newline="")
    reader = csv.reader(source, delimiter=delimiter)
    records = rows = 0
    for record in reader:
        rows += 1
        records += bool(record)
        if records == header_rows:
            break
    return table[: source.tell()], rows, reader.line_num


class NotStreamable(Exception):
    """A later piece holds what only a whole read judges right (NUL bytes); read it whole."""


@dataclass(frozen=True)
class Part:
    """One piece of the file as a small table of its own: the header records, then the
    piece's records. `row_shift` turns a row number of `ins.scan` into the file's."""

    ins: Inspection
    row_shift: int


class StreamedText:
    """One pass over a large delimited file (see the module docstring).

    Iterate `parts()`; afterwards `detection()` describes the whole file."""

    def __init__(self, path: Path, options: ReadOptions) -> None:
        self.path, self.options = path, options
        self.digest = hashlib.sha256()
        self.first: Inspection | None = None
        self.header_text, self.header_span, self.header_lines = "", 0, 0
        self.rows_before = self.lines_before = 0  # rows and lines of the file read so far
        self.rows = self.blank_lines = self.multiline = self.problem_rows = 0
        self.first_data_row: int | None = None
        self.broken: list[int] = []
        self.mojibake = 0  # garbled sequences in the parts after the first, header excluded

    def parts(self) -> Iterator[Part]:
        """Every piece of the file as a `Part`, in order."""
        source = file_pieces(self.path, self.options.chunk_bytes, self.digest.update)
        piece = next(source, b"")
        while piece:
            following = next(source, b"")
            try:
                part = self.part(piece)
            except IngestError as exc:
                if following and exc.code in OPEN_AT_END:
                    piece += following
                    continue
                raise
            if part.ins is self.first and following and len(part.ins.scan.head) < HEAD_RECORDS:
                self.first = None  # too little to recognise the layout by: take more
                piece += following
                continue
            self.count(part)
            yield part
            piece = following

    def part(self, piece: bytes) -> Part:
        """A piece decoded, given the header, and scanned."""
        if self.first is None:
            first = text_inspection(self.path, piece, replace(self.options, max_rows=None))
            head = header_part(first.table, first.detection.delimiter, first.layout.header_rows)
            self.header_text, self.header_span, self.header_lines = head
            self.first = first
            return Part(first, 0)
        first = self.first
        if b"\x00" in piece:  # NUL bytes are judged over the whole file (encoding.py)
            raise NotStreamable
        table = self.header_text + self.decode(piece)
        row_base = self.rows_before - self.header_span
        line_base = self.lines_before - self.header_lines
        scan = scan_records(
            table, first.detection.delimiter, self.path, row_base=row_base, line_base=line_base
        )
        scan.spans = {row: (a + line_base, b + line_base) for row, (a, b) in scan.spans.items()}
        utf8 = first.detection.encoding in ("utf-8", "utf-8-sig")
        ins = replace(
            first,
            data=self.header_text.encode("utf-8") + piece if utf8 else b"",
            decoded=replace(first.decoded, text=table),
            table=table,
            scan=scan,
        )
        return Part(ins, row_base)

    def decode(self, piece: bytes) -> str:
        """A later piece in the first piece's codec (a BOM only ever starts the file)."""
        codec = self.first.detection.encoding
        codec = "utf-8" if codec == "utf-8-sig" else codec
        try:
            return piece.decode(codec)
        except UnicodeDecodeError as exc:
            line = self.lines_before + piece.count(b"\n", 0, exc.start) + 1
            raise IngestError(
                self.path,
                "invalid_encoding",
                f"line {line} is not valid {codec}, although the start of the file is; "
                "declare the file's `encoding:` in ripple.yml, or re-save the export as "
                "'CSV UTF-8'",
            ) from None

    def count(self, part: Part) -> None:
        """Add a part's records to the file's totals; `too_many_rows` as soon as they pass
        the limit."""
        scan, header_rows = part.ins.scan, part.ins.detection.header_rows
        width, shift = part.ins.detection.columns, part.row_shift
        later = part.ins is not self.first
        start = min(header_rows, len(scan.row_numbers))
        data_rows = scan.row_numbers[start:]
        counts = scan.field_counts[start:]
        self.rows += len(data_rows)
        check_limits(self.path, self.rows, width, self.options)
        if data_rows and self.first_data_row is None:
            self.first_data_row = data_rows[0] + shift
        self.blank_lines += scan.blank_lines - (self.header_span - header_rows if later else 0)
        last_header = scan.row_numbers[start - 1] if start else 0
        self.multiline += sum(1 for row in scan.spans if row > last_header)
        self.problem_rows += sum(
            1
            for row, found in zip(data_rows, counts, strict=True)
            if found != width or row in scan.broken
        )
        self.broken += [row + shift for row in sorted(scan.broken)]
        if later:
            self.mojibake += mojibake_count(part.ins.table) - mojibake_count(self.header_text)
        span = len(scan.row_numbers) + scan.blank_lines
        self.rows_before += span - (self.header_span if later else 0)
        self.lines_before += scan.physical_lines - (self.header_lines if later else 0)

    def detection(self) -> Detection:
        """The whole file's detection, once every part has been read."""
        first = self.first.detection
        garbled = mojibake_warnings("", mojibake_count(self.first.decoded.text) + self.mojibake)
        kept = [w for w in first.warnings if not w.startswith(("header_only", "unbalanced_quote"))]
        at = next((i for i, w in enumerate(kept) if w.startswith("mojibake_suspected")), None)
        if at is None:  # decoding warnings follow those about ignored settings
            at = sum(1 for w in kept if w.split(":")[0].endswith("_ignored"))
        else:
            del kept[at]
        kept[at:at] = garbled
        if self.rows == 0:
            kept.append("header_only: the file has header rows but no responses")
        if self.broken:
            kept.append(
                f"unbalanced_quote: row(s) {list_numbers(self.broken)} hold a quote that is "
                "never closed; each was cut where the next record starts, so no response is "
                "merged into another, and is not read (quarantined as unbalanced_quote)"
            )
        return replace(
            first,
            sha256=self.digest.hexdigest(),
            size_bytes=self.path.stat().st_size,
            rows=self.rows,
            blank_lines=self.blank_lines,
            multiline_records=self.multiline,
            problem_rows=self.problem_rows,
            first_data_row=self.first_data_row,
            warnings=tuple(kept),
        )


def detect_streamed(path: Path, options: ReadOptions) -> Detection:
    """`detect` for a large delimited file: one pass, holding one piece at a time."""
    text = StreamedText(path, options)
    try:
        for _ in text.parts():
            pass
    except NotStreamable:
        return inspect(path, options).detection
    return text.detection()


def read_streamed(path: Path, options: ReadOptions) -> RawExport:
    """`read_export` for a large delimited file (see the module docstring); a file that
    turns out to need a whole read (`NotStreamable`) is read whole."""
    try:
        return read_pieces(path, options)
    except NotStreamable:
        return read_inspected(inspect(path, options))


def read_pieces(path: Path, options: ReadOptions) -> RawExport:
    """Every part's rows and problems, shifted to the file's row numbers and joined."""
    text = StreamedText(path, options)
    frames: list[pd.DataFrame] = []
    problems: list[RowProblem] = []
    for part in text.parts():
        header = part.ins.header
        if header.duplicates:
            raise duplicate_error(header, part.ins.layout, path)
        good, found = split_records(part.ins)
        frame = build_frame(part.ins, header.keys, good)
        frames.append(frame.set_axis(frame.index + part.row_shift, axis=0))
        problems += [
            replace(p, source_row_number=p.source_row_number + part.row_shift) for p in found
        ]
    detection = text.detection()
    first = text.first
    frame = pd.concat(frames) if len(frames) > 1 else frames[0]
    if len(frame) + len(problems) != detection.rows:  # pragma: no cover - a bug, not input
        raise RuntimeError(f"{path}: rows read do not add up to the rows detected")
    return RawExport(
        detection=detection,
        keys=first.header.keys,
        names=first.header.names,
        frame=frame,
        problems=problems,
        labels=first.header.labels,
        column_meta=first.header.meta,
        warnings=detection.warnings,
    )
