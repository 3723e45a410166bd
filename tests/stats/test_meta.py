"""DerSimonian-Laird pooling and the meta-regression trend against statsmodels
(combine_effects, WLS) and hand calculation."""

import numpy as np
import pytest
from scipy import stats

from pipeline.stats import meta

EXACT = 1e-9


def heterogeneous_cohorts(seed=2, k=8):
    rng = np.random.default_rng(seed)
    n = rng.integers(12, 90, k)
    d = rng.normal(0.4, 0.25, k)
    return d, meta.d_z_variance(d, n), n


def test_dersimonian_laird_matches_statsmodels():
    sm = pytest.importorskip(
        "statsmodels.stats.meta_analysis", reason="statsmodels is the independent check"
    )
    d, v, _ = heterogeneous_cohorts()
    pooled = meta.dersimonian_laird(d, v)
    ref = sm.combine_effects(d, v, method_re="dl")
    assert ref.tau2 > 0  # heterogeneous: DL's tau^2 is not truncated here
    assert pooled.estimate == pytest.approx(ref.mean_effect_re, abs=EXACT)
    assert pooled.se == pytest.approx(ref.sd_eff_w_re, abs=EXACT)
    assert (pooled.ci_low, pooled.ci_high) == pytest.approx(tuple(ref.conf_int()[1]), abs=EXACT)
    assert (pooled.q, pooled.tau2) == pytest.approx((ref.q, ref.tau2), abs=EXACT)
    assert pooled.i2_percent == pytest.approx(100 * ref.i2, abs=1e-7)
    assert pooled.q_p == pytest.approx(stats.chi2.sf(ref.q, len(d) - 1), abs=EXACT)
    # Hartung-Knapp-Sidik-Jonkman: statsmodels' var_hksj_re, t with k - 1 df
    half = stats.t.ppf(0.975, len(d) - 1) * np.sqrt(ref.var_hksj_re)
    assert (pooled.hk_ci_low, pooled.hk_ci_high) == pytest.approx(
        (ref.mean_effect_re - half, ref.mean_effect_re + half), abs=EXACT
    )
    pi = stats.t.ppf(0.975, len(d) - 2) * np.sqrt(ref.tau2 + ref.var_eff_w_re)
    assert (pooled.prediction_low, pooled.prediction_high) == pytest.approx(
        (ref.mean_effect_re - pi, ref.mean_effect_re + pi), abs=EXACT
    )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels: sqrt of a negative tau^2
def test_homogeneous_cohorts_pool_to_the_fixed_effect():
    sm = pytest.importorskip(
        "statsmodels.stats.meta_analysis", reason="statsmodels is the independent check"
    )
    d = np.array([0.30, 0.31, 0.29, 0.30])
    v = np.array([0.02, 0.03, 0.05, 0.01])
    pooled = meta.dersimonian_laird(d, v)
    ref = sm.combine_effects(d, v, method_re="dl")
    assert pooled.tau2 == 0 and pooled.i2_percent == 0
    assert (pooled.estimate, pooled.se) == pytest.approx(
        (ref.mean_effect_fe, ref.sd_eff_w_fe), abs=EXACT
    )


def test_meta_regression_matches_statsmodels_wls():
    sm = pytest.importorskip("statsmodels.api", reason="statsmodels WLS is the independent check")
    rng = np.random.default_rng(5)
    k = 9
    years = np.sort(rng.uniform(0, 2.5, k))
    n = rng.integers(15, 80, k)
    d = 0.3 + 0.15 * years + rng.normal(0, 0.2, k)
    v = meta.d_z_variance(d, n)
    trend = meta.meta_regression(d, v, years)
    design = sm.add_constant(years)
    fixed = sm.WLS(d, design, weights=1 / v).fit()
    w = 1 / v
    xtwx_inv = np.linalg.inv(design.T @ np.diag(w) @ design)
    trace = w.sum() - np.trace(xtwx_inv @ design.T @ np.diag(w**2) @ design)
    tau2 = max(0.0, (fixed.ssr - (k - 2)) / trace)  # fixed.ssr = sum w e^2 = Q_E
    assert trend.tau2_residual == pytest.approx(tau2, abs=EXACT)
    # WLS estimates its residual scale, which is exactly the Knapp-Hartung s^2
    random = sm.WLS(d, design, weights=1 / (v + tau2)).fit()
    assert trend.slope == pytest.approx(random.params[1], abs=EXACT)
    assert trend.se == pytest.approx(random.bse[1], abs=EXACT)
    assert (trend.ci_low, trend.ci_high) == pytest.approx(tuple(random.conf_int()[1]), abs=EXACT)
    assert (trend.t, trend.p) == pytest.approx((random.tvalues[1], random.pvalues[1]), abs=EXACT)


def test_trend_in_words():
    rising = meta.Trend(7, 0.2, 0.05, 0.07, 0.33, 4.0, 5, 0.01, 0.0)
    flat = meta.Trend(7, 0.05, 0.1, -0.2, 0.3, 0.5, 5, 0.6, 0.0)
    none = meta.meta_regression(np.array([0.2, 0.3]), np.array([0.02, 0.02]), np.array([0, 1]))
    assert "larger improvements" in meta.trend_reading(rising)
    assert "statistically significant" in meta.trend_reading(rising)
    assert "No clear trend" in meta.trend_reading(flat)
    assert "not statistically significant" in meta.trend_reading(flat)
    assert meta.trend_reading(none).startswith("No trend estimated: 2 usable cohort(s)")


def test_cohorts_without_an_effect_are_left_out():
    d = np.array([0.3, np.nan, 0.5, 0.4])
    v = meta.d_z_variance(d, np.array([20, 1, 30, 25]))
    assert meta.dersimonian_laird(d, v).k == 3
    lone = meta.dersimonian_laird(np.array([0.3]), np.array([0.05]))
    assert lone.k == 1 and np.isnan(lone.estimate)
