"""The statistics as DuckDB functions, so the mart SQL models can call them on grouped arrays.

A mart groups its rows in SQL (`list(...)` per programme, cohort, scale, comparison), calls one
of these functions once per group, and unpacks the returned STRUCT into columns. The functions
only convert DuckDB lists to numpy arrays and NaN to NULL; the statistics are in the modules of
`pipeline.stats`, each documented there. They run on the build connection, inside the
transaction that builds the warehouse (`pipeline.transform.runner.build_models`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np
from duckdb.sqltypes import BIGINT, BOOLEAN, DOUBLE, VARCHAR

from pipeline.stats import meta, reliability, reliable_change
from pipeline.stats.attrition import completers_vs_dropouts
from pipeline.stats.paired import paired_summary
from pipeline.stats.unpaired import two_sample_summary

LIST = duckdb.list_type(DOUBLE)

PAIRED_FIELDS = {
    "n_pairs": BIGINT,
    "mean_from": DOUBLE,
    "mean_to": DOUBLE,
    "sd_from": DOUBLE,
    "sd_to": DOUBLE,
    "r_from_to": DOUBLE,
    "mean_improvement": DOUBLE,
    "sd_improvement": DOUBLE,
    "improvement_ci_low": DOUBLE,
    "improvement_ci_high": DOUBLE,
    "t": DOUBLE,
    "df": DOUBLE,
    "p": DOUBLE,
    "d_z": DOUBLE,
    "d_z_ci_low": DOUBLE,
    "d_z_ci_high": DOUBLE,
    "g_z": DOUBLE,
    "d_av": DOUBLE,
    "d_av_ci_low": DOUBLE,
    "d_av_ci_high": DOUBLE,
    "wilcoxon_n_nonzero": BIGINT,
    "wilcoxon_v": DOUBLE,
    "wilcoxon_p": DOUBLE,
    "rank_biserial_r": DOUBLE,
    "n_reliably_improved": BIGINT,
    "n_reliably_unchanged": BIGINT,
    "n_reliably_deteriorated": BIGINT,
    "share_reliably_improved": DOUBLE,
    "share_reliably_unchanged": DOUBLE,
    "share_reliably_deteriorated": DOUBLE,
}

TWO_SAMPLE_FIELDS = {
    "n_first": BIGINT,
    "mean_first": DOUBLE,
    "sd_first": DOUBLE,
    "mean_first_ci_low": DOUBLE,
    "mean_first_ci_high": DOUBLE,
    "n_second": BIGINT,
    "mean_second": DOUBLE,
    "sd_second": DOUBLE,
    "mean_second_ci_low": DOUBLE,
    "mean_second_ci_high": DOUBLE,
    "difference": DOUBLE,
    "difference_ci_low": DOUBLE,
    "difference_ci_high": DOUBLE,
    "welch_t": DOUBLE,
    "welch_df": DOUBLE,
    "welch_p": DOUBLE,
    "d_s": DOUBLE,
    "g_s": DOUBLE,
    "delta_ci_low": DOUBLE,
    "delta_ci_high": DOUBLE,
}

ATTRITION_FIELDS = {
    "n_completers": BIGINT,
    "mean_completers": DOUBLE,
    "sd_completers": DOUBLE,
    "n_dropouts": BIGINT,
    "mean_dropouts": DOUBLE,
    "sd_dropouts": DOUBLE,
    "baseline_gap": DOUBLE,
    "baseline_gap_ci_low": DOUBLE,
    "baseline_gap_ci_high": DOUBLE,
    "welch_t": DOUBLE,
    "welch_df": DOUBLE,
    "welch_p": DOUBLE,
    "d_s": DOUBLE,
    "d_s_ci_low": DOUBLE,
    "d_s_ci_high": DOUBLE,
}

RELIABILITY_FIELDS = {
    "n_complete": BIGINT,
    "n_items": BIGINT,
    "alpha": DOUBLE,
    "alpha_ci_low": DOUBLE,
    "alpha_ci_high": DOUBLE,
    "omega_total": DOUBLE,
}

META_FIELDS = {
    "k_cohorts": BIGINT,
    "pooled_d_z": DOUBLE,
    "pooled_se": DOUBLE,
    "pooled_ci_low": DOUBLE,
    "pooled_ci_high": DOUBLE,
    "pooled_z": DOUBLE,
    "pooled_p": DOUBLE,
    "pooled_hk_ci_low": DOUBLE,
    "pooled_hk_ci_high": DOUBLE,
    "prediction_low": DOUBLE,
    "prediction_high": DOUBLE,
    "q": DOUBLE,
    "q_df": BIGINT,
    "q_p": DOUBLE,
    "i2_percent": DOUBLE,
    "tau2": DOUBLE,
    "trend_k": BIGINT,
    "trend_slope_per_year": DOUBLE,
    "trend_se": DOUBLE,
    "trend_ci_low": DOUBLE,
    "trend_ci_high": DOUBLE,
    "trend_t": DOUBLE,
    "trend_df": BIGINT,
    "trend_p": DOUBLE,
    "trend_tau2_residual": DOUBLE,
    "trend_reading": VARCHAR,
}


def _clean(value: Any) -> Any:
    """NaN -> None (SQL NULL); numpy scalars -> Python."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _struct(fields: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    return {name: _clean(values[name]) for name in fields}


