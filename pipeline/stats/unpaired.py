"""Everything Ripple reports about two independent sets of scores (all-available wave
comparisons, and completers vs drop-outs)."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.stats import ci, effect_sizes, ttests
from pipeline.stats._util import finite, flatten, mean, sd


def two_sample_summary(
    first: np.ndarray, second: np.ndarray, higher_is_better: bool
) -> dict[str, Any]:
    """Compare `second` with `first` (e.g. a later wave with the baseline) as independent groups.

    Difference = sign x (mean_second - mean_first), sign = +1 when higher scores are better,
    else -1, so positive = the second group scores better.

    Returns:
        n, mean, SD and t CI of the mean for each group (`ci.t_interval`); the difference with
        its Welch CI (`ci.welch_interval`); Welch t, df and p (`ttests.welch_t`); d_s (pooled
        SD, `effect_sizes.d_s`), Hedges' g_s = J(n_1 + n_2 - 2) x d_s (exact J,
        `effect_sizes.hedges_j`) and the noncentral-t CI of the population delta that both
        estimate (`ci.d_s_interval`).

    Missing data: NaN scores are dropped from each group; statistics the data cannot support
    are NaN.

    References: Welch (1947); Hedges (1981); Hedges & Olkin (1985); see the functions named.
    """
    a, b = finite(first), finite(second)
    sign = 1.0 if higher_is_better else -1.0
    n_1, n_2 = int(a.size), int(b.size)
    mean_1, mean_2 = mean(a), mean(b)
    sd_1, sd_2 = sd(a), sd(b)
    difference = sign * (mean_2 - mean_1)
    test = ttests.welch_t(mean_1, sd_1, n_1, mean_2, sd_2, n_2, sign)
    d = effect_sizes.d_s(difference, sd_1, n_1, sd_2, n_2)
    summary = {
        "n_first": n_1,
        "mean_first": mean_1,
        "sd_first": sd_1,
        "mean_first_ci": ci.t_interval(mean_1, sd_1, n_1),
        "n_second": n_2,
        "mean_second": mean_2,
        "sd_second": sd_2,
        "mean_second_ci": ci.t_interval(mean_2, sd_2, n_2),
        "difference": difference,
        "difference_ci": ci.welch_interval(difference, sd_1, n_1, sd_2, n_2, test.df),
        "welch_t": test.t,
        "welch_df": test.df,
        "welch_p": test.p,
        "d_s": d,
        "g_s": d * effect_sizes.hedges_j(n_1 + n_2 - 2) if n_1 + n_2 >= 4 else float("nan"),
        "delta_ci": ci.d_s_interval(d, n_1, n_2),
    }
    return flatten(summary)
