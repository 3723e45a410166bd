"""A survey's dates: submission times parsed with their day/month order settled from the file
or the config (pipeline.ingest.dates), and the month each response dates from."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.config import Programme, Survey
from pipeline.errors import DataError
from pipeline.ingest.dates import (
    AmbiguousDateError,
    DateOrderError,
    parse_datetimes,
    parse_month,
)


@dataclass(frozen=True)
class DateRules:
    """How a source's dates are read: a declared strftime format, the declared day/month
    order for files that do not settle it, and the Excel date system of serial numbers."""

    fmt: str | None = None
    order: str | None = None
    excel_epoch: int | None = None


def parse_dates(
    values: pd.Series,
    rules: DateRules,
    column: str,
    label: str,
    notes: list[str],
    month: bool = False,
) -> pd.Series:
    """Datetimes of a date column (NaT where blank or unparseable; with `month`, also "2025-03"
    style year-months); an undecidable day/month order fails the file with what to declare.
    How the day/month order was settled, and anything converted, is added to `notes`."""
    parse = parse_month if month else parse_datetimes
    try:
        parsed = parse(
            values,
            fmt=None if month else rules.fmt,
            order=rules.order,
            excel_epoch=rules.excel_epoch,
            column=column,
            label=label,
        )
    except (AmbiguousDateError, DateOrderError) as exc:
        raise DataError(f"{label}: ambiguous_date: column '{column}': {exc}") from None
    declared = rules.fmt is not None and not month
    if parsed.order_used in ("dmy", "mdy") and not declared:
        notes.append(f"dates: column '{column}': {parsed.how}")
    notes += [w.removeprefix(f"{label}: ") for w in parsed.warnings]
    return parsed.values


def months(
    src: pd.DataFrame,
    survey: Survey,
    programme: Programme,
    submitted: pd.Series,
    frame: pd.DataFrame,
    rules: DateRules,
    label: str,
    notes: list[str],
) -> pd.Series:
    """First day of the month each response dates from: its submission time, else the
    declared `month_from` field, else its cohort's session date."""
    dates = submitted
    if survey.month_from:
        other = parse_dates(src[survey.month_from], rules, survey.month_from, label, notes, True)
        dates = dates.where(dates.notna(), other)
    sessions = {c.id: pd.Timestamp(c.date) for c in programme.cohorts}
    session_dates = pd.to_datetime(frame["cohort"].map(sessions))
    dates = dates.where(dates.notna(), session_dates)
    month = dates.dt.to_period("M").dt.start_time.dt.date
    return month.astype("object").where(dates.notna(), None)
