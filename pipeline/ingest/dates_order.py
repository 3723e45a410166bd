"""Day/month order, decided from the file: one order for a whole column of day/month numbers,
settled by a value that can only be read one way, else by the declared order, else an error
saying what to declare (see the `dates` module docstring).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.ingest.dates_excel import group, ints, to_numpy
from pipeline.ingest.dates_kinds import KINDS

MAX_ROWS_NAMED = 5
SIDE = {"dmy": "day-first", "mdy": "month-first"}


class DateOrderError(ValueError):
    """Values in one column contradict each other on day/month order; no value is trusted."""


class AmbiguousDateError(ValueError):
    """No value settles day/month order and none was declared; the message says what to declare."""


def settle_order(text: pa.Array, labels: pd.Index, order, where) -> tuple[str | None, str, list]:
    """(order, how, warnings) for the column's day/month/year values, from their first two
    numbers a and b: settled by the file, else by the declared order, else an error."""
    num = to_numpy(pc.fill_null(pc.match_substring_regex(text, KINDS["num"][0]), False))
    if not num.any():
        return None, "", []
    text, labels = text.filter(num), labels[num]
    x = pc.extract_regex(text, r"^(?P<a>\d\d?)[-/.](?P<b>\d\d?)")
    a, b = ints(group(x, "a")), ints(group(x, "b"))
    day_first = (a > 12) & (a <= 31) & (b >= 1) & (b <= 12)
    month_first = (b > 12) & (b <= 31) & (a >= 1) & (a <= 12)
    if day_first.any() and month_first.any():
        raise DateOrderError(
            f"{where}day/month order conflicts: {_rows(labels[day_first])} can only be "
            f"day-first (first number above 12) but {_rows(labels[month_first])} can only be "
            "month-first (second number above 12), so no value was read; check the export "
            "(it may mix locales) or declare date_format on this source"
        )
    for found, settled in ((day_first, "dmy"), (month_first, "mdy")):
        if found.any():
            said = f"{SIDE[settled]}: settled by a day above 12 in row {labels[found.argmax()]}"
            clash = order in ("dmy", "mdy") and order != settled
            warned = [f"the file settles {settled}, not the declared {order}"] if clash else []
            return settled, said, warned
    ambiguous = (a >= 1) & (a <= 12) & (b >= 1) & (b <= 12) & (a != b)
    if not ambiguous.any():
        return None, "day/month numbers (day equals month in every value)", []
    if order in ("dmy", "mdy"):
        return order, f"{SIDE[order]}: declared date order {order} (no day above 12)", []
    dmy, mdy = _hint(text[int(np.argmax(ambiguous))].as_py())
    raise AmbiguousDateError(
        f"{where}cannot tell day from month: no value has a day above 12; declare date_format: "
        f"'{dmy}' or date_order: dmy on this source (or '{mdy}' / mdy)"
    )


def _hint(sample: str) -> tuple[str, str]:
    """Day-first and month-first strftime formats shaped like one value (never quoted)."""
    parts = re.match(KINDS["num"][1], sample)
    sep, clock = sample[len(parts["a"])], ""
    if parts["H"]:
        clock = (" %I:%M" if parts["p"] else " %H:%M") + (":%S" if parts["S"] else "")
        clock += (".%f" if parts["f"] else "") + (" %p" if parts["p"] else "")
    year = "%Y" if len(parts["y"]) == 4 else "%y"
    return f"%d{sep}%m{sep}{year}{clock}", f"%m{sep}%d{sep}{year}{clock}"


def _rows(labels: pd.Index) -> str:
    """'row 3' or 'rows 3, 9, 12 and 40 more' (index labels, never values)."""
    shown = ", ".join(str(label) for label in labels[:MAX_ROWS_NAMED])
    more = f" and {len(labels) - MAX_ROWS_NAMED} more" if len(labels) > MAX_ROWS_NAMED else ""
    return f"row{'s' if len(labels) > 1 else ''} {shown}{more}"
