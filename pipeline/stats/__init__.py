"""The statistics Ripple reports, one statistic per module, as plain numpy/scipy functions.

DuckDB groups the data (one row per programme, cohort, scale and comparison) and hands each
group's values to these functions as arrays (`pipeline.stats.sql_functions` registers them on
the build connection); the results are written into the `mart_*` tables by the same SQL models
and inside the same transaction that builds the rest of the warehouse.

Conventions every function follows:

- **Direction.** Every effect is signed so that a positive value is an improvement, whatever
  the scale's direction: the change or difference is multiplied by +1 when higher scores are
  better (`instrument_scales.higher_is_better`) and by -1 when lower scores are better.
  Scores and means themselves stay in the scale's own units.
- **Missing data.** Values are complete cases: the SQL passes only scored values (NULL scores
  never reach these functions), and a function returns NaN (SQL NULL) for a statistic the data
  cannot support (too few values, zero variance), never a guess.
- **Confidence level.** 95% throughout.

Modules: `effect_sizes` (d_z, d_av, d_s, Hedges' J), `ci` (t and noncentral-t intervals),
`ttests` (paired and Welch t), `wilcoxon` (signed-rank test and rank-biserial r),
`reliable_change` (Jacobson-Truax), `reliability` (Cronbach's alpha with Feldt's CI,
McDonald's omega total), `meta` (DerSimonian-Laird pooling, heterogeneity, meta-regression
trend), `paired` and `unpaired` (the per-group summaries the marts report), `attrition`
(completers vs drop-outs).
"""
