"""Confidence intervals: for a mean (Student's t) and for standardised effects (noncentral t).

A standardised effect is a t statistic divided by a known constant, so its CI comes from the
CI of the t distribution's noncentrality parameter: find the noncentralities lambda_low and
lambda_high at which the observed t sits at the 97.5th and 2.5th percentiles, then divide by
the same constant. This is exact under normality for d_z and for d_s with equal variances
(Steiger & Fouladi 1997; Cumming & Finch 2001), and is Algina & Keselman's (2003) approximation
for d_av.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats

LEVEL = 0.95


def t_interval(mean: float, sd: float, n: int, level: float = LEVEL) -> tuple[float, float]:
    """CI of a mean from Student's t: mean +/- t(1 - a/2, n - 1) x SD / sqrt(n).

    Missing data: complete values only; n < 2 returns (NaN, NaN).

    Reference: any statistics text; scipy.stats.ttest_1samp(...).confidence_interval agrees.
    """
    if n < 2 or not np.isfinite(sd):
        return float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
    return float(mean - half), float(mean + half)


def noncentrality_interval(t: float, df: float, level: float = LEVEL) -> tuple[float, float]:
    """CI of the noncentrality parameter lambda of a noncentral t, given an observed t.

    Formula: lambda_low solves F(t; df, lambda_low) = 1 - a/2 and lambda_high solves
    F(t; df, lambda_high) = a/2, where F is the noncentral t CDF (scipy.special.nctdtr, the
    function behind scipy.stats.nct.cdf; decreasing in lambda). Each root is found by Brent's
    method (scipy.optimize.brentq) after widening a bracket around t until the sign changes;
    the bracket starts at about four standard deviations of T, and far in the tails, where
    nctdtr can return NaN, the CDF is taken as 1 (lambda below t) or 0 (lambda above t).

    Missing data: a non-finite t or df < 1 returns (NaN, NaN).

    References: Steiger JH, Fouladi RT (1997). Noncentrality interval estimation and the
    evaluation of statistical models. In Harlow, Mulaik & Steiger (eds), What If There Were No
    Significance Tests? Erlbaum. Cumming G, Finch S (2001). A primer on the understanding, use,
    and calculation of confidence intervals that are based on central and noncentral
    distributions. Educ Psychol Meas 61(4):532-574.
    """
    if not np.isfinite(t) or not np.isfinite(df) or df < 1:
        return float("nan"), float("nan")
    upper_tail = 0.5 + level / 2
    low = _solve_noncentrality(t, df, upper_tail)
    high = _solve_noncentrality(t, df, 1 - upper_tail)
    return low, high


def _solve_noncentrality(t: float, df: float, probability: float) -> float:
    """The lambda with nct.cdf(t, df, lambda) = probability (the CDF falls as lambda rises)."""

    def gap(ncp: float) -> float:
        cdf = float(special.nctdtr(df, ncp, t))
        if not np.isfinite(cdf):  # far in a tail, where nctdtr can underflow to NaN
            cdf = 1.0 if ncp < t else 0.0
        return cdf - probability

    step = 2.0 + 4.0 * np.sqrt(1.0 + t * t / (2.0 * df))
    lo, hi = t - step, t + step
    for _ in range(60):
        if gap(lo) > 0 > gap(hi):
            return float(optimize.brentq(gap, lo, hi, xtol=1e-12, rtol=1e-12, maxiter=500))
        step *= 2
        lo, hi = t - step, t + step
    return float("nan")


def d_z_interval(d: float, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Noncentral-t CI of the paired effect d_z.

    Formula: t = d_z x sqrt(n) with df = n - 1; CI = [lambda_low, lambda_high] / sqrt(n)
    (see `noncentrality_interval`). Exact when the differences are normal.

    Missing data: n < 2 or d_z NaN returns (NaN, NaN).

    Reference: Cumming & Finch (2001); Lakens (2013), for d_z.
    """
    if n < 2 or not np.isfinite(d):
        return float("nan"), float("nan")
    root_n = np.sqrt(n)
    low, high = noncentrality_interval(d * root_n, n - 1, level)
    return low / root_n, high / root_n


def d_av_interval(
    mean_change: float,
    sd_change: float,
    sd_from: float,
    sd_to: float,
    n: int,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Algina & Keselman's approximate CI of the paired effect d_av (as used by Cumming 2012).

    Formula: the paired t = mean(D) / (SD(D) / sqrt(n)) has df = n - 1; its noncentrality CI
    [lambda_low, lambda_high] is rescaled to the d_av metric by treating the ratio of SD(D) to
    the root-mean-square SD of the waves as known:
    CI = [lambda_low, lambda_high] x SD(D) / (sqrt(n) x sqrt((SD_from^2 + SD_to^2) / 2)).
    Approximate, because that ratio is estimated; Algina & Keselman found coverage close to
    95% for n >= 10 unless the waves' correlation is extreme.

    Missing data: complete pairs; n < 2, SD(D) = 0 or both wave SDs 0 returns (NaN, NaN).

    References: Algina J, Keselman HJ (2003). Approximate confidence intervals for effect sizes.
    Educ Psychol Meas 63(4):537-553. Cumming G (2012). Understanding the New Statistics, ch. 8.
    """
    rms = np.sqrt((sd_from**2 + sd_to**2) / 2)
    if n < 2 or not (sd_change > 0) or not (rms > 0):
        return float("nan"), float("nan")
    t = mean_change / (sd_change / np.sqrt(n))
    low, high = noncentrality_interval(t, n - 1, level)
    factor = sd_change / (np.sqrt(n) * rms)
    return low * factor, high * factor


def d_s_interval(d: float, n_1: int, n_2: int, level: float = LEVEL) -> tuple[float, float]:
    """Noncentral-t CI of the two-group effect d_s (pooled SD).

    Formula: t = d_s x sqrt(n_1 n_2 / (n_1 + n_2)) with df = n_1 + n_2 - 2;
    CI = [lambda_low, lambda_high] x sqrt(1/n_1 + 1/n_2). Exact for normal data with equal
    variances. It is the CI of the population delta, which both d_s and Hedges' g_s estimate,
    so Ripple reports it with g_s without rescaling by J.

    Missing data: either group with fewer than 1 value, df < 1 or d NaN returns (NaN, NaN).

    Reference: Hedges LV, Olkin I (1985). Statistical Methods for Meta-Analysis, ch. 5;
    Cumming & Finch (2001).
    """
    if n_1 < 1 or n_2 < 1 or n_1 + n_2 < 3 or not np.isfinite(d):
        return float("nan"), float("nan")
    scale = np.sqrt(1 / n_1 + 1 / n_2)
    low, high = noncentrality_interval(d / scale, n_1 + n_2 - 2, level)
    return low * scale, high * scale


def welch_interval(
    difference: float,
    sd_1: float,
    n_1: int,
    sd_2: float,
    n_2: int,
    df: float,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Welch CI of a difference in two independent means.

    Formula: difference +/- t(1 - a/2, df) x sqrt(SD_1^2/n_1 + SD_2^2/n_2), df the
    Welch-Satterthwaite df (`ttests.welch_t`); scipy's ttest_ind(equal_var=False)
    .confidence_interval() agrees.

    Missing data: a NaN df (a group with fewer than 2 values) returns (NaN, NaN).

    Reference: Welch (1947).
    """
    if not np.isfinite(df) or n_1 < 2 or n_2 < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, df) * np.sqrt(sd_1**2 / n_1 + sd_2**2 / n_2)
    return float(difference - half), float(difference + half)
