"""Standardised mean differences: d_z, d_av and d_s, and Hedges' small-sample correction J.

All are signed by the caller so that positive = improvement (see `pipeline.stats`).
"""

from __future__ import annotations

import numpy as np
from scipy import special

ArrayLike = float | np.ndarray


def hedges_j(df: ArrayLike) -> ArrayLike:
    """Hedges' exact small-sample correction factor J(df).

    Formula (Hedges 1981, eq. 6e): J(m) = Gamma(m/2) / (sqrt(m/2) * Gamma((m - 1)/2)),
    computed through log-gamma so large m does not overflow. g = J(df) x d is then an unbiased
    estimate of the population effect under normality. The familiar approximation
    1 - 3/(4m - 1) differs from the exact value by 0.0004 at m = 9 and 0.00001 at m = 49.
    Ripple uses the exact form.

    Missing data: df < 2 has no finite J; returns NaN.

    Args:
        df: degrees of freedom of the SD in the denominator (n - 1 for d_z,
            n1 + n2 - 2 for d_s).

    Reference: Hedges LV (1981). Distribution theory for Glass's estimator of effect size and
    related estimators. J Educ Stat 6(2):107-128.

    >>> round(float(hedges_j(9)), 6)
    0.913875
    """
    m = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        safe = np.where(m >= 2, m, np.nan)
        j = np.exp(special.gammaln(safe / 2) - special.gammaln((safe - 1) / 2)) / np.sqrt(safe / 2)
    return j if j.ndim else float(j)


def d_z(mean_change: float, sd_change: float) -> float:
    """Cohen's d_z for paired data: mean of the differences / SD of the differences.

    Formula: d_z = mean(D) / SD(D), D = (later - earlier) x direction sign, SD with n - 1.
    The paired t statistic is t = d_z x sqrt(n) (Lakens 2013, eq. 6). It is the effect a
    paired test is powered on, and is larger than d_av whenever the waves correlate above .5,
    so Cohen's between-group benchmarks (0.2 / 0.5 / 0.8) do not apply to it.

    Missing data: computed over complete pairs only; SD = 0 or NaN returns NaN.

    Reference: Lakens D (2013). Calculating and reporting effect sizes to facilitate cumulative
    science. Front Psychol 4:863.
    """
    if not np.isfinite(sd_change) or sd_change <= 0:
        return float("nan")
    return float(mean_change / sd_change)


def d_av(mean_change: float, sd_from: float, sd_to: float) -> float:
    """Cohen's d_av for paired data, standardised by the root mean square of the waves' SDs.

    Formula: d_av = mean(D) / sqrt((SD_from^2 + SD_to^2) / 2). This is the denominator of
    Algina & Keselman (2003) and Cumming (2012), and of pingouin's paired 'cohen' effect size;
    Lakens (2013) also describes an arithmetic mean of the two SDs, which differs slightly
    when the SDs differ. Unlike d_z it is on the scale of a between-group d, so it can be set
    beside the d of controlled studies.

    Missing data: complete pairs only; both SDs 0 returns NaN.

    References: Algina J, Keselman HJ (2003). Approximate confidence intervals for effect sizes.
    Educ Psychol Meas 63(4):537-553. Cumming G (2012). Understanding the New Statistics.
    Routledge, ch. 8.
    """
    rms = np.sqrt((sd_from**2 + sd_to**2) / 2)
    if not np.isfinite(rms) or rms <= 0:
        return float("nan")
    return float(mean_change / rms)


def d_s(mean_difference: float, sd_1: float, n_1: int, sd_2: float, n_2: int) -> float:
    """Cohen's d_s for two independent groups, standardised by the pooled SD.

    Formula: d_s = (mean_2 - mean_1) / S_pooled,
    S_pooled = sqrt(((n_1 - 1) SD_1^2 + (n_2 - 1) SD_2^2) / (n_1 + n_2 - 2)).
    Hedges' g_s = J(n_1 + n_2 - 2) x d_s (see `hedges_j`).

    Missing data: each group's complete values; fewer than 3 values in all, or a pooled SD of
    0, returns NaN.

    Reference: Lakens (2013), eq. 1; Hedges (1981).
    """
    df = n_1 + n_2 - 2
    if df < 1:
        return float("nan")
    pooled = np.sqrt(((n_1 - 1) * sd_1**2 + (n_2 - 1) * sd_2**2) / df)
    if not np.isfinite(pooled) or pooled <= 0:
        return float("nan")
    return float(mean_difference / pooled)
