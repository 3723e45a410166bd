"""pipeline.ingest.dates: day/month order is decided from the file, or declared, never guessed."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.ingest.dates import AmbiguousDateError, DateOrderError, parse_datetimes
from tests.ingest.date_checks import parse, stamps


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


# --- round trips (property) ----------------------------------------------------------------


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
