"""Internal consistency of a scale: Cronbach's alpha with Feldt's CI, McDonald's omega total.

Both are computed on item scores after reverse keying (and after the instrument's "don't
know" rule), over complete cases: respondents who answered every item of the scale.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats

LEVEL = 0.95
FLAG_BELOW = 0.70


class Reliability(NamedTuple):
    """Result of `scale_reliability`."""

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


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's coefficient alpha.

    Formula: alpha = k/(k - 1) x (1 - sum_i var(X_i) / var(sum_i X_i)), sample variances
    (n - 1), over k items.

    Missing data: listwise, complete cases only (pingouin.cronbach_alpha's default drops
    incomplete rows too); fewer than 2 items or 2 complete respondents, or a total score with
    no variance, returns NaN.

    Reference: Cronbach LJ (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika 16(3):297-334.
    """
    x = complete_cases(items)
    n, k = x.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = x.sum(axis=1).var(ddof=1)
    if not (total_var > 0):
        return float("nan")
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total_var))


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


def omega_total(items: np.ndarray) -> float:
    """McDonald's omega total of the unit-weighted (raw) scale score, from a one-factor model.

    Formula: fit one factor to the item correlation matrix by principal-axis factoring
    (`one_factor_loadings`), convert to the items' own metric (lambda_i = loading_i x SD_i,
    psi_i = (1 - loading_i^2) x var_i), then
    omega_total = (sum lambda_i)^2 / ((sum lambda_i)^2 + sum psi_i),
    the share of the sum score's model-implied variance due to the common factor
    (McDonald 1999, eq. 6.20b). Because Ripple's scores are raw sums or means, not sums of
    standardised items, this differs from psych::omega's default (standardised) when item
    SDs differ. Pearson correlations are used; for 4-5-point items an ordinal (polychoric)
    omega would be somewhat higher.

    Missing data: listwise, complete cases only; fewer than 3 items (a one-factor model needs
    3 to be identified), fewer than 3 complete respondents, or an item with no variance
    returns NaN.

    References: McDonald RP (1999). Test Theory: A Unified Treatment. Erlbaum. Flora DB (2020).
    Your coefficient alpha is probably wrong, but which coefficient omega is right? Adv Methods
    Pract Psychol Sci 3(4):484-501.
    """
    x = complete_cases(items)
    n, k = x.shape
    if k < 3 or n < 3:
        return float("nan")
    sd = x.std(axis=0, ddof=1)
    if not np.all(sd > 0):
        return float("nan")
    loadings = one_factor_loadings(np.corrcoef(x, rowvar=False))
    common = (loadings * sd).sum() ** 2
    unique = ((1 - loadings**2) * sd**2).sum()
    return float(common / (common + unique))


def scale_reliability(items: np.ndarray) -> Reliability:
    """Alpha, its Feldt CI and omega total of one scale at one wave (see each function)."""
    x = complete_cases(items)
    n, k = x.shape
    alpha = cronbach_alpha(x)
    low, high = feldt_interval(alpha, n, k)
    return Reliability(int(n), int(k), alpha, low, high, omega_total(x))
