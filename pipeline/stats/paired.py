"""Everything Ripple reports about one paired comparison (one group, one scale, two waves)."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.stats import ci, effect_sizes, reliable_change, ttests, wilcoxon
from pipeline.stats._util import flatten, mean, sd


def paired_summary(
    pairs: np.ndarray, higher_is_better: bool, se_diff: float | None = None
) -> dict[str, Any]:
    """Paired statistics of one group: n x 2 array of (earlier score, later score).

    Change D_i = sign x (later_i - earlier_i), sign = +1 when higher scores are better, else
    -1, so every effect below is positive when people improved. Scores (mean_from, mean_to,
    sd_from, sd_to) stay in the scale's own units.

    Returns:
        n_pairs; mean_from, mean_to, sd_from, sd_to; r_from_to (Pearson); mean_improvement,
        sd_improvement and the t CI of mean_improvement (`ci.t_interval`); paired t, df, p
        (`ttests.paired_t`); d_z with its noncentral-t CI (`effect_sizes.d_z`,
        `ci.d_z_interval`); g_z = J(n - 1) x d_z with Hedges' exact J (`effect_sizes.hedges_j`);
        d_av with Algina & Keselman's CI (`effect_sizes.d_av`, `ci.d_av_interval`);
        Wilcoxon n_nonzero, V, p and the rank-biserial r (`wilcoxon.signed_rank`); and counts
        and shares (count / n_pairs) reliably improved / unchanged / deteriorated
        (`reliable_change.classify`) when `se_diff` is given, else None.

    Missing data: rows with a missing score are dropped (complete pairs); statistics the data
    cannot support are NaN (see each function).

    References: see the functions named above.
    """
    x = np.asarray(pairs, dtype=float).reshape(-1, 2)
    x = x[np.isfinite(x).all(axis=1)]
    sign = 1.0 if higher_is_better else -1.0
    before, after = x[:, 0], x[:, 1]
    change = sign * (after - before)
    n = int(change.size)
    sd_from, sd_to, sd_change = (sd(a) for a in (before, after, change))
    mean_change = mean(change)
    d_z = effect_sizes.d_z(mean_change, sd_change)
    test = ttests.paired_t(mean_change, sd_change, n)
    ranks = wilcoxon.signed_rank(change)
    counts = reliable_change.classify(change, se_diff if se_diff is not None else float("nan"))
    summary = {
        "n_pairs": n,
        "mean_from": mean(before),
        "mean_to": mean(after),
        "sd_from": sd_from,
        "sd_to": sd_to,
        "r_from_to": _correlation(before, after),
        "mean_improvement": mean_change,
        "sd_improvement": sd_change,
        "improvement_ci": ci.t_interval(mean_change, sd_change, n),
        "t": test.t,
        "df": test.df,
        "p": test.p,
        "d_z": d_z,
        "d_z_ci": ci.d_z_interval(d_z, n),
        "g_z": d_z * effect_sizes.hedges_j(n - 1) if n >= 3 else float("nan"),
        "d_av": effect_sizes.d_av(mean_change, sd_from, sd_to),
        "d_av_ci": ci.d_av_interval(mean_change, sd_change, sd_from, sd_to, n),
        "wilcoxon_n_nonzero": ranks.n_nonzero,
        "wilcoxon_v": ranks.v,
        "wilcoxon_p": ranks.p,
        "rank_biserial_r": ranks.rank_biserial_r,
        "n_reliably_improved": counts.n_improved,
        "n_reliably_unchanged": counts.n_unchanged,
        "n_reliably_deteriorated": counts.n_deteriorated,
    }
    for outcome in ("improved", "unchanged", "deteriorated"):
        count = summary[f"n_reliably_{outcome}"]
        summary[f"share_reliably_{outcome}"] = count / n if count is not None and n else None
    return flatten(summary)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of the two waves' scores (r_from_to).

    Formula: r = cov(a, b) / (SD_a SD_b). Missing data: complete pairs; NaN with fewer than
    3 pairs or a wave without variance. Reference: Pearson K (1896), Phil Trans R Soc A 187.
    """
    if a.size < 3 or not (a.std() > 0 and b.std() > 0):
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])
