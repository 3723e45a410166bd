"""pipeline.ingest.dates.parse_month: a year and month, as the first day of the month."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.ingest.dates import AmbiguousDateError, parse_month
from tests.ingest.date_checks import stamps


def test_parse_month_gives_the_first_day_of_the_month() -> None:
    parsed = parse_month(
        pd.Series(
            [
                *["2025-03", "2025/3", "03/2025", "3.2025", "Mar 2025", "March-2025"],
                *["2025-03-17 10:00", "", "13/2025", "17/03/2025", "45306"],
            ]
        )
    )
    assert stamps(parsed) == ["2025-03-01 00:00:00"] * 7 + [None, None] + [
        "2025-03-01 00:00:00",
        "2024-01-01 00:00:00",
    ]
    assert parsed.invalid.tolist() == [False] * 8 + [True, False, False]
    assert parsed.how.startswith("year and month; ")


def test_parse_month_full_dates_still_need_their_order() -> None:
    with pytest.raises(AmbiguousDateError):
        parse_month(pd.Series(["01/02/2025", "2025-03"]))
    parsed = parse_month(pd.Series(["01/02/2025"]), order="mdy")
    assert stamps(parsed) == ["2025-01-01 00:00:00"]
    declared = parse_month(pd.Series(["14/02/2025 10:00"]), fmt="%d/%m/%Y %H:%M")
    assert stamps(declared) == ["2025-02-01 00:00:00"]
