"""pipeline.stats paired and two-sample statistics, each against an implementation outside
Ripple: scipy.stats (ttest_rel, ttest_ind, the t and F distributions), pingouin
(compute_effsize), Hedges' J from scipy.special.gamma, and noncentral-t intervals from a
noncentral-t CDF integrated here by quadrature (independent of scipy's nct code)."""

import numpy as np
import pytest
from scipy import integrate, optimize, special, stats

from pipeline.stats import ci, effect_sizes
from pipeline.stats.paired import paired_summary
from pipeline.stats.unpaired import two_sample_summary

EXACT = 1e-9


def nct_cdf_by_quadrature(t: float, df: float, ncp: float) -> float:
    """P(T <= t) for T = (Z + ncp) / sqrt(V / df): integrate Phi(t sqrt(v/df) - ncp) over the
    chi-square density of V (the definition of the noncentral t)."""

    def integrand(v):
        return stats.norm.cdf(t * np.sqrt(v / df) - ncp) * stats.chi2.pdf(v, df)

    value, _ = integrate.quad(integrand, 0, np.inf, epsabs=1e-14, epsrel=1e-12, limit=200)
    return value


def ncp_interval_by_quadrature(t: float, df: float, near: tuple) -> tuple[float, float]:
    """The noncentralities where the quadrature CDF at t is .975 and .025, each searched in a
    bracket of +/- 0.05 around `near` (the bracket only has to contain the root)."""

    def root(p, guess):
        return optimize.brentq(
            lambda ncp: nct_cdf_by_quadrature(t, df, ncp) - p,
            guess - 0.05,
            guess + 0.05,
            xtol=1e-12,
        )

    return root(0.975, near[0]), root(0.025, near[1])


def random_pairs(rng, n, effect=0.4, r=0.6):
    cov = [[1, r], [r, 1]]
    x = rng.multivariate_normal([0, effect], cov, size=n) * 4 + 20
    return np.round(x, 2)


@pytest.mark.parametrize("df", [2, 3, 9, 29, 199])
def test_hedges_j_is_the_exact_gamma_form(df):
    expected = special.gamma(df / 2) / (np.sqrt(df / 2) * special.gamma((df - 1) / 2))
    assert effect_sizes.hedges_j(df) == pytest.approx(expected, abs=1e-12)
    if df >= 9:  # the familiar approximation is close once df is moderate
        assert abs(effect_sizes.hedges_j(df) - (1 - 3 / (4 * df - 1))) < 0.0006


@pytest.mark.parametrize("seed,n,higher_is_better", [(1, 12, True), (2, 40, False), (3, 250, True)])
def test_paired_summary_matches_scipy_and_pingouin(seed, n, higher_is_better):
    pg = pytest.importorskip("pingouin", reason="pingouin is the independent effect-size check")
    x = random_pairs(np.random.default_rng(seed), n)
    before, after = x[:, 0], x[:, 1]
    s = paired_summary(x, higher_is_better)
    sign = 1 if higher_is_better else -1
    ref = stats.ttest_rel(after, before) if higher_is_better else stats.ttest_rel(before, after)
    interval = ref.confidence_interval(0.95)
    assert s["n_pairs"] == n
    assert (s["t"], s["p"], s["df"]) == pytest.approx((ref.statistic, ref.pvalue, n - 1), abs=EXACT)
    assert (s["improvement_ci_low"], s["improvement_ci_high"]) == pytest.approx(
        (interval.low, interval.high), abs=EXACT
    )
    d_z = pg.compute_effsize(after, before, paired=True, eftype="cohen_dz")
    d_av = pg.compute_effsize(after, before, paired=True, eftype="cohen")
    assert s["d_z"] == pytest.approx(sign * d_z, abs=EXACT)
    assert s["d_av"] == pytest.approx(sign * d_av, abs=EXACT)
    j = special.gamma((n - 1) / 2) / (np.sqrt((n - 1) / 2) * special.gamma((n - 2) / 2))
    assert s["g_z"] == pytest.approx(j * s["d_z"], abs=EXACT)
    assert s["r_from_to"] == pytest.approx(stats.pearsonr(before, after).statistic, abs=EXACT)
    assert (s["mean_from"], s["mean_to"]) == pytest.approx((before.mean(), after.mean()))


def test_d_z_interval_matches_an_independent_noncentral_t():
    for d, n in [(0.5, 10), (-0.3, 25), (1.8, 6)]:
        low, high = ci.d_z_interval(d, n)
        near = (low * np.sqrt(n), high * np.sqrt(n))
        ref_low, ref_high = ncp_interval_by_quadrature(d * np.sqrt(n), n - 1, near)
        assert (low, high) == pytest.approx((ref_low / np.sqrt(n), ref_high / np.sqrt(n)), abs=1e-7)
        # and it is the interval its definition asks for, by scipy's own nct
        assert stats.nct.cdf(d * np.sqrt(n), n - 1, low * np.sqrt(n)) == pytest.approx(0.975)
        assert stats.nct.cdf(d * np.sqrt(n), n - 1, high * np.sqrt(n)) == pytest.approx(0.025)


