"""pipeline.ingest.dates on real exports (skipped where ../shared/data/real is absent), and
its timing on a million values."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipeline.ingest.dates import parse_datetimes

OSMI = "osmi-mental-health-in-tech/osmi_2014_survey__excel_{}_roundtrip.csv"


# --- real exports ---------------------------------------------------------------------------


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


# --- timing ---------------------------------------------------------------------------------


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
