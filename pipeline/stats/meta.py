"""Across cohorts: DerSimonian-Laird random-effects pooling, heterogeneity, and a
meta-regression trend of cohort effects over time."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

LEVEL = 0.95
Z = float(stats.norm.ppf(0.5 + LEVEL / 2))


def d_z_variance(d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Large-sample sampling variance of d_z: v = 1/n + d_z^2 / (2n).

    Missing data: n < 2 gives NaN (the cohort is left out of pooling).

    Reference: Lakens (2013); Borenstein M, Hedges LV, Higgins JPT, Rothstein HR (2009).
    Introduction to Meta-Analysis. Wiley, ch. 4.
    """
    d, n = np.asarray(d, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n >= 2, 1 / n + d**2 / (2 * n), np.nan)


class Pooled(NamedTuple):
    """Result of `dersimonian_laird`."""

    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p: float
    hk_ci_low: float
    hk_ci_high: float
    prediction_low: float
    prediction_high: float
    q: float
    q_df: int
    q_p: float
    i2_percent: float
    tau2: float


def _valid(*arrays: np.ndarray) -> np.ndarray:
    mask = np.ones(np.asarray(arrays[0]).shape, dtype=bool)
    for a in arrays:
        mask &= np.isfinite(np.asarray(a, dtype=float))
    return mask


def dersimonian_laird(effects: np.ndarray, variances: np.ndarray) -> Pooled:
    """Random-effects pooled estimate by DerSimonian & Laird's method of moments.

    Formula: w_i = 1/v_i; fixed-effect mean m = sum w y / sum w;
    Q = sum w (y - m)^2 with k - 1 df (p from chi-square);
    tau^2 = max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w));
    I^2 = max(0, (Q - (k - 1)) / Q) x 100;
    w*_i = 1/(v_i + tau^2); pooled mu = sum w* y / sum w*, SE = 1/sqrt(sum w*),
    95% CI mu +/- 1.96 SE and z test (the classic DL interval, as statsmodels'
    combine_effects(method_re='dl') and metafor's rma(method='DL')).
    Also the Hartung-Knapp(-Sidik-Jonkman) CI, mu +/- t(k-1) x SE x sqrt(s2),
    s2 = sum w* (y - mu)^2 / (k - 1) (statsmodels' HKSJ, metafor's test = 'knha'), which keeps
    its 95% coverage with few, heterogeneous cohorts where the classic interval falls short
    (IntHout et al. 2014; Ripple's coverage simulation shows both); and the
    95% prediction interval for a new cohort's effect, mu +/- t(k-2) x sqrt(tau^2 + SE^2)
    (Higgins et al. 2009; needs k >= 3).

    Missing data: cohorts whose effect or variance is NaN (fewer than 2 people, no spread) are
    left out; fewer than 2 cohorts left returns NaN (k says how many there were).

    References: DerSimonian R, Laird N (1986). Meta-analysis in clinical trials. Control Clin
    Trials 7(3):177-188. Higgins JPT, Thompson SG (2002). Quantifying heterogeneity in a
    meta-analysis. Stat Med 21:1539-1558. Hartung J, Knapp G (2001). Stat Med 20:3875-3889.
    Higgins JPT, Thompson SG, Spiegelhalter DJ (2009). J R Stat Soc A 172:137-159.
    IntHout J, Ioannidis JPA, Borm GF (2014). The Hartung-Knapp-Sidik-Jonkman method for random
    effects meta-analysis is straightforward and considerably outperforms the standard
    DerSimonian-Laird method. BMC Med Res Methodol 14:25.
    """
    y, v = np.asarray(effects, dtype=float), np.asarray(variances, dtype=float)
    keep = _valid(y, v) & (v > 0)
    y, v = y[keep], v[keep]
    k = int(y.size)
    nan = float("nan")
    if k < 2:
        return Pooled(k, *([nan] * 11), max(k - 1, 0), nan, nan, nan)
    w = 1 / v
    fixed = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - fixed) ** 2))
    df = k - 1
    tau2 = max(0.0, (q - df) / (np.sum(w) - np.sum(w**2) / np.sum(w)))
    i2 = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    w_star = 1 / (v + tau2)
    mu = float(np.sum(w_star * y) / np.sum(w_star))
    se = float(1 / np.sqrt(np.sum(w_star)))
    z = mu / se
    s2 = float(np.sum(w_star * (y - mu) ** 2)) / df
    hk_se = se * np.sqrt(s2)
    hk_half = stats.t.ppf(0.5 + LEVEL / 2, df) * hk_se
    if k >= 3:
        pi_half = stats.t.ppf(0.5 + LEVEL / 2, k - 2) * np.sqrt(tau2 + se**2)
        prediction = (mu - pi_half, mu + pi_half)
    else:
        prediction = (nan, nan)
    return Pooled(
        k,
        mu,
        se,
        mu - Z * se,
        mu + Z * se,
        z,
        float(2 * stats.norm.sf(abs(z))),
        float(mu - hk_half),
        float(mu + hk_half),
        float(prediction[0]),
        float(prediction[1]),
        q,
        df,
        float(stats.chi2.sf(q, df)),
        float(i2),
        float(tau2),
    )


