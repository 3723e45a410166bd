"""Speeders: responses completed implausibly fast (privacy-and-reliability.md section 4, #24).

A response's duration in seconds comes from the survey's `duration` column, from its
`started_at` and `submitted_at` times, or, for Qualtrics, from the export's own `duration`
column ("Duration (in seconds)") without mapping it. A speeder is faster than the absolute
floor (`min_seconds`, or `min_seconds_per_item` x the mapped items, whichever is higher) or
than `median_fraction` x the median duration of the file's eligible responses (not previews,
tests, spam, incomplete or another wave's). Both counts are reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pipeline.config import Source, Speeders, Survey
from pipeline.ingest.survey_dates import DateRules, parse_dates

if TYPE_CHECKING:
    from pipeline.ingest.mapping import CodedExport
    from pipeline.ingest.readers import RawExport

# The relative rule needs a median over at least this many timed responses.
MIN_FOR_MEDIAN = 5
QUALTRICS_DURATION = "duration"


@dataclass(frozen=True)
class SpeederRules:
    """Per-row masks: below the absolute floor, below the median fraction, and either."""

    below_floor: pd.Series
    below_median: pd.Series

    @property
    def speeder(self) -> pd.Series:
        return self.below_floor | self.below_median


def durations(
    raw: RawExport, coded: CodedExport, survey: Survey, source: Source, label: str
) -> pd.Series:
    """Seconds each response took (NaN where unknown, blank, negative or not a number); a
    `started_at` column whose day/month order cannot be settled fails the file (`label`)."""
    frame = raw.frame
    if survey.duration:
        seconds = pd.to_numeric(frame[survey.duration].astype("object"), errors="coerce")
    elif survey.started_at and survey.submitted_at:
        rules = DateRules(
            source.date_format or survey.timestamp_format,
            source.date_order or survey.date_order,
            getattr(source, "excel_epoch", None),
        )
        start = parse_dates(frame[survey.started_at], rules, survey.started_at, label, [])
        end = pd.to_datetime(coded.frame["submitted_at"], format="ISO8601")
        seconds = (end - pd.to_datetime(start)).dt.total_seconds()
    elif survey.format == "qualtrics" and QUALTRICS_DURATION in frame.columns:
        seconds = pd.to_numeric(frame[QUALTRICS_DURATION].astype("object"), errors="coerce")
    else:
        return pd.Series(np.nan, index=frame.index, dtype="float64")
    seconds = pd.Series(seconds, index=frame.index, dtype="float64")
    return seconds.where(seconds >= 0)


def speeder_rules(
    seconds: pd.Series, eligible: pd.Series, n_items: int, policy: Speeders
) -> SpeederRules:
    """Which eligible rows are below the floor and which below the median fraction."""
    timed = eligible.to_numpy(dtype=bool) & seconds.notna().to_numpy()
    timed = pd.Series(timed, index=seconds.index)
    floor = max(policy.min_seconds or 0.0, (policy.min_seconds_per_item or 0.0) * n_items)
    below_floor = timed & (seconds < floor) if floor > 0 else timed & False
    below_median = timed & False
    if policy.median_fraction and timed.sum() >= MIN_FOR_MEDIAN:
        median = seconds[timed].median()
        below_median = timed & (seconds < policy.median_fraction * median)
    return SpeederRules(below_floor.astype(bool), below_median.astype(bool))
