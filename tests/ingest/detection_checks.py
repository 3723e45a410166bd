"""Helpers for the detection tests: a detection's shape, and a file detect() must reject."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import DataError
from pipeline.ingest import Detection, IngestError, detect


def shape(d: Detection) -> tuple:
    return (d.format, d.encoding, d.delimiter, d.header_rows, d.rows, d.columns)


def fails(path: Path, code: str, **kwargs) -> IngestError:
    """Assert detect() rejects the file with `code`, a message starting with path and code."""
    with pytest.raises(IngestError) as caught:
        detect(path, **kwargs)
    error = caught.value
    assert isinstance(error, DataError)
    assert error.code == code
    assert str(error).startswith(f"{path}: {code}: ")
    return error
