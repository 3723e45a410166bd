"""Small helpers shared by the summary modules."""

from __future__ import annotations

from typing import Any

import numpy as np


def finite(values: np.ndarray) -> np.ndarray:
    """The finite values of `values`, flattened (NaN = missing, dropped)."""
    x = np.asarray(values, dtype=float).ravel()
    return x[np.isfinite(x)]


def sd(values: np.ndarray) -> float:
    """Sample standard deviation (n - 1); NaN with fewer than 2 values."""
    return float(values.std(ddof=1)) if values.size >= 2 else float("nan")


def mean(values: np.ndarray) -> float:
    """Mean; NaN when empty."""
    return float(values.mean()) if values.size else float("nan")


def flatten(summary: dict[str, Any]) -> dict[str, Any]:
    """Split each (low, high) interval into `<name>_low` / `<name>_high` fields."""
    flat: dict[str, Any] = {}
    for key, value in summary.items():
        if isinstance(value, tuple):
            flat[f"{key}_low"], flat[f"{key}_high"] = value
        else:
            flat[key] = value
    return flat
