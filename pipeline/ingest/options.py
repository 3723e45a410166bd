"""`ReadOptions`: what a project config may say about one export, overriding detection.

Everything is optional: with no options an export is detected and read as it is. A format,
encoding, delimiter, header-row count or sheet given here wins over detection, and the
`Detection` records it (`overridden`, plus a warning when it differs from what was detected),
so users see that the file was read as they said rather than as it looked. The limits make a
wrong or hostile file fail fast with `file_too_large`, `too_many_rows` or `too_many_columns`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, get_args

from pipeline.errors import ConfigError
from pipeline.survey_config import ExportFormat

# Every export format Ripple recognises (the config's list); `surveymonkey_api` is JSON, the
# others are tables.
FORMATS: tuple[str, ...] = get_args(ExportFormat)
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024  # 1 GiB: far above any survey export
DEFAULT_MAX_ROWS = 5_000_000  # the same defaults as `limits:` in ripple.yml
DEFAULT_MAX_COLUMNS = 5_000
MAX_HEADER_ROWS = 10
DEFAULT_STREAM_ABOVE_BYTES = 128 * 1024 * 1024  # larger delimited text is read piece by piece
DEFAULT_CHUNK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ReadOptions:
    """How to read one export; `None` means "detect it".

    `format`: one of FORMATS. `encoding`: a Python codec name. `delimiter`: `,` `;` tab `|`
    (or their names). `header_rows`: how many rows precede the responses. `sheet`: the
    worksheet of a workbook (default: the first visible one). `details`: the SurveyMonkey API
    survey details JSON that decodes a `responses/bulk` file. Limits: `max_bytes` of the file
    (and of a workbook's unpacked parts, times `WORKBOOK_EXPANSION`), `max_rows` responses,
    `max_columns` columns; `None` means no limit. Delimited text over `stream_above_bytes` is
    read in pieces of about `chunk_bytes` (`pipeline.ingest.stream`), so memory holds one
    piece of text at a time.
    """

    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_rows: int | None = None
    sheet: str | None = None
    max_bytes: int | None = DEFAULT_MAX_BYTES
    max_rows: int | None = DEFAULT_MAX_ROWS
    max_columns: int | None = DEFAULT_MAX_COLUMNS
    details: Path | None = None
    stream_above_bytes: int = DEFAULT_STREAM_ABOVE_BYTES
    chunk_bytes: int = DEFAULT_CHUNK_BYTES

    def __post_init__(self) -> None:
        if self.format is not None and self.format not in FORMATS:
            raise ConfigError(
                f"unknown export format '{self.format}'; use one of {', '.join(FORMATS)}"
            )
        if self.header_rows is not None and not 1 <= self.header_rows <= MAX_HEADER_ROWS:
            raise ConfigError(f"header_rows must be between 1 and {MAX_HEADER_ROWS}")
        for name in ("max_bytes", "max_rows", "max_columns", "stream_above_bytes", "chunk_bytes"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be a positive number")
        if self.details is not None and not isinstance(self.details, Path):
            object.__setattr__(self, "details", Path(self.details))

    def given(self) -> tuple[str, ...]:
        """The detection settings this object overrides (format, encoding, ...), in order."""
        names = ("format", "encoding", "delimiter", "header_rows", "sheet")
        return tuple(name for name in names if getattr(self, name) is not None)


OPTION_NAMES = frozenset(f.name for f in fields(ReadOptions))


def resolve_options(options: ReadOptions | None, overrides: dict[str, Any]) -> ReadOptions:
    """`options` with keyword overrides applied (the keyword form `read_export(path,
    encoding=...)` predates ReadOptions and stays valid). A keyword given as None is ignored,
    so callers may pass through optional values."""
    unknown = sorted(set(overrides) - OPTION_NAMES)
    if unknown:
        raise TypeError(f"unknown read option(s): {', '.join(unknown)}")
    given = {name: value for name, value in overrides.items() if value is not None}
    base = options if options is not None else ReadOptions()
    return replace(base, **given) if given else base
