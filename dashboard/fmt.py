"""Numbers as the dashboard shows them: rounded once, with true minus signs.

Pure functions (no Streamlit, no DuckDB), shared by tables, charts, wording, downloads and the
report. The rules, applied everywhere:

- **Round once.** `rounded` rounds half away from zero (1.25 -> 1.3, as people expect) at a
  fixed precision per kind of number (`DIGITS`); every displayed number goes through it, and a
  difference that is shown next to its two ends is computed from the *rounded* ends
  (`derived_improvement`), so "61.2 to 68.0 (+6.8)" always adds up.
- **True minus sign** (U+2212) for negative numbers in text and on chart axes; a value that
  rounds to zero is shown as 0 without a sign. CSV downloads keep numbers as numbers.
- **Shares that add up.** Parts of one whole are rounded by the largest-remainder method
  (`percentages_adding_up`), so they add up to 100%.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

#: The true minus sign.
MINUS = "\u2212"
#: The en dash of a range ("0–100").
DASH = "\u2013"

#: Decimals per kind of number: scores and changes in scale points, effect sizes (d_z, d_av,
#: g_z, slopes in d per year), reliabilities, percentages.
DIGITS = {"score": 1, "effect": 2, "reliability": 2, "percent": 0, "tau2": 3}


def is_missing(value: Any) -> bool:
    """True for None, NaN, pd.NA and NaT (a hidden or unavailable statistic)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number_or_none(value: Any) -> float | None:
    """A finite float, or None for a missing/infinite value (never 0)."""
    if is_missing(value):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def rounded(value: Any, digits: int) -> float | None:
    """`value` rounded half away from zero to `digits` decimals; None when missing.

    Example:
        >>> rounded(2.25, 1), rounded(-2.25, 1), rounded(None, 1)
        (2.3, -2.3, None)
    """
    number = number_or_none(value)
    if number is None:
        return None
    quantum = Decimal(1).scaleb(-digits)
    result = float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))
    return 0.0 if result == 0 else result


def _text(number: float, digits: int, plus: bool) -> str:
    """A rounded number as text with thousands separators and a true minus sign."""
    if number == 0:
        return f"{0:.{digits}f}"
    body = f"{abs(number):,.{digits}f}"
    if number < 0:
        return MINUS + body
    return ("+" + body) if plus else body


def num(value: Any, digits: int = 1, missing: str = "n/a") -> str:
    """A number rounded to `digits` decimals, e.g. 1,234.5 or −0.6 (true minus sign).

    Example:
        >>> num(-0.61), num(0.04), num(-0.04), num(1234.55)
        ('−0.6', '0.0', '0.0', '1,234.6')
    """
    number = rounded(value, digits)
    return missing if number is None else _text(number, digits, plus=False)


def signed(value: Any, digits: int = 1, missing: str = "n/a") -> str:
    """A change with its sign: +6.8, −0.6, or 0.0 when it rounds to zero."""
    number = rounded(value, digits)
    return missing if number is None else _text(number, digits, plus=True)


def score(value: Any, missing: str = "n/a") -> str:
    """A mean score or a change in scale points (one decimal)."""
    return num(value, DIGITS["score"], missing)


def effect(value: Any, missing: str = "n/a") -> str:
    """An effect size (d_z, d_av, g_z, d_s) with two decimals: 0.45, −0.10."""
    return num(value, DIGITS["effect"], missing)


def count(value: Any, missing: str = "n/a") -> str:
    """A count of people or records: 1,204."""
    number = number_or_none(value)
    return missing if number is None else f"{round(number):,}"


def percent(share: Any, missing: str = "n/a") -> str:
    """A share (0..1) as a whole percentage: 82%."""
    number = rounded(None if is_missing(share) else float(share) * 100, DIGITS["percent"])
    return missing if number is None else f"{_text(number, 0, plus=False)}%"


def p_value(p: Any, missing: str = "n/a") -> str:
    """A p value as reported in text: 'p < .001', 'p = .03', 'p = .42'."""
    number = number_or_none(p)
    if number is None:
        return missing
    if number < 0.001:
        return "p < .001"
    digits = 3 if number < 0.01 else 2
    return "p = " + f"{number:.{digits}f}".lstrip("0")


def interval(low: Any, high: Any, digits: int = 1, plus: bool = False) -> str:
    """A confidence interval: '0.36 to 0.54', '+5.3 to +8.3', or 'n/a'."""
    fmt = signed if plus else num
    if number_or_none(low) is None or number_or_none(high) is None:
        return "n/a"
    return f"{fmt(low, digits)} to {fmt(high, digits)}"


def score_range(score_min: Any, score_max: Any) -> str:
    """A scale's range with an en dash: '0–100', '3–9'."""
    low = num(score_min, _range_digits(score_min))
    return f"{low}{DASH}{num(score_max, _range_digits(score_max))}"


def _range_digits(value: Any) -> int:
    """0 decimals for whole-number ends of a range, else 1."""
    number = number_or_none(value)
    return 0 if number is None or float(number).is_integer() else 1


def derived_improvement(mean_from: Any, mean_to: Any, higher_is_better: bool) -> float | None:
    """The change shown beside two rounded means: rounded(to) − rounded(from), signed so that
    positive = improvement (multiplied by −1 when lower scores are better).

    This is the one place a displayed difference is made, so "61.2 to 68.0 (+6.8)" adds up
    whatever the unrounded values were (22.94 to 25.66 shows 22.9 to 25.7 (+2.8), not +2.7).

    Example:
        >>> derived_improvement(22.94, 25.66, True), derived_improvement(5.94, 5.31, False)
        (2.8, 0.6)
    """
    digits = DIGITS["score"]
    start, end = rounded(mean_from, digits), rounded(mean_to, digits)
    if start is None or end is None:
        return None
    sign = 1 if higher_is_better else -1
    return rounded(sign * (end - start), digits)


def percentages_adding_up(shares: Sequence[Any]) -> list[int | None]:
    """Whole percentages of parts of one whole that add up to 100 (largest remainder).

    Shares are fractions (0..1). When any share is missing (hidden) or the shares do not make
    a whole (sum outside 0.999..1.001), each is rounded on its own and missing ones stay None.

    Example:
        >>> percentages_adding_up([0.335, 0.335, 0.33])
        [34, 33, 33]
    """
    values = [number_or_none(share) for share in shares]
    if any(v is None for v in values) or not values or abs(sum(values) - 1) > 1e-3:
        return [None if v is None else int(rounded(v * 100, 0)) for v in values]
    raw = [v * 100 for v in values]
    floors = [math.floor(r) for r in raw]
    left = 100 - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for index in order[:left]:
        floors[index] += 1
    return floors


def date(value: Any) -> str:
    """A date as '15 Jan 2024'; missing dates read 'unknown'."""
    if is_missing(value):
        return "unknown"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, pd.Timestamp):
        value = value.date()
    return f"{value.day} {value:%b %Y}"


def date_range(first: Any, last: Any) -> str:
    """'15 Jan 2024 to 20 Nov 2024', or one date when both are the same."""
    if date(first) == date(last):
        return date(first)
    return f"{date(first)} to {date(last)}"


def timestamp(value: str | None) -> str:
    """An ISO UTC timestamp as '25 Nov 2026, 00:14 UTC' (unparseable text is shown as is)."""
    if not value:
        return "unknown"
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def iso_date(value: Any) -> str | None:
    """An ISO date string (for a Plotly date axis or a URL), or None when missing."""
    if is_missing(value):
        return None
    return pd.Timestamp(value).date().isoformat()
