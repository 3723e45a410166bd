"""The values of each published table that disclosure control decides on, and the ledger
keeps (a row's other columns are ids)."""

PAIRED_VALUES = [
    "n_pairs",
    "mean_from",
    "mean_to",
    "sd_from",
    "sd_to",
    "mean_improvement",
    "sd_improvement",
    "improvement_ci_low",
    "improvement_ci_high",
    "p",
    "d_z",
    "d_z_ci_low",
    "d_z_ci_high",
    "g_z",
    "d_av",
    "d_av_ci_low",
    "d_av_ci_high",
    "reliability_source",
    "rci_reliability",
]
WAVE_MEAN_VALUES = ["n", "mean", "sd", "ci_low", "ci_high"]
RELIABILITY_VALUES = [
    "n_complete",
    "alpha",
    "alpha_ci_low",
    "alpha_ci_high",
    "omega_total",
    "is_alpha_below_070",
]
COMPARISON_VALUES = [
    "n_from",
    "n_to",
    "mean_from",
    "mean_to",
    "mean_improvement",
    "improvement_ci_low",
    "improvement_ci_high",
    "welch_p",
    "d_s",
    "g_s",
    "g_s_ci_low",
    "g_s_ci_high",
]
ATTRITION_VALUES = [
    "n_completers",
    "n_dropouts",
    "mean_completers",
    "sd_completers",
    "mean_dropouts",
    "sd_dropouts",
    "baseline_gap",
    "baseline_gap_ci_low",
    "baseline_gap_ci_high",
    "d_s",
    "d_s_ci_low",
    "d_s_ci_high",
    "p",
]
SELECTION_P, SELECTION_D = 0.05, 0.2
