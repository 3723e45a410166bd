"""Statistical functions the SQL models call, registered on the DuckDB connection.

DuckDB has no quantile function of Student's t distribution, which the 95% confidence
intervals of the marts need; it is registered here from scipy, together with the group-level
statistics of `pipeline.stats` (`pipeline.stats.sql_functions`: paired statistics, Welch and
Hedges' g, attrition, reliability, cross-cohort meta-analysis). The marts are materialised
tables, so researchers reading the warehouse never need these functions themselves.
"""

from __future__ import annotations

import duckdb
from duckdb.sqltypes import BIGINT, DOUBLE
from scipy import stats

from pipeline.stats import sql_functions


def t_quantile(probability: float | None, df: int | None) -> float | None:
    """Quantile of Student's t distribution with `df` degrees of freedom.

    A 95% confidence interval of a mean of n values is mean +/- t_quantile(0.975, n - 1) x
    SD / sqrt(n). With df < 1 (a single value) there is no interval: returns None (SQL NULL).

    Args:
        probability: lower-tail probability in (0, 1), e.g. 0.975.
        df: degrees of freedom.

    >>> round(t_quantile(0.975, 10), 4)
    2.2281
    >>> t_quantile(0.975, 0) is None
    True
    """
    if probability is None or df is None or df < 1:
        return None
    return float(stats.t.ppf(probability, df))


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Make `ripple_t_quantile(probability, df)` and the `pipeline.stats` functions available
    to SQL on `con` (again, if an earlier build on `con` registered them)."""
    sql_functions.remove(con, "ripple_t_quantile")
    con.create_function(
        "ripple_t_quantile",
        t_quantile,
        [DOUBLE, BIGINT],
        DOUBLE,
        null_handling="special",
        side_effects=False,
    )
    sql_functions.register(con)
