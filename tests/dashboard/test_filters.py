"""filters.py: what the filters may hold, how they travel in the URL, which rows they pick."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import filters

COHORTS = pd.DataFrame(
    {
        "cohort_id": ["c1", "c2", "c3", "c4"],
        "site": ["Leeds", "Leeds", "York", "York"],
        "cohort_date": pd.to_datetime(["2024-01-15", "2024-03-04", "2024-04-22", "2024-06-10"]),
    }
)
PROGRAMMES = ["work", "schools"]


def parse(**params) -> filters.Filters:
    return filters.parse(params, PROGRAMMES, COHORTS, ["gender"])


def test_valid_parameters_round_trip_through_the_url() -> None:
    """parse(to_params(f)) == f for a full set of filters."""
    chosen = filters.Filters(
        "schools", "York", "c4", dt.date(2024, 2, 1), dt.date(2024, 5, 1), "gender"
    )
    params = filters.to_params(chosen)
    assert params == {
        "programme": "schools",
        "site": "York",
        "cohort": "c4",
        "from": "2024-02-01",
        "to": "2024-05-01",
        "breakdown": "gender",
    }
    assert parse(**params) == chosen


def test_invalid_parameters_are_dropped() -> None:
    """Unknown programme -> the first; unknown site, cohort, breakdown -> all / none; a
    cohort outside the chosen site is dropped; bad dates are ignored."""
    assert parse(programme="nope") == filters.Filters("work")
    assert parse(site="Mars", cohort="zz", breakdown="shoe size", **{"from": "soon"}) == (
        filters.Filters("work")
    )
    assert parse(site="Leeds", cohort="c3").cohort is None
    assert parse(programme=["work", "schools"]).programme == "schools"


def test_dates_are_clamped_ordered_and_the_whole_span_is_no_filter() -> None:
    """Dates outside the span are clamped; reversed dates swapped; the full span is None."""
    chosen = parse(**{"from": "2024-05-01", "to": "2023-01-01"})
    assert (chosen.start, chosen.end) == (None, dt.date(2024, 5, 1))
    assert parse(**{"from": "2024-01-15", "to": "2024-06-10"}).start is None
    assert not filters.is_period_narrowed(parse(**{"from": "2024-01-15"}))


def test_the_level_shown_is_the_most_specific_group() -> None:
    """A cohort's own row when chosen, else a site's, else the programme's."""
    assert filters.level(filters.Filters("w", "York", "c3")) == ("cohort", "c3")
    assert filters.level(filters.Filters("w", "York")) == ("site", "York")
    assert filters.level(filters.Filters("w")) == ("programme", None)


def test_rows_are_selected_never_combined() -> None:
    """group_rows picks one level's rows; cohort_rows narrows cohorts by site and period."""
    rows = pd.DataFrame(
        {
            "level": ["programme", "site", "site", "cohort", "cohort", "cohort", "cohort"],
            "site": [None, "Leeds", "York", "Leeds", "Leeds", "York", "York"],
            "cohort_id": [None, None, None, "c1", "c2", "c3", "c4"],
            "cohort_date": [None, None, None, *COHORTS["cohort_date"]],
        }
    )
    assert len(filters.group_rows(rows, filters.Filters("w"))) == 1
    assert list(filters.group_rows(rows, filters.Filters("w", "York"))["site"]) == ["York"]
    period = filters.Filters("w", start=dt.date(2024, 3, 1), end=dt.date(2024, 5, 1))
    assert list(filters.cohort_rows(rows, period)["cohort_id"]) == ["c2", "c3"]
    assert list(filters.cohort_rows(rows, filters.Filters("w", "Leeds"))["cohort_id"]) == [
        "c1",
        "c2",
    ]
    assert filters.attribute_rows(rows, filters.Filters("w")).empty


def test_describe_says_what_is_shown() -> None:
    """The 'Showing:' line names the programme, group, period and breakdown."""
    chosen = filters.Filters("w", "Leeds", None, dt.date(2024, 2, 1), None, "age_band")
    assert filters.describe(chosen, "Work", COHORTS) == (
        "Showing: Work · site Leeds · cohorts 1 Feb 2024 to 10 Jun 2024 · by age band"
    )
    assert filters.attribute_label("lived_experience") == "Lived experience"
    assert filters.attribute_label("shoe_size") == "Shoe size"