def _array(values: list | None) -> np.ndarray:
    """A DuckDB list as a float array; NULL elements become NaN; NULL list -> empty."""
    if values is None:
        return np.empty(0)
    return np.array(values, dtype=float)


def paired_stats(pairs: list | None, higher_is_better: bool, se_diff: float | None) -> dict:
    """SQL: ripple_paired_stats(flatten(list([score_from, score_to])), higher_is_better,
    se_diff). The pairs come as one flat list (earlier, later, earlier, later, ...), which
    DuckDB hands to Python far faster than a list of lists."""
    se = float("nan") if se_diff is None else se_diff
    matrix = _array(pairs).reshape(-1, 2)
    return _struct(PAIRED_FIELDS, paired_summary(matrix, bool(higher_is_better), se))


def two_sample(first: list | None, second: list | None, higher_is_better: bool) -> dict:
    """SQL: ripple_two_sample(list(first scores), list(second scores), higher_is_better)."""
    summary = two_sample_summary(_array(first), _array(second), bool(higher_is_better))
    return _struct(TWO_SAMPLE_FIELDS, summary)


def attrition(completers: list | None, dropouts: list | None, higher_is_better: bool) -> dict:
    """SQL: ripple_attrition(list(completer scores), list(drop-out scores), higher_is_better)."""
    summary = completers_vs_dropouts(_array(completers), _array(dropouts), bool(higher_is_better))
    return _struct(ATTRITION_FIELDS, summary)


def scale_reliability(n: int | None, sums: list | None, cross_products: list | None) -> dict:
    """SQL: ripple_reliability(n complete cases, item sums in item order, k x k sums of
    products in row-major order)."""
    if not n or sums is None or cross_products is None:
        empty = reliability.Reliability(int(n or 0), len(sums or []), *([float("nan")] * 4))
        return _struct(RELIABILITY_FIELDS, empty._asdict())
    result = reliability.reliability_from_moments(int(n), _array(sums), _array(cross_products))
    return _struct(RELIABILITY_FIELDS, result._asdict())


def cohort_meta(effects: list | None, sizes: list | None, years: list | None) -> dict:
    """SQL: ripple_cohort_meta(list(d_z), list(n_pairs), list(years since first cohort))."""
    d, n, x = _array(effects), _array(sizes), _array(years)
    variances = meta.d_z_variance(d, n)
    pooled = meta.dersimonian_laird(d, variances)
    trend = meta.meta_regression(d, variances, x)
    values = {
        "k_cohorts": pooled.k,
        "pooled_d_z": pooled.estimate,
        "pooled_se": pooled.se,
        "pooled_ci_low": pooled.ci_low,
        "pooled_ci_high": pooled.ci_high,
        "pooled_z": pooled.z,
        "pooled_p": pooled.p,
        "pooled_hk_ci_low": pooled.hk_ci_low,
        "pooled_hk_ci_high": pooled.hk_ci_high,
        "prediction_low": pooled.prediction_low,
        "prediction_high": pooled.prediction_high,
        "q": pooled.q,
        "q_df": pooled.q_df,
        "q_p": pooled.q_p,
        "i2_percent": pooled.i2_percent,
        "tau2": pooled.tau2,
        **{f"trend_{key}": value for key, value in trend._asdict().items()},
        "trend_slope_per_year": trend.slope,
        "trend_reading": meta.trend_reading(trend),
    }
    return _struct(META_FIELDS, values)


def se_difference(sd_baseline: float | None, reliability_value: float | None) -> float | None:
    """SQL: ripple_se_difference(sd_baseline, r_xx) (Jacobson-Truax S_diff, or NULL)."""
    if sd_baseline is None or reliability_value is None:
        return None
    return _clean(reliable_change.se_difference(sd_baseline, reliability_value))


FUNCTIONS: list[tuple[str, Callable, list, Any]] = [
    ("ripple_paired_stats", paired_stats, [LIST, BOOLEAN, DOUBLE], PAIRED_FIELDS),
    ("ripple_two_sample", two_sample, [LIST, LIST, BOOLEAN], TWO_SAMPLE_FIELDS),
    ("ripple_attrition", attrition, [LIST, LIST, BOOLEAN], ATTRITION_FIELDS),
    ("ripple_reliability", scale_reliability, [BIGINT, LIST, LIST], RELIABILITY_FIELDS),
    ("ripple_cohort_meta", cohort_meta, [LIST, LIST, LIST], META_FIELDS),
    ("ripple_se_difference", se_difference, [DOUBLE, DOUBLE], DOUBLE),
]


def remove(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Unregister the Python function `name` from `con` if it is registered."""
    with contextlib.suppress(duckdb.InvalidInputException):
        con.remove_function(name)


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make every function above callable from SQL on `con` (replacing earlier registrations)."""
    for name, function, parameters, returns in FUNCTIONS:
        remove(con, name)
        return_type = duckdb.struct_type(returns) if isinstance(returns, dict) else returns
        con.create_function(
            name,
            function,
            parameters,
            return_type,
            null_handling="special",
            side_effects=False,
        )
