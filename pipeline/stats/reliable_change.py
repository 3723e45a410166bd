"""Jacobson-Truax reliable change: who changed by more than measurement error."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

CRITICAL = 1.96


def se_difference(sd_baseline: float, reliability: float) -> float:
    """Standard error of a difference between two scores (Jacobson & Truax 1991).

    Formula: SE_measurement = SD_baseline x sqrt(1 - r_xx); S_diff = sqrt(2) x SE_measurement
    = SD_baseline x sqrt(2) x sqrt(1 - r_xx).

    Ripple uses the SD of every scored baseline response of the programme on the scale, and
    r_xx = the reliability the instrument declares (published) when it declares one, else the
    programme's Cronbach's alpha at baseline (mart_reliability); mart_paired_stats records
    which in `reliability_source`.

    Missing data: r_xx outside (0, 1), or a SD that is NaN or 0, returns NaN (no reliable
    change is reported rather than one on a meaningless yardstick).

    Reference: Jacobson NS, Truax P (1991). Clinical significance: a statistical approach to
    defining meaningful change in psychotherapy research. J Consult Clin Psychol 59(1):12-19.
    """
    if not (0 < reliability < 1) or not (sd_baseline > 0):
        return float("nan")
    return float(sd_baseline * np.sqrt(2) * np.sqrt(1 - reliability))


class ReliableChange(NamedTuple):
    """Counts of people reliably improved, unchanged and reliably deteriorated."""

    n_improved: int | None
    n_unchanged: int | None
    n_deteriorated: int | None


def classify(changes: np.ndarray, se_diff: float) -> ReliableChange:
    """Count reliable improvement and deterioration by the reliable change index.

    Formula: RCI_i = D_i / S_diff, D signed so positive = improvement; reliably improved when
    RCI > 1.96, reliably deteriorated when RCI < -1.96, otherwise unchanged (two-sided 5%).

    Missing data: complete pairs only (NaN changes are not counted); S_diff NaN or <= 0
    returns None counts (SQL NULL).

    Reference: Jacobson & Truax (1991).
    """
    d = np.asarray(changes, dtype=float)
    d = d[np.isfinite(d)]
    if not (se_diff > 0):
        return ReliableChange(None, None, None)
    rci = d / se_diff
    improved = int(np.count_nonzero(rci > CRITICAL))
    deteriorated = int(np.count_nonzero(rci < -CRITICAL))
    return ReliableChange(improved, int(d.size) - improved - deteriorated, deteriorated)
