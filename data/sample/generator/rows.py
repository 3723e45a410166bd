"""One planned export row, the outcome the pipeline's rules must give each kind of row, and
the seeded draws the plan picks rows and counts with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass
class Row:
    """One planned export row. `kind` is the outcome the pipeline's rules must give it."""

    rid: int
    person: int | None
    cohort: int
    wave: str
    kind: str = "response"
    sgic: tuple[str, ...] = ()
    started: dt.datetime = dt.datetime(2000, 1, 1)
    submitted: dt.datetime = dt.datetime(2000, 1, 1)
    progress: int = 100
    bad_item: str | None = None
    bad_value: str = ""
    skipped: frozenset[str] = frozenset()
    dont_know: frozenset[str] = frozenset()
    comment: str = ""
    response_id: str = ""
    ip: str = ""
    latitude: str = ""
    longitude: str = ""
    typo: bool = False
    twin_of: int | None = None
    values: tuple[str, int, str, int] | None = None


EXPECTED_OUTCOME = {  # row kind -> (status, reason) under the pipeline's rules
    "response": ("loaded", None),
    "preview": ("excluded", "preview"),
    "incomplete": ("excluded", "incomplete"),
    "duplicate": ("excluded", "duplicate_submission"),
    "out_of_range": ("quarantined", "out_of_range"),
    "unknown_label": ("quarantined", "unknown_label"),
    "unknown_cohort": ("quarantined", "unknown_cohort"),
}


def pick(rng: np.random.Generator, rows: Sequence[Row], n: int) -> list[Row]:
    """n distinct rows, in their original order."""
    n = min(n, len(rows))
    chosen = sorted(rng.choice(len(rows), size=n, replace=False).tolist()) if n else []
    return [rows[i] for i in chosen]


def count_between(rng: np.random.Generator, bounds: tuple[int, int]) -> int:
    """An integer in the inclusive range `bounds`."""
    return int(rng.integers(bounds[0], bounds[1] + 1))
