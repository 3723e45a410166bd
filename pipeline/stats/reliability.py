"""Internal consistency of a scale: Cronbach's alpha with Feldt's CI, McDonald's omega total.

Both are computed on item scores after reverse keying (and after the instrument's "don't
know" rule), over complete cases: respondents who answered every item of the scale. Both
depend on the data only through the item covariance matrix and n, so the warehouse build
sends DuckDB's sums and sums of cross-products of the item scores
(`covariance_from_moments`) rather than every answer; the same statistics of a response x
item array (`scale_reliability`) are used by tests and notebooks.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

LEVEL = 0.95
FLAG_BELOW = 0.70


class Reliability(NamedTuple):
    """Result of `scale_reliability` and `reliability_from_moments`."""

    n_complete: int
    n_items: int
    alpha: float
    alpha_ci_low: float
    alpha_ci_high: float
    omega_total: float


def complete_cases(items: np.ndarray) -> np.ndarray:
    """Rows of an (n respondents x k items) array with no missing item (listwise deletion)."""
    matrix = np.asarray(items, dtype=float)
    if matrix.ndim != 2:
        return np.empty((0, 0))
    return matrix[np.isfinite(matrix).all(axis=1)]


def covariance_from_moments(n: int, sums: np.ndarray, cross_products: np.ndarray) -> np.ndarray:
    """Sample covariance matrix of k items from n, the item sums and the sums of products.

    Formula: cov_pq = (sum x_p x_q - sum x_p x sum x_q / n) / (n - 1), with `sums` the k item
    sums and `cross_products` the k x k sums of x_p x_q (row-major, k^2 values) over the n
    complete cases. Computed in double precision; item scores are small numbers, so the
    cancellation error is far below the 1e-9 the tests hold alpha to.

    Missing data: the sums are over complete cases only; n < 2 returns a k x k array of NaN.
    """
    s = np.asarray(sums, dtype=float)
    k = s.size
    products = np.asarray(cross_products, dtype=float).reshape(k, k)
    if n < 2:
        return np.full((k, k), np.nan)
    return (products - np.outer(s, s) / n) / (n - 1)


def alpha_from_covariance(cov: np.ndarray) -> float:
    """Cronbach's coefficient alpha from the item covariance matrix S.

    Formula: alpha = k/(k - 1) x (1 - trace(S) / sum(S)) (= 1 - sum of item variances /
    variance of the item sum), sample variances (n - 1).

    Missing data: complete cases (see `complete_cases`); fewer than 2 items, NaN covariances
    or a sum score with no variance returns NaN.

    Reference: Cronbach LJ (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16(3):297-334.
    """
    s = np.asarray(cov, dtype=float)
    k = s.shape[0] if s.ndim == 2 else 0
    if k < 2 or not np.all(np.isfinite(s)):
        return float("nan")
    total = s.sum()
    if not (total > 0):
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(s) / total))


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of an (n x k) array of item scores (see `alpha_from_covariance`).

    Missing data: listwise, complete cases only (as pingouin.cronbach_alpha with
    nan_policy='listwise'); fewer than 2 complete respondents returns NaN.
    """
    x = complete_cases(items)
    if x.shape[0] < 2 or x.shape[1] < 2:
        return float("nan")
    return alpha_from_covariance(np.cov(x, rowvar=False))


def feldt_interval(alpha: float, n: int, k: int, level: float = LEVEL) -> tuple[float, float]:
    """Feldt's CI of coefficient alpha.

    Formula: with df1 = n - 1 and df2 = (n - 1)(k - 1),
    low = 1 - (1 - alpha) x F(1 - a/2; df1, df2), high = 1 - (1 - alpha) x F(a/2; df1, df2),
    F( ; df1, df2) the F distribution's quantile. Exact when items are parallel and normal
    (pingouin.cronbach_alpha uses the same interval).

    Missing data: as `cronbach_alpha`; alpha NaN, n < 2 or k < 2 returns (NaN, NaN).

    Reference: Feldt LS, Woodruff DJ, Salih FA (1987). Statistical inference for coefficient
    alpha. Appl Psychol Meas 11(1):93-103.
    """
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return float("nan"), float("nan")
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1 - level) / 2
    low = 1 - (1 - alpha) * stats.f.isf(tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.isf(1 - tail, df1, df2)
    return float(low), float(high)


def one_factor_loadings(correlations: np.ndarray, tol: float = 1e-13) -> np.ndarray:
    """Standardised loadings of a one-factor model by iterated principal-axis factoring.

    Method: start from squared multiple correlations as communalities h2 (1 - 1/diag(R^-1);
    the largest absolute correlation of each item when R is singular); repeat: put h2 on the
    diagonal of R, take the first eigenvector v and eigenvalue e, loadings = v sqrt(e),
    h2 = loadings^2 (capped at 1, a Heywood case), until h2 changes by less than `tol`
    (at most 10,000 iterations). At convergence this is the unweighted least-squares
    ("minres") one-factor solution, which minimises the squared off-diagonal residuals (the
    tests check it against a direct least-squares fit). Loadings are signed so that their sum
    is positive.

    Reference: Harman HH (1976). Modern Factor Analysis, 3rd ed. University of Chicago Press.
    """
    r = np.asarray(correlations, dtype=float)
    k = r.shape[0]
    try:
        h2 = 1 - 1 / np.diag(np.linalg.inv(r))
    except np.linalg.LinAlgError:
        h2 = np.max(np.abs(r - np.eye(k)), axis=1)
    h2 = np.clip(h2, 0.0, 1.0)
    loadings = np.sqrt(h2)
    for _ in range(10_000):
        reduced = r.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        updated = np.minimum(loadings**2, 1.0)
        if np.max(np.abs(updated - h2)) < tol:
            break
        h2 = updated
    return loadings if loadings.sum() >= 0 else -loadings


def omega_from_covariance(cov: np.ndarray) -> float:
    """McDonald's omega total of the unit-weighted (raw) scale score, from a one-factor model.

    Formula: fit one factor to the item correlation matrix R = D^-1 S D^-1 by principal-axis
    factoring (`one_factor_loadings`), convert to the items' own metric
    (lambda_i = loading_i x SD_i, psi_i = (1 - loading_i^2) x var_i), then
    omega_total = (sum lambda_i)^2 / ((sum lambda_i)^2 + sum psi_i),
    the share of the sum score's model-implied variance due to the common factor
    (McDonald 1999, eq. 6.20b). Because Ripple's scores are raw sums or means, not sums of
    standardised items, this differs from psych::omega's default (standardised) when item
    SDs differ. Pearson correlations are used; for 4-5-point items an ordinal (polychoric)
    omega would be somewhat higher.

    Missing data: complete cases; fewer than 3 items (a one-factor model needs 3 to be
    identified), NaN covariances (fewer than 3 complete respondents are refused by callers)
    or an item with no variance returns NaN.

    References: McDonald RP (1999). Test Theory: A Unified Treatment. Erlbaum. Flora DB (2020).
    Your coefficient alpha is probably wrong, but which coefficient omega is right? Adv Methods
    Pract Psychol Sci 3(4):484-501.
    """
    s = np.asarray(cov, dtype=float)
    k = s.shape[0] if s.ndim == 2 else 0
    if k < 3 or not np.all(np.isfinite(s)):
        return float("nan")
    variances = np.diag(s)
    if not np.all(variances > 0):
        return float("nan")
    sd = np.sqrt(variances)
    loadings = one_factor_loadings(s / np.outer(sd, sd))
    common = (loadings * sd).sum() ** 2
    unique = ((1 - loadings**2) * variances).sum()
    return float(common / (common + unique))


def omega_total(items: np.ndarray) -> float:
    """McDonald's omega total of an (n x k) array of item scores (see `omega_from_covariance`).

    Missing data: listwise, complete cases only; fewer than 3 complete respondents returns NaN.
    """
    x = complete_cases(items)
    if x.shape[0] < 3:
        return float("nan")
    return omega_from_covariance(np.cov(x, rowvar=False))


def _from_covariance(cov: np.ndarray, n: int, k: int) -> Reliability:
    alpha = alpha_from_covariance(cov) if n >= 2 else float("nan")
    low, high = feldt_interval(alpha, n, k)
    omega = omega_from_covariance(cov) if n >= 3 else float("nan")
    return Reliability(int(n), int(k), alpha, low, high, omega)


def scale_reliability(items: np.ndarray) -> Reliability:
    """Alpha, its Feldt CI and omega total of one scale at one wave, from an (n x k) array of
    item scores (complete cases are kept; see each function)."""
    x = complete_cases(items)
    n, k = x.shape
    cov = np.cov(x, rowvar=False) if n >= 2 else np.full((k, k), np.nan)
    return _from_covariance(np.atleast_2d(cov), n, k)


def reliability_from_moments(n: int, sums: np.ndarray, cross_products: np.ndarray) -> Reliability:
    """Alpha, its Feldt CI and omega total from n complete cases' item sums and sums of
    cross-products (`covariance_from_moments`); what the warehouse build computes."""
    k = int(np.asarray(sums).size)
    return _from_covariance(covariance_from_moments(n, sums, cross_products), n, k)
