"""`detect`: what an export file is, before anything is read into a table.

One call reads the file's bytes once, hashes them, rejects non-text files by their magic bytes,
decodes (`encoding.py`), finds the delimiter (`dialect.py`), walks every record once (`scan.py`)
and recognises the layout (`layout.py`). `ripple detect` prints the result; `read_export` builds
on the same inspection, so the file is decoded once per read.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.ingest.dialect import (
    DELIMITERS,
    normalise_delimiter,
    sep_directive,
    sniff_delimiter,
)
from pipeline.ingest.encoding import Decoded, decode_bytes
from pipeline.ingest.errors import IngestError
from pipeline.ingest.filetype import sniff_binary, sniff_text
from pipeline.ingest.layout import HeaderColumns, Layout, header_columns, layout_of
from pipeline.ingest.scan import Scan, scan_records

FORMATS = ("qualtrics", "qualtrics_legacy", "google_forms", "csv")
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024  # 1 GiB: far above any survey export


@dataclass(frozen=True)
class Detection:
    """What `detect` found out about one export file.

    `rows` counts response records after the header rows (a quoted cell with line breaks is
    still one record; blank lines are not records). `problem_rows` of them have the wrong
    number of fields and will be reported by `read_export` instead of loaded.
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
    encoding_source: str = "utf-8"  # bom | utf-8 | utf-16-pattern | detected | override
    line_endings: str = "lf"  # lf | crlf | cr | mixed | none
    blank_lines: int = 0
    multiline_records: int = 0
    problem_rows: int = 0
    first_data_row: int | None = None  # spreadsheet row number of the first response
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        """A JSON-safe dict, for `ripple detect --json`."""
        out = asdict(self)
        out["path"] = str(self.path)
        out["warnings"] = list(self.warnings)
        return out


@dataclass(frozen=True)
class Inspection:
    """Everything `detect` learnt, kept for `read_export`: the bytes, the text and the scan."""

    detection: Detection
    data: bytes
    decoded: Decoded
    table: str  # the decoded text from the table's first line (after any `sep=` line)
    scan: Scan
    layout: Layout
    header: HeaderColumns


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or an IngestError saying why they cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                path,
                "file_too_large",
                f"the file is {size:,} bytes, above the limit of {max_bytes:,}",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise IngestError(path, "file_not_found", "no such file") from None
    except IsADirectoryError:
        raise IngestError(path, "not_a_file", "this is a folder, not an export file") from None
    except PermissionError:
        raise IngestError(path, "unreadable_file", "permission denied") from None
    except OSError as exc:
        raise IngestError(path, "unreadable_file", exc.strerror or type(exc).__name__) from None


def reject_non_text(data: bytes, path: Path) -> None:
    """Fail with `empty_file` or `unexpected_file_type` before trying to decode."""
    if not data:
        raise IngestError(path, "empty_file", "the file is empty (0 bytes)")
    found = sniff_binary(data[:8192] if not data.startswith(b"PK") else data)
    if found:
        description, hint = found
        raise IngestError(path, "unexpected_file_type", f"this looks like {description}; {hint}")


def table_text(decoded: Decoded, path: Path, delimiter: str | None) -> tuple[str, str, list[str]]:
    """(table text, delimiter, warnings): honours a `sep=` first line, else sniffs."""
    text = decoded.text
    delimiter = normalise_delimiter(delimiter)
    warnings: list[str] = []
    if text.startswith("\ufeff"):
        text = text[1:]
        warnings.append("extra_bom: a byte-order mark left at the start of the text was removed")
    if not text.strip():
        raise IngestError(path, "empty_file", "the file holds no records (only blank lines)")
    found = sniff_text(text)
    if found:
        description, hint = found
        raise IngestError(path, "unexpected_file_type", f"this looks like {description}; {hint}")
    named, start = sep_directive(text)
    if named is not None:
        if named not in DELIMITERS:
            raise IngestError(
                path,
                "unsupported_delimiter",
                "the 'sep=' first line names an unsupported "
                "delimiter; use comma, semicolon, tab or pipe",
                row=1,
            )
        text = text[start:]
        warnings.append(
            "sep_directive: the Excel 'sep=' first line was skipped (Excel hides it too); row "
            "numbers count from the line after it"
        )
        delimiter = delimiter or named
    if delimiter is not None and delimiter not in DELIMITERS:
        raise IngestError(
            path, "unsupported_delimiter", "use comma, semicolon, tab or pipe as the delimiter"
        )
    if not text.strip():
        raise IngestError(path, "empty_file", "the file holds no records after its 'sep=' line")
    return text, delimiter or sniff_delimiter(text, path), warnings


def check_header_widths(scan: Scan, layout: Layout, path: Path) -> None:
    """Every header row must have as many fields as row 1."""
    width = scan.field_counts[0]
    for index in range(1, min(layout.header_rows, len(scan.field_counts))):
        if scan.field_counts[index] != width:
            raise IngestError(
                path,
                "header_field_count",
                f"header row {index + 1} has {scan.field_counts[index]} fields but row 1 has "
                f"{width}; the header rows of this {layout.format} export were edited or cut",
                row=scan.row_numbers[index],
            )


def inspect(
    path: Path | str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Inspection:
    """Read, decode, sniff and scan one export (the work behind `detect` and `read_export`)."""
    path = Path(path)
    data = read_bytes(path, max_bytes)
    reject_non_text(data, path)
    decoded = decode_bytes(data, path, encoding)
    table, delimiter, warnings = table_text(decoded, path, delimiter)
    scan = scan_records(table, delimiter, path)
    layout = layout_of(scan.head)
    check_header_widths(scan, layout, path)
    header_rows = min(layout.header_rows, len(scan.row_numbers))
    data_counts = scan.field_counts[header_rows:]
    columns = scan.field_counts[0]
    rows = len(data_counts)
    header = header_columns(layout, scan.head, scan.row_numbers)
    warnings = [*decoded.warnings, *warnings, *layout.warnings, *header.warnings]
    if rows == 0:
        warnings.append("header_only: the file has header rows but no responses")
    detection = Detection(
        path=path,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        format=layout.format,
        encoding=decoded.encoding,
        delimiter=delimiter,
        header_rows=layout.header_rows,
        rows=rows,
        columns=columns,
        encoding_source=decoded.source,
        line_endings=scan.line_endings,
        blank_lines=scan.blank_lines,
        multiline_records=sum(1 for row in scan.spans if row > scan.row_numbers[header_rows - 1]),
        problem_rows=sum(1 for count in data_counts if count != columns),
        first_data_row=scan.row_numbers[header_rows] if rows else None,
        warnings=tuple(warnings),
    )
    return Inspection(detection, data, decoded, table, scan, layout, header)


def detect(
    path: Path | str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Detection:
    """Detect an export's format, encoding, delimiter, header rows, rows and columns.

    `encoding` and `delimiter` override detection (for a project config that names them).
    Bad input raises `IngestError` (a `DataError`) naming the file, a reason code and, where
    it has one, the row.
    """
    return inspect(path, encoding=encoding, delimiter=delimiter, max_bytes=max_bytes).detection
