"""The dashboard's filters: what they can hold, how they travel in the URL, which extract rows
they select.

Pure functions (no Streamlit, no DuckDB). Filters *select* published rows, they never combine
them: the extract is protected for the cells it publishes, not for totals made from them
(docs/extract.md). So:

- **programme, site, cohort** choose the group whose own published row is shown: a cohort's
  row when a cohort is chosen, else a site's, else the programme's (`level`);
- **period** (cohort dates from .. to) narrows the *lists of cohorts* (forest plot, trend,
  reach by cohort); no total is published for a period, so headline totals stay the
  programme's or site's, and the pages say so;
- **breakdown** shows one baseline attribute's values (e.g. gender) at a time, from the
  attributes the extract publishes (the `attribute` level of `paired_stats`; programme only).

`parse` reads the URL's query parameters (anything invalid is dropped), `to_params` writes
them back, so a view can be shared as a link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from dashboard import fmt

#: Query parameter names of the shared filters, in URL order.
PARAMS = ("programme", "site", "cohort", "from", "to", "breakdown")

#: Display names of the attributes the pipeline may publish (others are title-cased).
ATTRIBUTE_LABELS = {
    "age_band": "Age band",
    "gender": "Gender",
    "ethnic_group": "Ethnic group",
    "region": "Region",
    "role": "Role",
    "year_group": "School year",
    "lived_experience": "Lived experience",
}


@dataclass(frozen=True)
class Filters:
    """The shared filters. None means "all" (site, cohort), "the whole span" (start, end)
    or "no breakdown"."""

    programme: str
    site: str | None = None
    cohort: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    breakdown: str | None = None

    def with_(self, **changes: Any) -> Filters:
        """A copy with some filters changed."""
        return replace(self, **changes)


def attribute_label(attribute: str) -> str:
    """'age_band' -> 'Age band' (display name of a breakdown)."""
    return ATTRIBUTE_LABELS.get(attribute, attribute.replace("_", " ").capitalize())


def _date(value: Any) -> dt.date | None:
    """An ISO date from the URL (YYYY-MM-DD), or None when it is not one."""
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _one(params: Mapping[str, Any], name: str) -> str | None:
    """One query parameter as text (the last one when repeated), or None."""
    value = params.get(name)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None or value == "" else str(value)


def sites_of(cohorts: pd.DataFrame) -> list[str]:
    """The sites of a programme's cohorts, in order of their first cohort."""
    ordered = cohorts.sort_values(["cohort_date", "cohort_id"], kind="stable")
    return list(dict.fromkeys(ordered["site"]))


def cohort_options(cohorts: pd.DataFrame, site: str | None) -> list[str]:
    """The cohorts a cohort filter may choose: the programme's, or the site's, by date."""
    rows = cohorts if site is None else cohorts[cohorts["site"] == site]
    return list(rows.sort_values(["cohort_date", "cohort_id"], kind="stable")["cohort_id"])


