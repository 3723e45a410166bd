"""Simulation: data drawn with a known true effect; each reported 95% CI should cover the true
value in about 95% of samples, within Monte Carlo error, at n = 10 and n = 50. Seeded, so the
result is the same on every run. With R samples the Monte Carlo SE of a coverage of .95 is
sqrt(.95 x .05 / R); the tests accept 3 SE (about .033 at R = 400)."""

import numpy as np
import pytest
from scipy import stats

from pipeline.stats import meta, reliability
from pipeline.stats.paired import paired_summary
from pipeline.stats.unpaired import two_sample_summary

REPS = 400
TOLERANCE = 3 * np.sqrt(0.95 * 0.05 / REPS)

# waves with SDs 1 and 1.3, correlation .6, mean change 0.5
SD_FROM, SD_TO, R, SHIFT = 1.0, 1.3, 0.6, 0.5
SD_CHANGE = np.sqrt(SD_FROM**2 + SD_TO**2 - 2 * R * SD_FROM * SD_TO)
TRUE_D_Z = SHIFT / SD_CHANGE
TRUE_D_AV = SHIFT / np.sqrt((SD_FROM**2 + SD_TO**2) / 2)


def covered(low, high, truth):
    low, high = np.asarray(low), np.asarray(high)
    return float(np.mean((low <= truth) & (truth <= high)))


@pytest.mark.parametrize("n", [10, 50])
def test_paired_intervals_cover_the_true_effect(n):
    rng = np.random.default_rng(1000 + n)
    cov = [[SD_FROM**2, R * SD_FROM * SD_TO], [R * SD_FROM * SD_TO, SD_TO**2]]
    samples = rng.multivariate_normal([0, SHIFT], cov, size=(REPS, n))
    rows = [paired_summary(sample, higher_is_better=True) for sample in samples]
    mean_cover = covered(
        [r["improvement_ci_low"] for r in rows], [r["improvement_ci_high"] for r in rows], SHIFT
    )
    d_z_cover = covered([r["d_z_ci_low"] for r in rows], [r["d_z_ci_high"] for r in rows], TRUE_D_Z)
    d_av_cover = covered(
        [r["d_av_ci_low"] for r in rows], [r["d_av_ci_high"] for r in rows], TRUE_D_AV
    )
    assert abs(mean_cover - 0.95) <= TOLERANCE, mean_cover
    assert abs(d_z_cover - 0.95) <= TOLERANCE, d_z_cover
    # Algina & Keselman's interval is an approximation, accurate for moderate correlations
    assert abs(d_av_cover - 0.95) <= TOLERANCE, d_av_cover


@pytest.mark.parametrize("n", [10, 50])
def test_g_s_interval_covers_the_true_effect(n):
    rng = np.random.default_rng(2000 + n)
    delta = 0.5
    first = rng.normal(0, 1, (REPS, n))
    second = rng.normal(delta, 1, (REPS, n))
    rows = [
        two_sample_summary(a, b, higher_is_better=True) for a, b in zip(first, second, strict=True)
    ]
    cover = covered([r["delta_ci_low"] for r in rows], [r["delta_ci_high"] for r in rows], delta)
    welch = covered(
        [r["difference_ci_low"] for r in rows], [r["difference_ci_high"] for r in rows], delta
    )
    assert abs(cover - 0.95) <= TOLERANCE, cover
    assert abs(welch - 0.95) <= TOLERANCE, welch


@pytest.mark.parametrize("n", [10, 50])
def test_feldt_interval_covers_the_true_alpha(n):
    """Five parallel items with inter-item correlation .4: true alpha = 5 x .4 / (1 + 4 x .4)."""
    rng = np.random.default_rng(3000 + n)
    k, rho = 5, 0.4
    truth = k * rho / (1 + (k - 1) * rho)
    cov = np.full((k, k), rho) + np.eye(k) * (1 - rho)
    draws = rng.multivariate_normal(np.zeros(k), cov, size=(REPS, n))
    results = [reliability.scale_reliability(items) for items in draws]
    cover = covered([r.alpha_ci_low for r in results], [r.alpha_ci_high for r in results], truth)
    assert abs(cover - 0.95) <= TOLERANCE, cover


def test_g_z_removes_the_small_sample_bias_of_d_z():
    """The issue's example: a true d_z of 0.7 averages about 0.76 at n = 10; g_z about 0.70.
    Means over 4,000 samples (Monte Carlo SE about 0.006)."""
    rng = np.random.default_rng(4)
    n, true = 10, 0.7
    changes = rng.normal(true, 1, (4000, n))
    d_z = changes.mean(axis=1) / changes.std(axis=1, ddof=1)
    rows = [paired_summary(np.column_stack([np.zeros(n), c]), True) for c in changes[:50]]
    assert [r["d_z"] for r in rows] == pytest.approx(d_z[:50].tolist(), abs=1e-12)
    j = rows[0]["g_z"] / rows[0]["d_z"]
    se = d_z.std() / np.sqrt(d_z.size)
    assert d_z.mean() - true > 5 * se  # d_z is biased upward
    assert abs(j * d_z.mean() - true) < 3 * se  # g_z is not
    assert stats.ttest_1samp(j * d_z, true).pvalue > 0.01


def test_cross_cohort_intervals_cover_the_true_mean_and_trend():
    """Seven cohorts of 10-60 people, true cohort effects 0.4 + 0.1 x (year - mean year) plus
    between-cohort spread tau = 0.25. The Hartung-Knapp CI of the pooled effect and the
    Knapp-Hartung CI of the slope hold 95%; the classic DerSimonian-Laird interval falls
    short with this few cohorts, which is why the mart reports both."""
    rng = np.random.default_rng(5)
    k, mean, slope, tau = 7, 0.4, 0.1, 0.25
    years = np.linspace(0, 1.5, k)
    hk = dl = trend = 0
    for _ in range(REPS):
        n = rng.integers(10, 60, k)
        true = mean + slope * (years - years.mean()) + rng.normal(0, tau, k)
        d = np.array([_d_z(rng.normal(true[i], 1, n[i])) for i in range(k)])
        v = meta.d_z_variance(d, n)
        pooled, fitted = meta.dersimonian_laird(d, v), meta.meta_regression(d, v, years)
        hk += pooled.hk_ci_low <= mean <= pooled.hk_ci_high
        dl += pooled.ci_low <= mean <= pooled.ci_high
        trend += fitted.ci_low <= slope <= fitted.ci_high
    assert abs(hk / REPS - 0.95) <= TOLERANCE, hk / REPS
    assert abs(trend / REPS - 0.95) <= TOLERANCE, trend / REPS
    assert dl < hk


def _d_z(change):
    return change.mean() / change.std(ddof=1)
