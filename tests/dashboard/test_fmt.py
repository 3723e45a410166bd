"""fmt.py: numbers rounded once, true minus signs, shares and differences that add up."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import fmt

MINUS = "\u2212"


def test_rounding_is_half_away_from_zero_and_never_negative_zero() -> None:
    """2.25 -> 2.3 and -2.25 -> -2.3 (not banker's rounding); -0.04 -> 0.0 without a sign."""
    assert fmt.rounded(2.25, 1) == 2.3 and fmt.rounded(-2.25, 1) == -2.3
    assert fmt.rounded(0.125, 2) == 0.13
    assert fmt.num(-0.04) == "0.0" and fmt.signed(-0.04) == "0.0" and fmt.signed(0.04) == "0.0"
    assert fmt.rounded(None, 1) is None and fmt.rounded(float("nan"), 1) is None


def test_negative_numbers_use_the_true_minus_sign() -> None:
    """Every negative number shown carries U+2212, never a hyphen-minus."""
    assert fmt.num(-0.61) == f"{MINUS}0.6"
    assert fmt.signed(-2.6) == f"{MINUS}2.6" and fmt.signed(2.6) == "+2.6"
    assert fmt.effect(-0.1) == f"{MINUS}0.10"
    assert fmt.interval(-0.06, 0.22, 2) == f"{MINUS}0.06 to 0.22"
    assert fmt.interval(-1.25, 3.1, 1, plus=True) == f"{MINUS}1.3 to +3.1"
    assert "-" not in fmt.num(-1234.5) and fmt.num(-1234.5) == f"{MINUS}1,234.5"


def test_counts_percentages_ranges_and_p_values() -> None:
    """Counts with separators; whole percentages; an en-dash range; p as reported."""
    assert fmt.count(1204) == "1,204" and fmt.count(None) == "n/a"
    assert fmt.percent(0.825) == "83%" and fmt.percent(None, missing="") == ""
    assert fmt.score_range(0, 100) == "0–100" and fmt.score_range(3.0, 9.0) == "3–9"
    assert fmt.score_range(1.5, 4) == "1.5–4"
    assert fmt.p_value(0.0004) == "p < .001" and fmt.p_value(0.004) == "p = .004"
    assert fmt.p_value(0.26) == "p = .26"


def test_a_change_beside_its_two_averages_is_their_rounded_difference() -> None:
    """22.94 -> 25.66 shows 22.9 to 25.7 and +2.8 (not the separately rounded +2.7); on a
    lower-is-better scale a fall is a positive improvement."""
    assert fmt.derived_improvement(22.94, 25.66, True) == 2.8
    assert fmt.derived_improvement(5.94, 5.31, False) == 0.6
    assert fmt.derived_improvement(None, 5.31, False) is None


@given(
    st.floats(-500, 500, allow_nan=False),
    st.floats(-500, 500, allow_nan=False),
    st.booleans(),
)
def test_shown_averages_and_change_always_add_up(start: float, end: float, hib: bool) -> None:
    """For any two averages, rounded(after) - rounded(before) == the change shown (signed)."""
    change = fmt.derived_improvement(start, end, hib)
    sign = 1 if hib else -1
    before, after = fmt.rounded(start, 1), fmt.rounded(end, 1)
    assert math.isclose(round(before + sign * change, 1), after, abs_tol=1e-9)


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=8).filter(lambda xs: sum(xs) > 0))
def test_parts_of_a_whole_add_up_to_100(counts: list[int]) -> None:
    """Largest-remainder percentages of a whole add up to 100 and differ from the exact
    value by less than 1."""
    total = sum(counts)
    percents = fmt.percentages_adding_up([c / total for c in counts])
    assert sum(percents) == 100
    assert all(abs(p - 100 * c / total) < 1 for p, c in zip(percents, counts, strict=True))


def test_parts_with_a_hidden_share_are_rounded_each_on_its_own() -> None:
    """With a hidden share, nothing is forced to add up (and the hidden one stays None)."""
    assert fmt.percentages_adding_up([0.5, None, 0.25]) == [50, None, 25]


def test_dates() -> None:
    """Dates read '15 Jan 2024'; timestamps in UTC; ranges collapse when equal."""
    assert fmt.date(dt.date(2024, 1, 15)) == "15 Jan 2024" and fmt.date(None) == "unknown"
    assert fmt.date("2024-01-15") == "15 Jan 2024"
    assert fmt.date_range("2024-01-15", "2024-01-15") == "15 Jan 2024"
    assert fmt.timestamp("2025-01-31T12:00:00Z") == "31 Jan 2025, 12:00 UTC"
    assert fmt.iso_date(dt.date(2024, 3, 4)) == "2024-03-04"


@pytest.mark.parametrize("value", [None, float("nan"), float("inf")])
def test_missing_values_are_never_zero(value) -> None:
    """A missing statistic reads 'n/a' (or the caller's word), never 0."""
    assert fmt.num(value) == "n/a" and fmt.signed(value, missing="hidden") == "hidden"
