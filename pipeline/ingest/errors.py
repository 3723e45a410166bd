"""The ingest layer's error: a `DataError` that also carries its reason code, row and column.

Messages follow one shape, `<file>: <code>: [row R, column C ('name'): ]<reason>`, so a user
sees at once which file, which reason and where. They never quote cell values (those may be
personal data): rows and columns are named by number and header only.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import DataError

MAX_NAME_CHARS = 60


def short_name(name: str) -> str:
    """A header text cut to a readable length for messages (headers are not personal data)."""
    flat = " ".join(name.split())
    if len(flat) > MAX_NAME_CHARS:
        return flat[: MAX_NAME_CHARS - 1] + "…"
    return flat


def where(row: int | None = None, column: int | None = None, name: str | None = None) -> str:
    """'row 5, column 3 ('Q2'): ' or the parts of it that are known, or '' when none are."""
    parts = []
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column}" + (f" ('{short_name(name)}')" if name is not None else ""))
    return ", ".join(parts) + ": " if parts else ""


class IngestError(DataError):
    """A file was rejected while detecting or reading it.

    `code` is the short reason code (`empty_file`, `truncated_file`, ...), `row` the spreadsheet
    row number (1-based, header rows included) and `column` the 1-based column position, when
    the problem has a place.
    """

    def __init__(
        self,
        path: Path | str,
        code: str,
        reason: str,
        *,
        row: int | None = None,
        column: int | None = None,
        column_name: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.code = code
        self.row = row
        self.column = column
        super().__init__(f"{path}: {code}: {where(row, column, column_name)}{reason}")