def span(cohorts: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    """The first and last cohort dates of a programme (None, None without cohorts)."""
    if cohorts.empty:
        return None, None
    dates = pd.to_datetime(cohorts["cohort_date"])
    return dates.min().date(), dates.max().date()


def parse(
    params: Mapping[str, Any],
    programmes: Sequence[str],
    cohorts: pd.DataFrame,
    attributes: Sequence[str],
) -> Filters:
    """Filters from URL query parameters, each checked against what exists.

    Args:
        params: the query parameters (`st.query_params.to_dict()`).
        programmes: programme ids, the first being the default.
        cohorts: the cohorts of the programme the parameters name (`queries.cohorts`); the
            caller looks the programme up with `parse_programme` first.
        attributes: the breakdowns the extract publishes.

    Returns:
        Valid filters: unknown values are dropped, a cohort outside the chosen site is
        dropped, dates are clamped to the programme's span and put in order.
    """
    programme = parse_programme(params, programmes)
    site = _one(params, "site")
    site = site if site in sites_of(cohorts) else None
    cohort = _one(params, "cohort")
    cohort = cohort if cohort in cohort_options(cohorts, site) else None
    first, last = span(cohorts)
    start, end = _date(_one(params, "from")), _date(_one(params, "to"))
    if first is None or last is None:
        start = end = None
    else:
        start = min(max(start, first), last) if start else None
        end = min(max(end, first), last) if end else None
        if start and end and start > end:
            start, end = end, start
        start = None if start == first else start
        end = None if end == last else end
    breakdown = _one(params, "breakdown")
    breakdown = breakdown if breakdown in attributes else None
    return Filters(programme, site, cohort, start, end, breakdown)


def parse_programme(params: Mapping[str, Any], programmes: Sequence[str]) -> str:
    """The programme the URL names, or the first programme."""
    programme = _one(params, "programme")
    return programme if programme in programmes else programmes[0]


def to_params(filters: Filters) -> dict[str, str]:
    """The URL query parameters of `filters` (only those that differ from the defaults)."""
    values = {
        "programme": filters.programme,
        "site": filters.site,
        "cohort": filters.cohort,
        "from": filters.start.isoformat() if filters.start else None,
        "to": filters.end.isoformat() if filters.end else None,
        "breakdown": filters.breakdown,
    }
    return {name: value for name, value in values.items() if value}


def level(filters: Filters) -> tuple[str, str | None]:
    """The group whose published rows are the headline: ('cohort', id), ('site', name) or
    ('programme', None)."""
    if filters.cohort:
        return "cohort", filters.cohort
    if filters.site:
        return "site", filters.site
    return "programme", None


def group_rows(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of a levelled table (`reach`, `paired_stats`) for the filtered group."""
    name, value = level(filters)
    mask = frame["level"] == name
    if name == "cohort":
        mask &= frame["cohort_id"] == value
    elif name == "site":
        mask &= frame["site"] == value
    return frame[mask]


def in_period(dates: pd.Series, filters: Filters) -> pd.Series:
    """True for dates inside the period filter (every date when it is the whole span)."""
    days = pd.to_datetime(dates)
    mask = pd.Series(True, index=dates.index)
    if filters.start:
        mask &= days >= pd.Timestamp(filters.start)
    if filters.end:
        mask &= days <= pd.Timestamp(filters.end)
    return mask.fillna(False).astype(bool)


def cohort_rows(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Cohort-level rows inside the site, cohort and period filters, by date."""
    rows = frame[frame["level"] == "cohort"]
    if filters.site:
        rows = rows[rows["site"] == filters.site]
    if filters.cohort:
        rows = rows[rows["cohort_id"] == filters.cohort]
    rows = rows[in_period(rows["cohort_date"], filters)]
    return rows.sort_values(["cohort_date", "cohort_id"], kind="stable")


def site_rows(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Site-level rows inside the site filter."""
    rows = frame[frame["level"] == "site"]
    if filters.site:
        rows = rows[rows["site"] == filters.site]
    return rows


def attribute_rows(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The breakdown's rows (level attribute, the chosen attribute); empty without one."""
    if not filters.breakdown or "attribute" not in frame.columns:
        return frame.iloc[0:0]
    return frame[(frame["level"] == "attribute") & (frame["attribute"] == filters.breakdown)]


def is_period_narrowed(filters: Filters) -> bool:
    """True when the period filter leaves out some of the programme's cohort dates."""
    return filters.start is not None or filters.end is not None


def describe(filters: Filters, programme_name: str, cohorts: pd.DataFrame) -> str:
    """'Showing: Open Conversations at Work · site Leeds · cohorts 21 Jan 2025 to 24 Feb 2026'."""
    parts = [programme_name]
    if filters.cohort:
        row = cohorts[cohorts["cohort_id"] == filters.cohort]
        when = f" ({fmt.date(row['cohort_date'].iloc[0])})" if len(row) else ""
        parts.append(f"cohort {filters.cohort}{when}")
    elif filters.site:
        parts.append(f"site {filters.site}")
    if is_period_narrowed(filters):
        first, last = span(cohorts)
        parts.append(f"cohorts {fmt.date_range(filters.start or first, filters.end or last)}")
    if filters.breakdown:
        parts.append(f"by {attribute_label(filters.breakdown).lower()}")
    return "Showing: " + " · ".join(parts)
