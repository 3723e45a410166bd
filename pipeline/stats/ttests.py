"""Student's paired t-test and Welch's unequal-variance t-test, from summary statistics."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats


class TTest(NamedTuple):
    """A t statistic, its degrees of freedom and its two-sided p-value."""

    t: float
    df: float
    p: float


NAN_TEST = TTest(float("nan"), float("nan"), float("nan"))


def paired_t(mean_change: float, sd_change: float, n: int) -> TTest:
    """Paired t-test of H0: mean change = 0.

    Formula: t = mean(D) / (SD(D) / sqrt(n)), df = n - 1, p = 2 x P(T_df > |t|). D is signed so
    positive = improvement, so t is too. Same as scipy.stats.ttest_rel(later, earlier) with the
    sign flipped for lower-is-better scales.

    Missing data: complete pairs; n < 2 or SD(D) = 0 returns NaN.

    Reference: Student (1908), Biometrika 6(1):1-25.
    """
    if n < 2 or not (sd_change > 0):
        return NAN_TEST
    t = mean_change / (sd_change / np.sqrt(n))
    return TTest(float(t), float(n - 1), float(2 * stats.t.sf(abs(t), n - 1)))


def welch_t(
    mean_1: float, sd_1: float, n_1: int, mean_2: float, sd_2: float, n_2: int, sign: float = 1
) -> TTest:
    """Welch's t-test of H0: mean_2 = mean_1, not assuming equal variances.

    Formula: t = sign x (mean_2 - mean_1) / sqrt(SD_1^2/n_1 + SD_2^2/n_2), with the
    Welch-Satterthwaite df = (v_1 + v_2)^2 / (v_1^2/(n_1 - 1) + v_2^2/(n_2 - 1)),
    v_i = SD_i^2 / n_i; p = 2 x P(T_df > |t|). Same as scipy.stats.ttest_ind(group_2, group_1,
    equal_var=False).

    It assumes independent groups. Between waves of the same programme the linked people
    answer both, so the groups overlap and, with positively correlated scores, p is
    conservative; the paired analysis is the one powered on the change.

    Missing data: each group's complete values; a group with fewer than 2 values or both SDs 0
    returns NaN.

    Reference: Welch BL (1947). The generalization of "Student's" problem when several
    different population variances are involved. Biometrika 34(1-2):28-35.
    """
    if n_1 < 2 or n_2 < 2:
        return NAN_TEST
    v_1, v_2 = sd_1**2 / n_1, sd_2**2 / n_2
    if not (v_1 + v_2 > 0):
        return NAN_TEST
    t = sign * (mean_2 - mean_1) / np.sqrt(v_1 + v_2)
    df = (v_1 + v_2) ** 2 / (v_1**2 / (n_1 - 1) + v_2**2 / (n_2 - 1))
    return TTest(float(t), float(df), float(2 * stats.t.sf(abs(t), df)))
