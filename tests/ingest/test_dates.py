"""pipeline.ingest.dates: survey timestamps and dates; day/month order is decided from the file."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest import dates
from pipeline.ingest.dates import (
    AmbiguousDateError,
    DateOrderError,
    ParsedDates,
    parse_datetimes,
    parse_month,
)

OSMI = "osmi-mental-health-in-tech/osmi_2014_survey__excel_{}_roundtrip.csv"


def parse(values: list, **options) -> ParsedDates:
    return parse_datetimes(pd.Series(values, dtype=object), **options)


def stamps(parsed: ParsedDates) -> list[str | None]:
    """The parsed values as ISO text, None for NaT."""
    return [None if pd.isna(v) else v.isoformat(sep=" ") for v in parsed.values]


# --- day/month order, decided from the file -------------------------------------------------


def test_one_day_above_12_settles_month_first_for_every_value() -> None:
    parsed = parse(["8/1/2014 11:29", "3/4/2014 9:05", "8/27/2014 11:29", "12/11/2014 0:00"])
    assert stamps(parsed) == [
        "2014-08-01 11:29:00",
        "2014-03-04 09:05:00",
        "2014-08-27 11:29:00",
        "2014-12-11 00:00:00",
    ]
    assert parsed.order_used == "mdy"
    assert parsed.how == "month-first: settled by a day above 12 in row 2"
    assert not parsed.invalid.any()


def test_one_first_number_above_12_settles_day_first() -> None:
    parsed = parse(["01/02/2025", "03/04/2025 10:00", "13/02/2025", "27.08.2014", "1-8-2014"])
    assert stamps(parsed)[:3] == [
        "2025-02-01 00:00:00",
        "2025-04-03 10:00:00",
        "2025-02-13 00:00:00",
    ]
    assert stamps(parsed)[3:] == ["2014-08-27 00:00:00", "2014-08-01 00:00:00"]
    assert parsed.order_used == "dmy"
    assert parsed.how == "day-first: settled by a day above 12 in row 2"


def test_no_value_settles_the_order_and_none_declared_raises_with_the_hint() -> None:
    values = pd.Series(["01/02/2025 10:00", "03/04/2025 11:30", ""], index=[5, 6, 7])
    with pytest.raises(AmbiguousDateError) as error:
        parse_datetimes(values, column="Timestamp", label="pre.csv")
    message = str(error.value)
    assert message.startswith("pre.csv: column 'Timestamp': cannot tell day from month")
    assert "declare date_format: '%d/%m/%Y %H:%M' or date_order: dmy on this source" in message
    assert "'%m/%d/%Y %H:%M' / mdy" in message
    assert "01/02" not in message and "2025" not in message


def test_ambiguous_hint_follows_the_shape_of_the_values() -> None:
    with pytest.raises(AmbiguousDateError, match=r"'%d\.%m\.%y %I:%M:%S %p'"):
        parse(["01.02.25 10:00:01 PM"])
    with pytest.raises(AmbiguousDateError, match="declare date_format: '%d-%m-%Y' or"):
        parse(["01-02-2025"], order="ymd")  # a year-first locale settles nothing here


def test_declared_order_is_used_when_no_value_settles_it() -> None:
    day_first = parse(["01/02/2025", "03/04/2025"], order="dmy")
    assert stamps(day_first) == ["2025-02-01 00:00:00", "2025-04-03 00:00:00"]
    assert day_first.order_used == "dmy"
    assert day_first.how == "day-first: declared date order dmy (no day above 12)"
    month_first = parse(["01/02/2025", "03/04/2025"], order="mdy")
    assert stamps(month_first) == ["2025-01-02 00:00:00", "2025-03-04 00:00:00"]
    assert month_first.order_used == "mdy"


def test_the_file_overrides_a_declared_order_it_contradicts_with_a_warning() -> None:
    parsed = parse(["8/27/2014", "1/2/2014"], order="dmy", column="Timestamp")
    assert stamps(parsed) == ["2014-08-27 00:00:00", "2014-01-02 00:00:00"]
    assert parsed.order_used == "mdy"
    assert parsed.warnings == ("column 'Timestamp': the file settles mdy, not the declared dmy",)


def test_values_that_contradict_each_other_raise_naming_rows_not_values() -> None:
    values = pd.Series(
        ["13/02/2025", "02/03/2025", "03/14/2025", "28/01/2025"], index=[10, 11, 12, 13]
    )
    with pytest.raises(DateOrderError) as error:
        parse_datetimes(values, order="dmy", column="Date", label="post.csv")
    message = str(error.value)
    assert message.startswith("post.csv: column 'Date': day/month order conflicts")
    assert "rows 10, 13 can only be day-first" in message
    assert "row 12 can only be month-first" in message
    assert "13/02" not in message and "2025" not in message
    assert isinstance(error.value, ValueError)


def test_day_equal_to_month_needs_no_order() -> None:
    parsed = parse(["05/05/2025", "11/11/2024"])
    assert stamps(parsed) == ["2025-05-05 00:00:00", "2024-11-11 00:00:00"]


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


# --- parse_month ----------------------------------------------------------------------------


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


# --- real exports (skipped where ../shared/data/real is absent) -----------------------------


def read_first_column(path: Path, encoding: str = "utf-8") -> pd.Series:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding)
    return frame.iloc[:, 0]


def test_real_osmi_round_trips_agree(real_data: Path) -> None:
    us = parse_datetimes(read_first_column(real_data / OSMI.format("en-US")), column="Timestamp")
    assert us.values.iloc[0] == pd.Timestamp("2014-08-27 11:29")
    assert us.order_used == "mdy" and us.how.startswith("month-first: settled by a day above 12")
    day_first = parse_datetimes(read_first_column(real_data / OSMI.format("ddmmyyyy")))
    assert day_first.values.iloc[0] == pd.Timestamp("2014-08-27 11:29")
    assert day_first.order_used == "dmy"
    chinese = parse_datetimes(read_first_column(real_data / OSMI.format("zh-CN_gbk"), "gb18030"))
    assert chinese.values.iloc[0] == pd.Timestamp("2014-08-27 11:29")
    assert chinese.how == "year-first dates (year/month/day)"
    for parsed in (us, day_first, chinese):
        assert len(parsed.values) == 1259
        assert not parsed.invalid.any() and not parsed.values.isna().any()
        assert parsed.values.min() >= pd.Timestamp("2014-08-27")
    assert us.values.equals(day_first.values) and us.values.equals(chinese.values)


def test_real_google_forms_cs50(real_data: Path) -> None:
    parsed = parse_datetimes(read_first_column(real_data / "google-forms-cs50/favorites.csv"))
    assert parsed.values.iloc[0] == pd.Timestamp("2019-10-28 15:03:45")
    assert parsed.order_used == "mdy"
    assert len(parsed.values) == 490 and not parsed.invalid.any()


# --- properties and timing ------------------------------------------------------------------

MINUTES = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31, 23, 59)
).map(lambda moment: moment.replace(second=0, microsecond=0))


@pytest.mark.parametrize("fmt", ["%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M"])
@settings(max_examples=60, deadline=None)
@given(moments=st.lists(MINUTES, min_size=0, max_size=30), anchor=MINUTES, day=st.integers(13, 28))
def test_round_trip_with_at_least_one_day_above_12(
    fmt: str, moments: list[datetime], anchor: datetime, day: int
) -> None:
    moments = [*moments, anchor.replace(day=day)]
    parsed = parse([moment.strftime(fmt) for moment in moments])
    assert parsed.values.tolist() == [pd.Timestamp(moment) for moment in moments]
    assert parsed.order_used == ("dmy" if fmt.startswith("%d") else "mdy")


def test_timing_for_a_million_values(capsys: pytest.CaptureFixture[str]) -> None:
    """Printed, not asserted: the machine is shared."""
    seconds = np.random.default_rng(0).integers(0, 300_000_000, 1_000_000)
    moments = pa.array(np.datetime64("2014-01-01T00:00:00") + seconds.astype("timedelta64[s]"))
    values = pd.Series(
        pc.strftime(moments, format="%m/%d/%Y %H:%M:%S").to_numpy(zero_copy_only=False)
    )
    wall, cpu = time.perf_counter(), time.process_time()
    parsed = parse_datetimes(values)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert not parsed.invalid.any() and parsed.order_used == "mdy"
    with capsys.disabled():
        print(f"\nparse_datetimes: 1,000,000 US timestamps in {wall:.2f} s ({cpu:.2f} s CPU)")
