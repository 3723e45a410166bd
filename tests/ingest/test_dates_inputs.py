"""pipeline.ingest.dates: what parse_datetimes accepts (blanks, string dtypes, numbers, a
declared format, bad arguments) and reading in chunks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.ingest import dates
from pipeline.ingest.dates import parse_datetimes
from tests.ingest.date_checks import parse, stamps


def test_blanks_are_not_invalid_and_index_and_name_are_kept() -> None:
    values = pd.Series(["", None, "   ", np.nan, "2025-01-14"], index=list("abcde"), name="When")
    parsed = parse_datetimes(values)
    assert parsed.values.index.tolist() == list("abcde") and parsed.values.name == "When"
    assert parsed.invalid.tolist() == [False] * 5
    assert parsed.values.isna().tolist() == [True, True, True, True, False]
    empty = parse_datetimes(pd.Series([], dtype=object))
    assert empty.how == "no values" and empty.values.dtype == "datetime64[us]"


def test_pandas_string_dtype_and_numbers_are_accepted() -> None:
    parsed = parse_datetimes(pd.Series(["8/27/2014 11:29", None], dtype="str"))
    assert stamps(parsed) == ["2014-08-27 11:29:00", None]
    assert stamps(parse([45306, "2025-01-14"])) == ["2024-01-15 00:00:00", "2025-01-14 00:00:00"]
    assert stamps(parse_datetimes(pd.Series([45306, 45306.5]))) == [
        "2024-01-15 00:00:00",
        "2024-01-15 12:00:00",
    ]


def test_chunks_give_the_same_result_as_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    values = ["8/1/2014 1:00", "", "2014-08-01", "x", "45306", "1/27/2014", "Aug 3, 2014", None]
    values = pd.Series([*values, "3/3/2014 3:03 PM EST", "2/2/2014"] * 3)
    whole = parse_datetimes(values)
    monkeypatch.setattr(dates, "CHUNK", 3)
    chunked = parse_datetimes(values)
    assert chunked.values.equals(whole.values) and chunked.invalid.equals(whole.invalid)
    assert (chunked.how, chunked.warnings) == (whole.how, whole.warnings)
    assert whole.how == (
        "Excel serial dates (1900 system); ISO 8601; "
        "month-first: settled by a day above 12 in row 5; dates with English month names"
    )


def test_declared_format_is_used_exactly() -> None:
    parsed = parse(["27/08/2014 11:29", "8/27/2014 11:29", "", "2014-08-27"], fmt="%d/%m/%Y %H:%M")
    assert stamps(parsed) == ["2014-08-27 11:29:00", None, None, None]
    assert parsed.invalid.tolist() == [False, True, False, True]
    assert parsed.how == "declared format %d/%m/%Y %H:%M"
    assert parsed.order_used == "dmy"
    offset = parse(["2025-01-14T10:00:00+02:00"], fmt="%Y-%m-%dT%H:%M:%S%z")
    assert stamps(offset) == ["2025-01-14 08:00:00"]


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="order must be"):
        parse(["2025-01-14"], order="myd")
    with pytest.raises(ValueError, match="excel_epoch"):
        parse(["45306"], excel_epoch=1901)
