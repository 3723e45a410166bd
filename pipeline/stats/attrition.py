"""Attrition: do the people who come back at a later wave differ, at baseline, from those who
do not? If they do, a follow-up result rests on a selected group."""

from __future__ import annotations

from typing import Any

import numpy as np

from pipeline.stats.unpaired import two_sample_summary


def retention(n_baseline: int, n_linked: int) -> float:
    """Share of baseline responses linked to a response at the later wave: n_linked / n_baseline.

    Missing data: n_baseline = 0 returns NaN.
    """
    return n_linked / n_baseline if n_baseline > 0 else float("nan")


def completers_vs_dropouts(
    completers: np.ndarray, dropouts: np.ndarray, higher_is_better: bool
) -> dict[str, Any]:
    """Baseline scores of completers against drop-outs.

    Completers are the people in the paired analysis of the later wave (scored on the scale at
    baseline and at that wave); drop-outs are every other baseline response scored on the
    scale (not linked to the later wave, or linked but not scored there).

    Formula (see `unpaired.two_sample_summary`, with drop-outs first):
    baseline_gap = sign x (mean_completers - mean_dropouts), sign = +1 when higher scores are
    better, so positive = completers started out better (e.g. less stigmatising), with its
    Welch CI; Welch t, df, p; d_s = baseline_gap / pooled SD with its noncentral-t CI.
    A clearly nonzero d_s means follow-up results describe a selected group: the all-available
    wave means then mix a change in people with a change in who answers.

    Missing data: baseline responses without a score on the scale are in neither group.

    Reference: Welch (1947); Hedges & Olkin (1985); Little RJA, Rubin DB (2019). Statistical
    Analysis with Missing Data, 3rd ed., ch. 1 (comparing completers with drop-outs as a check
    of missing completely at random).
    """
    s = two_sample_summary(dropouts, completers, higher_is_better)
    return {
        "n_completers": s["n_second"],
        "mean_completers": s["mean_second"],
        "sd_completers": s["sd_second"],
        "n_dropouts": s["n_first"],
        "mean_dropouts": s["mean_first"],
        "sd_dropouts": s["sd_first"],
        "baseline_gap": s["difference"],
        "baseline_gap_ci_low": s["difference_ci_low"],
        "baseline_gap_ci_high": s["difference_ci_high"],
        "welch_t": s["welch_t"],
        "welch_df": s["welch_df"],
        "welch_p": s["welch_p"],
        "d_s": s["d_s"],
        "d_s_ci_low": s["delta_ci_low"],
        "d_s_ci_high": s["delta_ci_high"],
    }
