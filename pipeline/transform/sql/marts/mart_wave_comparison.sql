-- One row per group (level: the programme, each cohort, each site, each period = calendar year
-- of the cohort's date, see cohort_groups; a response belongs to its own cohort's groups)
-- x instrument scale x later wave: every scored response at the baseline against every scored response at the later wave
-- (all available responses, linked or not), as two independent groups.
-- Computed by ripple_two_sample (pipeline/stats/unpaired.py):
--   each wave's mean with its t CI; the difference signed so positive = improvement, with its
--   Welch CI; Welch t, df, p; d_s (pooled SD), Hedges' g_s = d_s x exact J(n_1 + n_2 - 2) and
--   the noncentral-t 95% CI of the population effect.
-- Linked people answer both waves, so the groups overlap: the Welch test treats them as
-- independent (conservative when scores correlate). When mart_attrition shows completers and
-- drop-outs differed at baseline, these all-available differences mix change with selection.
with

scale_scores as (
    select * from scores
    where is_scored
),

wave_ref as (
    select * from waves
),

scale_ref as (
    select * from instrument_scales
),

group_ref as (
    select * from cohort_groups
    where level <> 'all_programmes'
),

-- every scored response once per group of its cohort
per_wave as (
    select
        group_ref.level,
        group_ref.programme_id,
        group_ref.cohort_id,
        group_ref.site,
        group_ref.cohort_date,
        group_ref.period,
        scale_scores.instrument_id,
        scale_scores.scale_id,
        scale_scores.wave_id,
        list(scale_scores.score) as wave_scores
    from scale_scores
    inner join group_ref
        on scale_scores.programme_id = group_ref.member_programme_id
        and scale_scores.cohort_id = group_ref.member_cohort_id
    group by all
),

placed as (
    select
        per_wave.*,
        wave_ref.wave_order
    from per_wave
    inner join wave_ref on per_wave.wave_id = wave_ref.wave_id
),

compared as (
    select
        later.level,
        later.programme_id,
        later.cohort_id,
        later.site,
        later.cohort_date,
        later.period,
        later.instrument_id,
        later.scale_id,
        scale_ref.higher_is_better,
        baseline.wave_id as from_wave,
        later.wave_id as to_wave,
        ripple_two_sample(
            baseline.wave_scores, later.wave_scores, scale_ref.higher_is_better
        ) as result
    from placed as later
    inner join placed as baseline
        on later.level = baseline.level
        and later.programme_id = baseline.programme_id
        and later.cohort_id is not distinct from baseline.cohort_id
        and later.site is not distinct from baseline.site
        and later.period is not distinct from baseline.period
        and later.instrument_id = baseline.instrument_id
        and later.scale_id = baseline.scale_id
    inner join scale_ref
        on later.instrument_id = scale_ref.instrument_id
        and later.scale_id = scale_ref.scale_id
    where baseline.wave_order = 0 and later.wave_order > 0
),

final as (
    select
        ---------- ids
        compared.level,
        compared.programme_id,
        compared.cohort_id,
        compared.site,
        compared.cohort_date,
        compared.period,
        compared.instrument_id,
        compared.scale_id,
        compared.higher_is_better,
        compared.from_wave,
        compared.to_wave,
        ---------- each wave, in the scale's units
        compared.result.n_first as n_from,
        compared.result.mean_first as mean_from,
        compared.result.sd_first as sd_from,
        compared.result.mean_first_ci_low as mean_from_ci_low,
        compared.result.mean_first_ci_high as mean_from_ci_high,
        compared.result.n_second as n_to,
        compared.result.mean_second as mean_to,
        compared.result.sd_second as sd_to,
        compared.result.mean_second_ci_low as mean_to_ci_low,
        compared.result.mean_second_ci_high as mean_to_ci_high,
        ---------- difference, signed so positive = improvement
        compared.result.difference as mean_improvement,
        compared.result.difference_ci_low as improvement_ci_low,
        compared.result.difference_ci_high as improvement_ci_high,
        compared.result.welch_t,
        compared.result.welch_df,
        compared.result.welch_p,
        compared.result.d_s,
        compared.result.g_s,
        compared.result.delta_ci_low as g_s_ci_low,
        compared.result.delta_ci_high as g_s_ci_high,
        'all available responses ' || compared.from_wave || ' vs ' || compared.to_wave
        || ' as independent groups; effects signed so positive = improvement' as statistic,
        ---------- privacy
        least(compared.result.n_first, compared.result.n_second)
        < getvariable('min_cell_size') as is_suppressed
    from compared
)

select * from final
