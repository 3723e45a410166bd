"""`limits` in `ripple.yml`: upper bounds on one export."""

from __future__ import annotations

from pydantic import Field

from pipeline.instruments import Strict


class Limits(Strict):
    """Upper bounds on one export, so a wrong file fails fast with a clear message instead of
    exhausting memory: bytes, response rows and columns; and the size above which delimited
    text is read in pieces of `chunk_bytes`, holding one piece of text in memory at a time."""

    max_bytes: int = Field(default=1024**3, ge=1)
    max_rows: int = Field(default=5_000_000, ge=1)
    max_columns: int = Field(default=5_000, ge=1)
    # delimited text larger than this is read piece by piece (pipeline.ingest.stream)
    stream_above_bytes: int = Field(default=128 * 1024**2, ge=1)
    chunk_bytes: int = Field(default=16 * 1024**2, ge=1024)
