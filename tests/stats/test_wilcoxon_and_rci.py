"""Wilcoxon signed-rank and reliable change against scipy, pingouin and hand calculation."""

import warnings

import numpy as np
import pytest
from scipy import stats

from pipeline.stats import reliable_change
from pipeline.stats.wilcoxon import signed_rank


def scipy_wilcoxon(d):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return stats.wilcoxon(d, zero_method="wilcox", method="auto", correction=False)


@pytest.mark.parametrize(
    "n,values,repeats",
    [
        (8, None, 20),  # no ties, exact distribution
        (40, None, 20),  # no ties, exact distribution
        (120, None, 20),  # no ties, normal approximation
        (10, range(-3, 4), 10),  # ties and zeros, exact permutations (scipy's are slow)
        (12, range(-2, 5), 2),
        (60, range(-4, 6), 20),  # ties and zeros, tie-corrected normal approximation
    ],
)
def test_signed_rank_matches_scipy_and_pingouin(n, values, repeats):
    pg = pytest.importorskip("pingouin", reason="pingouin is the independent rank-biserial check")
    rng = np.random.default_rng(n)
    for _ in range(repeats):
        d = rng.normal(0.3, 1, n) if values is None else rng.choice(list(values), n) * 1.0
        nonzero = d[d != 0]
        if nonzero.size == 0:
            continue
        result = signed_rank(d)
        ref = scipy_wilcoxon(nonzero)
        total = nonzero.size * (nonzero.size + 1) / 2
        assert result.n_nonzero == nonzero.size
        assert min(result.v, total - result.v) == pytest.approx(ref.statistic, abs=1e-9)
        assert result.p == pytest.approx(ref.pvalue, abs=1e-12)
        rbc = pg.wilcoxon(d, np.zeros(n), correction=False)["RBC"].iloc[0]
        assert result.rank_biserial_r == pytest.approx(rbc, abs=1e-12)


def test_signed_rank_by_hand():
    """D = [2, -1, 3, 0, 3]: the zero is dropped; |D| ranks 2, 1, 3.5, 3.5;
    V = 2 + 3.5 + 3.5 = 9, R- = 1, r = (9 - 1) / 10 = 0.8."""
    result = signed_rank(np.array([2.0, -1.0, 3.0, 0.0, 3.0]))
    assert (result.n_nonzero, result.v, result.rank_biserial_r) == (4, 9.0, 0.8)
    # exact permutation p: V >= 9 in 2 of the 16 sign patterns (9 and 10), two-sided x 2
    assert result.p == pytest.approx(2 * 2 / 16)


def test_float_noise_does_not_split_ties():
    noisy = np.array([0.1 + 0.2, 0.3, -0.3, 0.3000000000000001, 0.0])
    result = signed_rank(noisy)
    assert result.n_nonzero == 4
    assert result.v == pytest.approx(3 * 2.5)


def test_no_change_at_all_gives_no_test():
    result = signed_rank(np.zeros(12))
    assert result.n_nonzero == 0 and np.isnan(result.p) and np.isnan(result.rank_biserial_r)


def test_reliable_change_by_hand():
    """SD 4, r_xx .84: S_diff = 4 x sqrt(2) x 0.4 = 2.2627; the cut is 1.96 x 2.2627 = 4.435."""
    se = reliable_change.se_difference(4.0, 0.84)
    assert se == pytest.approx(4 * np.sqrt(2) * 0.4, abs=1e-12)
    changes = np.array([5.0, 4.4, -4.5, 0.0, 10.0, np.nan, -1.0])
    assert reliable_change.classify(changes, se) == (2, 3, 1)


@pytest.mark.parametrize("r_xx,sd", [(0.0, 4.0), (1.0, 4.0), (-0.2, 4.0), (0.8, 0.0)])
def test_no_reliable_change_on_a_meaningless_yardstick(r_xx, sd):
    se = reliable_change.se_difference(sd, r_xx)
    assert np.isnan(se)
    assert reliable_change.classify(np.array([1.0, 2.0]), se) == (None, None, None)
