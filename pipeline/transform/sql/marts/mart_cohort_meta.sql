-- One row per group x instrument scale x paired comparison: the paired effects of the cohorts
-- in the group (mart_paired_stats, level 'cohort') combined by DerSimonian-Laird random-effects
-- meta-analysis, with heterogeneity, and a trend of cohort effects over cohort date. Groups
-- (level): the programme, each of its sites, and each period (cohort_groups: the calendar
-- year of the cohort's date).
--   pooled_d_z with its 95% CI (normal, classic DL) and Hartung-Knapp CI; prediction interval
--   for a new cohort; Q (chi-square p), I^2 and tau^2; d_z variances 1/n + d_z^2 / (2n)
--   trend: weighted meta-regression of d_z on years since the programme's first cohort,
--   residual tau^2 by the DL method of moments, Knapp-Hartung t CI on k - 2 df
-- Effects are signed so positive = improvement; a positive slope = later cohorts improved
-- more. Computed by ripple_cohort_meta (pipeline/stats/meta.py).
with

cohort_effects as (
    select * from mart_paired_stats
    where level = 'cohort'
),

group_ref as (
    select * from cohort_groups
    where level in ('programme', 'site', 'period')
),

first_cohort as (
    select
        programme_id,
        min(cohort_date) as first_date
    from cohorts
    group by all
),

-- every cohort's effect once per group it belongs to
grouped as (
    select
        group_ref.level,
        group_ref.programme_id,
        group_ref.site,
        group_ref.period,
        cohort_effects.instrument_id,
        cohort_effects.scale_id,
        cohort_effects.higher_is_better,
        cohort_effects.from_wave,
        cohort_effects.to_wave,
        count(*) as n_cohorts,
        sum(cohort_effects.n_pairs) as n_pairs_total,
        min(cohort_effects.cohort_date) as first_cohort_date,
        max(cohort_effects.cohort_date) as last_cohort_date,
        list(
            cohort_effects.d_z
            order by cohort_effects.cohort_date, cohort_effects.cohort_id
        ) as effects,
        list(
            cohort_effects.n_pairs
            order by cohort_effects.cohort_date, cohort_effects.cohort_id
        ) as sizes,
        list(
            date_diff('day', first_cohort.first_date, cohort_effects.cohort_date) / 365.25
            order by cohort_effects.cohort_date, cohort_effects.cohort_id
        ) as years
    from cohort_effects
    inner join group_ref
        on cohort_effects.programme_id = group_ref.member_programme_id
        and cohort_effects.cohort_id = group_ref.member_cohort_id
    inner join first_cohort on cohort_effects.programme_id = first_cohort.programme_id
    group by all
),

computed as (
    select
        grouped.*,
        ripple_cohort_meta(grouped.effects, grouped.sizes, grouped.years) as result
    from grouped
),

final as (
    select
        ---------- ids
        level,
        programme_id,
        site,
        period,
        instrument_id,
        scale_id,
        higher_is_better,
        from_wave,
        to_wave,
        ---------- cohorts
        n_cohorts,
        result.k_cohorts,
        n_pairs_total,
        first_cohort_date,
        last_cohort_date,
        ---------- pooled effect, signed so positive = improvement
        result.pooled_d_z,
        result.pooled_se,
        result.pooled_ci_low,
        result.pooled_ci_high,
        result.pooled_z,
        result.pooled_p,
        result.pooled_hk_ci_low,
        result.pooled_hk_ci_high,
        result.prediction_low,
        result.prediction_high,
        ---------- heterogeneity
        result.q,
        result.q_df,
        result.q_p,
        result.i2_percent,
        result.tau2,
        ---------- trend over time
        result.trend_k,
        result.trend_slope_per_year,
        result.trend_se,
        result.trend_ci_low,
        result.trend_ci_high,
        result.trend_t,
        result.trend_df,
        result.trend_p,
        result.trend_tau2_residual,
        result.trend_ci_low > 0 or result.trend_ci_high < 0 as is_trend_significant,
        result.trend_reading,
        'DerSimonian-Laird random-effects pooling of cohort d_z (' || from_wave || ' -> '
        || to_wave || '), heterogeneity, and meta-regression on cohort date; positive = '
        || 'improvement' as statistic,
        ---------- privacy
        n_pairs_total < getvariable('min_cell_size') as is_suppressed
    from computed
)

select * from final
