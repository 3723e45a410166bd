"""pipeline.ingest.dates: the shapes of dates it reads (Excel serials, ISO 8601, year-first,
12-hour clocks, zones, English month names) and the values it refuses to guess."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.ingest.date_checks import parse, stamps

# --- Excel serial numbers -------------------------------------------------------------------


def test_excel_serials_1900_system_with_the_lotus_leap_day() -> None:
    parsed = parse(["45306", "45306.4375", "45306,5", "1", "59", "60", "61", "0"])
    assert stamps(parsed) == [
        "2024-01-15 00:00:00",
        "2024-01-15 10:30:00",
        "2024-01-15 12:00:00",
        "1900-01-01 00:00:00",
        "1900-02-28 00:00:00",
        None,  # serial 60 is Excel's fictitious 29 Feb 1900
        "1900-03-01 00:00:00",
        None,
    ]
    assert parsed.invalid.tolist() == [False] * 5 + [True, False, True]
    assert parsed.how == "Excel serial dates (1900 system)"
    assert any("1900 date system" in w for w in parsed.warnings)
    assert any("fall before 1920" in w for w in parsed.warnings)


def test_excel_serials_1904_system() -> None:
    parsed = parse(["43844", "0", "43844.75"], excel_epoch=1904)
    assert stamps(parsed) == ["2024-01-15 00:00:00", "1904-01-01 00:00:00", "2024-01-15 18:00:00"]
    assert parsed.how == "Excel serial dates (1904 system)"
    assert parse(["45306"], excel_epoch=1900).warnings == ()


def test_serials_mixed_with_text_dates_are_each_parsed_by_their_kind() -> None:
    parsed = parse(["45306", "27/08/2014 11:29", "", "2025-01-14"])
    assert stamps(parsed) == [
        "2024-01-15 00:00:00",
        "2014-08-27 11:29:00",
        None,
        "2025-01-14 00:00:00",
    ]
    assert parsed.how.split("; ") == [
        "Excel serial dates (1900 system)",
        "ISO 8601",
        "day-first: settled by a day above 12 in row 1",
    ]
    assert any("mixes Excel serial numbers and text dates" in w for w in parsed.warnings)


def test_serials_beyond_2199_are_invalid() -> None:
    assert parse(["2958465"]).invalid.tolist() == [True]


# --- ISO 8601, year-first, clocks and zones ------------------------------------------------


def test_iso_8601_with_z_offsets_and_fractions_becomes_utc_naive() -> None:
    parsed = parse(
        [
            "2025-01-14",
            "2025-01-14 10:32:05",
            "2025-01-14T10:32:05Z",
            "2025-01-14T10:32:05+02:00",
            "2025-01-14T10:32:05.123456-0530",
            "2025-01-14T00:30:00+01",
            "2025-01-14 10:32:05.5",
        ]
    )
    assert stamps(parsed) == [
        "2025-01-14 00:00:00",
        "2025-01-14 10:32:05",
        "2025-01-14 10:32:05",
        "2025-01-14 08:32:05",
        "2025-01-14 16:02:05.123456",
        "2025-01-13 23:30:00",
        "2025-01-14 10:32:05.500000",
    ]
    assert parsed.how == "ISO 8601"
    assert parsed.order_used == "ymd"
    assert parsed.values.dtype == "datetime64[us]"
    assert "4 value(s) had a UTC offset and were converted to UTC; 3 had none" in parsed.warnings[0]


def test_year_first_needs_no_order() -> None:
    parsed = parse(["2014/8/27 11:29", "2014/1/2 9:05", "2014.01.02"])
    assert stamps(parsed) == ["2014-08-27 11:29:00", "2014-01-02 09:05:00", "2014-01-02 00:00:00"]
    assert parsed.how == "year-first dates (year/month/day)"
    assert parsed.order_used == "ymd"


def test_twelve_hour_clock() -> None:
    parsed = parse(
        ["1/13/2025 12:05 AM", "1/13/2025 12:05 PM", "1/13/2025 11:07:29 pm", "1/13/2025 1:00 p.m."]
    )
    assert stamps(parsed) == [
        "2025-01-13 00:05:00",
        "2025-01-13 12:05:00",
        "2025-01-13 23:07:29",
        "2025-01-13 13:00:00",
    ]
    assert parse(["1/13/2025 13:00 PM", "1/13/2025 0:30 AM"]).invalid.tolist() == [True, True]


def test_known_zone_abbreviation_is_dropped_with_a_warning() -> None:
    parsed = parse(
        ["2022/06/22 11:07:29 AM AST", "2022/06/23 1:07:29 PM AST", "2022/06/24 10:00 XYZ"]
    )
    assert stamps(parsed) == ["2022-06-22 11:07:29", "2022-06-23 13:07:29", None]
    assert parsed.invalid.tolist() == [False, False, True]
    assert parsed.warnings == (
        "dropped the time-zone abbreviation (AST) from 2 value(s); their times are kept as written",
    )


def test_two_digit_years_pivot_as_excel_does() -> None:
    parsed = parse(["13/1/00", "13/1/29", "13/1/30", "13/1/99", "1/2/25"])
    assert [v.year for v in parsed.values] == [2000, 2029, 1930, 1999, 2025]
    assert stamps(parsed)[4] == "2025-02-01 00:00:00"
    assert any("two-digit year" in w for w in parsed.warnings)


def test_english_month_names() -> None:
    parsed = parse(
        [
            "27-Aug-2014",
            "Aug 27, 2014",
            "27 August 2014",
            "august 27 2014 11:29",
            "Sept. 3, 2014",
            "Tue, 14 Jan 2025 10:00:00 GMT",
            "3rd March 2025",
            "27-Aug-14",
        ]
    )
    assert stamps(parsed) == [
        "2014-08-27 00:00:00",
        "2014-08-27 00:00:00",
        "2014-08-27 00:00:00",
        "2014-08-27 11:29:00",
        "2014-09-03 00:00:00",
        "2025-01-14 10:00:00",
        "2025-03-03 00:00:00",
        "2014-08-27 00:00:00",
    ]
    assert parsed.how == "dates with English month names"
    assert parsed.order_used is None


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "25-Jun",  # Excel turned the band "6-25" into a date without a year
        "6月25日",
        "31/04/2024",
        "29/02/2023",
        "2014-13-01",
        "27/12/2014 25:00",
        "27/12/2014 10:60",
        "0014-01-01",
        "1/1/1899",
        "27/08-2014",  # mixed separators
        "Foo 3 2014",
        "2025-01-14T10:00+15:00",
        "20250114",
        "-45306",
        "N/A",
    ],
)
def test_values_that_are_not_dates_are_invalid_not_guessed(value: str) -> None:
    parsed = parse(["28/12/2024", value])
    assert parsed.invalid.tolist() == [False, True]
    assert pd.isna(parsed.values.iloc[1])
