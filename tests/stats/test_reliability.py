"""Cronbach's alpha, Feldt's CI and McDonald's omega total against pingouin, a direct
least-squares factor fit and closed forms worked by hand."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from pipeline.stats import reliability


def congeneric_items(rng, n, loadings, sds, cut=True):
    """n responses to items X_i = lambda_i F + e_i, scaled by sds, optionally cut to 1..5."""
    loadings = np.asarray(loadings)
    factor = rng.normal(size=(n, 1))
    noise = rng.normal(size=(n, loadings.size)) * np.sqrt(1 - loadings**2)
    x = (factor * loadings + noise) * np.asarray(sds) + 3
    return np.clip(np.round(x), 1, 5) if cut else x


def test_alpha_and_feldt_interval_match_pingouin():
    pg = pytest.importorskip("pingouin", reason="pingouin.cronbach_alpha is the independent check")
    rng = np.random.default_rng(3)
    items = congeneric_items(rng, 150, [0.8, 0.7, 0.6, 0.75, 0.5, 0.65], [1, 1.2, 0.8, 1, 1.1, 0.9])
    result = reliability.scale_reliability(items)
    alpha, interval = pg.cronbach_alpha(pd.DataFrame(items))
    assert result.alpha == pytest.approx(alpha, abs=1e-9)
    # pingouin rounds its interval to 3 decimals
    assert (result.alpha_ci_low, result.alpha_ci_high) == pytest.approx(tuple(interval), abs=5e-4)
    df1, df2 = 149, 149 * 5
    hand = (
        1 - (1 - alpha) * stats.f.ppf(0.975, df1, df2),
        1 - (1 - alpha) * stats.f.ppf(0.025, df1, df2),
    )
    assert (result.alpha_ci_low, result.alpha_ci_high) == pytest.approx(hand, abs=1e-9)
    assert (result.n_complete, result.n_items) == (150, 6)


def test_alpha_uses_complete_cases_only():
    pg = pytest.importorskip("pingouin", reason="pingouin.cronbach_alpha is the independent check")
    rng = np.random.default_rng(4)
    items = congeneric_items(rng, 80, [0.7] * 4, [1] * 4)
    items[[3, 10, 11], [0, 2, 3]] = np.nan
    result = reliability.scale_reliability(items)
    alpha, _ = pg.cronbach_alpha(pd.DataFrame(items), nan_policy="listwise")
    assert result.n_complete == 77
    assert result.alpha == pytest.approx(alpha, abs=1e-9)


def test_alpha_by_hand():
    """Items [1,2,3,3], [1,2,3,3], [1,2,2,2]: variances 11/12, 11/12, 3/12 (sum 25/12);
    totals 3, 6, 8, 8 have variance 67/12; alpha = 3/2 x (1 - 25/67) = 63/67."""
    items = np.array([[1, 1, 1], [2, 2, 2], [3, 3, 2], [3, 3, 2]], dtype=float)
    assert reliability.cronbach_alpha(items) == pytest.approx(63 / 67, abs=1e-12)


def test_omega_of_three_items_is_the_closed_form():
    """With three items a one-factor model fits the covariances exactly:
    lambda_i^2 = s_ij s_ik / s_jk, and omega = (sum lambda)^2 / (1' S 1)."""
    rng = np.random.default_rng(7)
    items = congeneric_items(rng, 300, [0.8, 0.6, 0.7], [1.0, 1.5, 0.7], cut=False)
    s = np.cov(items, rowvar=False)
    lam = np.array(
        [
            np.sqrt(s[0, 1] * s[0, 2] / s[1, 2]),
            np.sqrt(s[0, 1] * s[1, 2] / s[0, 2]),
            np.sqrt(s[0, 2] * s[1, 2] / s[0, 1]),
        ]
    )
    expected = lam.sum() ** 2 / s.sum()
    assert reliability.omega_total(items) == pytest.approx(expected, abs=1e-9)


def test_omega_loadings_are_the_least_squares_one_factor_fit():
    """Principal-axis iteration converges to the unweighted least-squares (minres) solution;
    check it against a direct numerical minimisation of the off-diagonal residuals
    sum_{i<j} (r_ij - lambda_i lambda_j)^2 with scipy.optimize.least_squares (a different
    algorithm; factor_analyzer's minres does the same but does not run on scikit-learn 1.9)."""
    rng = np.random.default_rng(8)
    items = congeneric_items(rng, 400, [0.8, 0.7, 0.6, 0.75, 0.5, 0.65], [1, 1.2, 0.8, 1, 1.1, 0.9])
    r = np.corrcoef(items, rowvar=False)
    upper = np.triu_indices(6, 1)
    fit = optimize.least_squares(
        lambda lam: r[upper] - np.outer(lam, lam)[upper],
        x0=np.full(6, 0.5),
        xtol=1e-15,
        ftol=1e-15,
        gtol=1e-15,
    )
    reference = np.abs(fit.x)
    ours = reliability.one_factor_loadings(r)
    assert ours == pytest.approx(reference, abs=1e-7)
    sd = items.std(axis=0, ddof=1)
    common = (reference * sd).sum() ** 2
    expected = common / (common + ((1 - reference**2) * sd**2).sum())
    assert reliability.omega_total(items) == pytest.approx(expected, abs=1e-7)


def test_omega_recovers_the_population_value():
    loadings, sds = np.array([0.8, 0.6, 0.7, 0.5]), np.array([1.0, 1.4, 0.8, 1.2])
    lam = loadings * sds
    truth = lam.sum() ** 2 / (lam.sum() ** 2 + ((1 - loadings**2) * sds**2).sum())
    items = congeneric_items(np.random.default_rng(9), 20_000, loadings, sds, cut=False)
    assert reliability.omega_total(items) == pytest.approx(truth, abs=0.01)


def test_what_cannot_be_estimated_is_missing():
    two_items = np.array([[1, 2], [2, 3], [3, 3], [4, 5]], dtype=float)
    assert np.isnan(reliability.omega_total(two_items))
    assert np.isfinite(reliability.cronbach_alpha(two_items))
    constant = np.array([[1, 2, 3], [1, 3, 4], [1, 4, 4], [1, 2, 2]], dtype=float)
    assert np.isnan(reliability.omega_total(constant))
    empty = reliability.scale_reliability(np.empty((0, 0)))
    assert empty.n_complete == 0 and np.isnan(empty.alpha) and np.isnan(empty.alpha_ci_low)


def test_the_warehouse_path_from_sums_of_products_agrees():
    """The build sends n, item sums and sums of cross-products; same numbers as the items."""
    rng = np.random.default_rng(12)
    items = congeneric_items(rng, 500, [0.8, 0.7, 0.6, 0.75, 0.5], [1, 1.2, 0.8, 1, 1.1]) * 25
    direct = reliability.scale_reliability(items)
    moments = reliability.reliability_from_moments(
        len(items), items.sum(axis=0), (items.T @ items).ravel()
    )
    assert moments.n_complete == direct.n_complete and moments.n_items == direct.n_items
    assert moments[2:] == pytest.approx(direct[2:], abs=1e-9)