def test_d_av_interval_is_algina_keselman():
    x = random_pairs(np.random.default_rng(5), 30)
    s = paired_summary(x, True)
    change = x[:, 1] - x[:, 0]
    t = change.mean() / (change.std(ddof=1) / np.sqrt(30))
    rms = np.sqrt((x[:, 0].var(ddof=1) + x[:, 1].var(ddof=1)) / 2)
    factor = change.std(ddof=1) / (np.sqrt(30) * rms)
    near = (s["d_av_ci_low"] / factor, s["d_av_ci_high"] / factor)
    ref_low, ref_high = ncp_interval_by_quadrature(t, 29, near)
    assert (s["d_av_ci_low"], s["d_av_ci_high"]) == pytest.approx(
        (ref_low * factor, ref_high * factor), abs=1e-7
    )
    assert s["d_av_ci_low"] < s["d_av"] < s["d_av_ci_high"]


@pytest.mark.parametrize("higher_is_better", [True, False])
def test_two_sample_summary_matches_scipy_and_pingouin(higher_is_better):
    pg = pytest.importorskip("pingouin", reason="pingouin is the independent effect-size check")
    rng = np.random.default_rng(11)
    first = np.round(rng.normal(20, 4, 37), 1)
    second = np.round(rng.normal(22, 6, 52), 1)
    s = two_sample_summary(first, second, higher_is_better)
    sign = 1 if higher_is_better else -1
    welch = stats.ttest_ind(second, first, equal_var=False)
    interval = welch.confidence_interval(0.95)
    assert s["welch_t"] == pytest.approx(sign * welch.statistic, abs=EXACT)
    assert (s["welch_p"], s["welch_df"]) == pytest.approx((welch.pvalue, welch.df), abs=EXACT)
    expected_ci = (
        (interval.low, interval.high) if higher_is_better else (-interval.high, -interval.low)
    )
    assert (s["difference_ci_low"], s["difference_ci_high"]) == pytest.approx(
        expected_ci, abs=EXACT
    )
    d = pg.compute_effsize(second, first, paired=False, eftype="cohen")
    assert s["d_s"] == pytest.approx(sign * d, abs=EXACT)
    df = 37 + 52 - 2
    j = special.gamma(df / 2) / (np.sqrt(df / 2) * special.gamma((df - 1) / 2))
    assert s["g_s"] == pytest.approx(j * s["d_s"], abs=EXACT)
    # pingouin's g uses the approximate J: agreement to its own precision
    g_pg = pg.compute_effsize(second, first, paired=False, eftype="hedges")
    assert s["g_s"] == pytest.approx(sign * g_pg, abs=1e-4)
    scale = np.sqrt(1 / 37 + 1 / 52)
    near = (s["delta_ci_low"] / scale, s["delta_ci_high"] / scale)
    ref_low, ref_high = ncp_interval_by_quadrature(s["d_s"] / scale, df, near)
    assert (s["delta_ci_low"], s["delta_ci_high"]) == pytest.approx(
        (ref_low * scale, ref_high * scale), abs=1e-7
    )
    for name, group in (("first", first), ("second", second)):
        m = stats.ttest_1samp(group, 0).confidence_interval(0.95)
        assert (s[f"mean_{name}_ci_low"], s[f"mean_{name}_ci_high"]) == pytest.approx(
            (m.low, m.high), abs=EXACT
        )


def test_what_the_data_cannot_support_is_missing_not_guessed():
    one = paired_summary(np.array([[3.0, 4.0]]), True)
    assert one["n_pairs"] == 1 and np.isnan(one["d_z"]) and np.isnan(one["p"])
    flat = paired_summary(np.array([[3.0, 4.0], [5.0, 6.0], [1.0, 2.0]]), True)
    assert np.isnan(flat["d_z"]) and flat["mean_improvement"] == 1.0  # no spread in the change
    with_gaps = paired_summary(np.array([[3.0, np.nan], [5.0, 6.0], [1.0, 4.0]]), True)
    assert with_gaps["n_pairs"] == 2
    empty = two_sample_summary(np.array([]), np.array([1.0, 2.0]), True)
    assert empty["n_first"] == 0 and np.isnan(empty["welch_p"]) and np.isnan(empty["d_s"])


@pytest.mark.parametrize("d,n", [(0.4, 36_000), (1.2, 200_000), (-0.05, 300_000), (3.0, 9)])
def test_noncentral_intervals_hold_for_large_groups_and_large_effects(d, n):
    """Far tails of scipy's noncentral t return NaN; the search must stay clear of them. For
    large n the interval approaches d +/- 1.96 sqrt(1/n + d^2 / (2n))."""
    low, high = ci.d_z_interval(d, n)
    assert np.isfinite(low) and np.isfinite(high) and low < d < high
    if n > 1000:
        half = 1.96 * np.sqrt(1 / n + d**2 / (2 * n))
        assert (low, high) == pytest.approx((d - half, d + half), abs=1e-4)
