"""Quasi-identifiers: respondent attributes kept only coarsened, and only in groups of k or more.

Age, gender, occupation or a date can single a person out in combination even when none does
alone (privacy-and-reliability.md section 1). A survey may declare such columns; each is
coarsened (age to bands, answers to declared groups, dates to week or month) and then the
declared attributes are checked for k-anonymity together: every combination must be shared by
at least k responses of the file (k >= 5, never lower). Rows in smaller groups are locally
suppressed (all their attributes set to NULL, "suppressed") and counted, so a breakdown can
never isolate fewer than k people. Nothing here is per row in Python.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pandas as pd

from pipeline.ingest.answers import blank_to_none, map_distinct
from pipeline.instruments import normalise_label
from pipeline.survey_config import QuasiIdentifier

SUPPRESSED = "(suppressed)"
OTHER = "other"


def age_bands(values: pd.Series, edges: list[int]) -> pd.Series:
    """ "18-24"-style bands from whole-number ages between consecutive `edges`; below the first
    edge "<18", from the last "65+"; anything that is not a plausible age (0-120) is None."""
    ages = pd.to_numeric(blank_to_none(values), errors="coerce")
    ages = ages.where(ages.between(0, 120) & (ages == ages.round()))
    bounds = [-np.inf, *edges, np.inf]
    labels = [f"<{edges[0]}"]
    labels += [f"{low}-{high - 1}" for low, high in pairwise(edges)]
    labels += [f"{edges[-1]}+"]
    banded = pd.cut(ages, bins=bounds, labels=labels, right=False)
    return banded.astype("object").where(banded.notna(), None)


def grouped(values: pd.Series, groups: dict[str, str]) -> pd.Series:
    """Each answer's declared group (matched ignoring case and spaces); unlisted answers are
    "other", blanks None. Free-text answers ("non-binary", "agender") thus never stand alone."""
    lookup = {normalise_label(answer): group for answer, group in groups.items()}
    return map_distinct(blank_to_none(values), lambda v: lookup.get(normalise_label(v), OTHER))


def coarse_dates(values: pd.Series, unit: str) -> pd.Series:
    """The first day of the week (Monday) or month of each ISO date; None where unreadable."""
    dates = pd.to_datetime(blank_to_none(values), errors="coerce", format="ISO8601")
    period = dates.dt.to_period("W-SUN" if unit == "week" else "M").dt.start_time
    return period.dt.strftime("%Y-%m-%d").astype("object").where(dates.notna(), None)


def coarsen(source: pd.DataFrame, declared: list[QuasiIdentifier]) -> pd.DataFrame:
    """The declared attributes of every row, coarsened; columns named by attribute."""
    out = pd.DataFrame(index=source.index)
    for q in declared:
        if q.kind == "age":
            out[q.name] = age_bands(source[q.column], q.bands)
        elif q.kind == "date":
            out[q.name] = coarse_dates(source[q.column], q.date_unit)
        else:
            out[q.name] = grouped(source[q.column], q.groups)
    return out


def suppress_small_groups(attributes: pd.DataFrame, k: int) -> tuple[pd.DataFrame, int]:
    """(attributes with every row of a combination shared by fewer than `k` rows set to
    SUPPRESSED, how many rows were suppressed). A blank attribute counts as a value of its own.

    Args:
        attributes: coarsened attributes of the rows that will be loaded.
        k: the smallest group that may keep its attributes (at least 5).
    """
    if attributes.empty or attributes.shape[1] == 0:
        return attributes, 0
    keys = attributes.astype("object").fillna("\0blank")
    sizes = keys.groupby(list(keys.columns), dropna=False)[keys.columns[0]].transform("size")
    small = (sizes < k).to_numpy()
    suppressed = attributes.astype("object").copy()
    suppressed.loc[small, :] = SUPPRESSED
    return suppressed, int(small.sum())