class Trend(NamedTuple):
    """Result of `meta_regression`."""

    k: int
    slope: float
    se: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    p: float
    tau2_residual: float


def meta_regression(effects: np.ndarray, variances: np.ndarray, x: np.ndarray) -> Trend:
    """Mixed-effects meta-regression of cohort effects on one moderator (time, in years).

    Model: y_i = b0 + b1 x_i + u_i + e_i, u_i ~ N(0, tau^2_res), e_i ~ N(0, v_i).
    tau^2_res by the method of moments that generalises DerSimonian-Laird (Raudenbush 2009;
    metafor rma(method = 'DL', mods = ~x)): with W = diag(1/v) and the fixed-effect weighted
    least-squares residual statistic Q_E = y' P y, P = W - W X (X'WX)^-1 X'W,
    tau^2_res = max(0, (Q_E - (k - 2)) / tr(P)).
    Then weighted least squares with w*_i = 1/(v_i + tau^2_res) gives b1; its CI and test use
    the Knapp-Hartung variance s^2 (X'W*X)^-1, s^2 = sum w* e^2 / (k - 2), with a t
    distribution on k - 2 df (metafor's test = 'knha'), because with a handful of cohorts a
    normal-theory interval is too narrow.

    Missing data: cohorts with a NaN effect, variance or date are left out; fewer than 3
    cohorts, or all at one date, returns NaN (k says how many were usable).

    References: Raudenbush SW (2009). Analyzing effect sizes: random-effects models. In Cooper,
    Hedges & Valentine (eds), The Handbook of Research Synthesis and Meta-Analysis, 2nd ed.
    Knapp G, Hartung J (2003). Improved tests for a random effects meta-regression with a
    single covariate. Stat Med 22:2693-2710.
    """
    y, v, t = (np.asarray(a, dtype=float) for a in (effects, variances, x))
    keep = _valid(y, v, t) & (v > 0)
    y, v, t = y[keep], v[keep], t[keep]
    k = int(y.size)
    nan = float("nan")
    if k < 3 or np.ptp(t) == 0:
        return Trend(k, nan, nan, nan, nan, nan, max(k - 2, 0), nan, nan)
    design = np.column_stack([np.ones(k), t])
    w = 1 / v
    xtwx_inv = np.linalg.inv(design.T @ (design * w[:, None]))
    projection = np.diag(w) - (design * w[:, None]) @ xtwx_inv @ (design * w[:, None]).T
    q_e = float(y @ projection @ y)
    tau2 = max(0.0, (q_e - (k - 2)) / float(np.trace(projection)))
    w_star = 1 / (v + tau2)
    cov = np.linalg.inv(design.T @ (design * w_star[:, None]))
    b = cov @ (design.T @ (w_star * y))
    residuals = y - design @ b
    s2 = float(np.sum(w_star * residuals**2) / (k - 2))
    se = float(np.sqrt(s2 * cov[1, 1]))
    df = k - 2
    half = stats.t.ppf(0.5 + LEVEL / 2, df) * se
    tstat = float(b[1] / se) if se > 0 else nan
    p = float(2 * stats.t.sf(abs(tstat), df)) if se > 0 else nan
    return Trend(k, float(b[1]), se, float(b[1] - half), float(b[1] + half), tstat, df, p, tau2)


def trend_reading(trend: Trend, unit: str = "d_z") -> str:
    """The trend in words, for a reader who does not read confidence intervals.

    Significant means the 95% CI of the slope excludes 0 (equivalently p < .05). Effects are
    signed so positive = improvement, so a positive slope means later cohorts improved more.
    """
    if not np.isfinite(trend.slope):
        return (
            f"No trend estimated: {trend.k} usable cohort(s); a trend needs at least 3 cohorts "
            "on at least 2 dates."
        )
    words = "larger" if trend.slope > 0 else "smaller"
    span = (
        f"{trend.slope:+.2f} {unit} per year (95% CI {trend.ci_low:+.2f} to "
        f"{trend.ci_high:+.2f}; {trend.k} cohorts)"
    )
    if trend.ci_low > 0 or trend.ci_high < 0:
        return f"Later cohorts show {words} improvements: {span}; statistically significant."
    return (
        f"No clear trend over time: {span}; not statistically significant, the interval "
        "includes no change."
    )
