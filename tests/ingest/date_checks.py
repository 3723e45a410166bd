"""Helpers for the tests of pipeline.ingest.dates: parse a list of values, show it as text."""

from __future__ import annotations

import pandas as pd

from pipeline.ingest.dates import ParsedDates, parse_datetimes


def parse(values: list, **options) -> ParsedDates:
    return parse_datetimes(pd.Series(values, dtype=object), **options)


def stamps(parsed: ParsedDates) -> list[str | None]:
    """The parsed values as ISO text, None for NaT."""
    return [None if pd.isna(v) else v.isoformat(sep=" ") for v in parsed.values]
