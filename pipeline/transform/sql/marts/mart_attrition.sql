-- One row per group (level: the programme, each cohort, each site, each period = calendar year
-- of the cohort's date, see cohort_groups; a baseline response belongs to its cohort's groups)
-- x later wave x instrument scale:
-- retention from the baseline to the later wave, and whether the people who came back
-- (completers: in the paired analysis of that wave and scale) differed at baseline from those
-- who did not (drop-outs: every other baseline response scored on the scale).
--   retention = n_linked / n_baseline_responses (any baseline response linked to the wave)
--   baseline_gap = completers' mean - drop-outs' mean, signed so positive = completers started
--   better, with its Welch CI; Welch t, df, p; d_s (pooled SD) with its noncentral-t CI.
-- Computed by ripple_attrition (pipeline/stats/attrition.py). Only later waves the programme
-- has responses at are listed; a cohort whose follow-up has not happened yet shows retention 0.
with

respondents as (
    select * from responses
),

pairs as (
    select * from linked_pairs
),

changes as (
    select * from change_scores
),

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

baseline_wave as (
    select wave_id from wave_ref
    where wave_order = 0
),

later_waves as (
    select distinct
        respondents.programme_id,
        respondents.wave_id
    from respondents
    inner join wave_ref on respondents.wave_id = wave_ref.wave_id
    where wave_ref.wave_order > 0
),

baseline_responses as (
    select respondents.*
    from respondents
    inner join baseline_wave on respondents.wave_id = baseline_wave.wave_id
),

-- every baseline response once per group of its cohort and later wave
retained as (
    select
        group_ref.level,
        group_ref.programme_id,
        group_ref.cohort_id,
        group_ref.site,
        group_ref.cohort_date,
        group_ref.period,
        later_waves.wave_id as to_wave,
        count(*) as n_baseline_responses,
        count(pairs.from_response_key) as n_linked
    from baseline_responses
    inner join group_ref
        on baseline_responses.programme_id = group_ref.member_programme_id
        and baseline_responses.cohort_id = group_ref.member_cohort_id
    inner join later_waves on baseline_responses.programme_id = later_waves.programme_id
    left join pairs
        on baseline_responses.response_key = pairs.from_response_key
        and later_waves.wave_id = pairs.to_wave
    group by all
),

baseline_scores as (
    select scale_scores.*
    from scale_scores
    inner join baseline_wave on scale_scores.wave_id = baseline_wave.wave_id
),

classified as (
    select
        baseline_scores.programme_id,
        baseline_scores.cohort_id,
        baseline_scores.instrument_id,
        baseline_scores.scale_id,
        baseline_scores.score,
        later_waves.wave_id as to_wave,
        changes.from_response_key is not null as is_completer
    from baseline_scores
    inner join later_waves on baseline_scores.programme_id = later_waves.programme_id
    left join changes
        on baseline_scores.response_key = changes.from_response_key
        and baseline_scores.instrument_id = changes.instrument_id
        and baseline_scores.scale_id = changes.scale_id
        and later_waves.wave_id = changes.to_wave
),

-- every classified baseline score once per group of its cohort
grouped as (
    select
        group_ref.level,
        group_ref.programme_id,
        group_ref.cohort_id,
        group_ref.site,
        group_ref.cohort_date,
        group_ref.period,
        classified.to_wave,
        classified.instrument_id,
        classified.scale_id,
        count(*) as n_baseline_scored,
        list(classified.score) filter (where classified.is_completer) as completer_scores,
        list(classified.score) filter (where not classified.is_completer) as dropout_scores
    from classified
    inner join group_ref
        on classified.programme_id = group_ref.member_programme_id
        and classified.cohort_id = group_ref.member_cohort_id
    group by all
),

computed as (
    select
        grouped.*,
        scale_ref.higher_is_better,
        ripple_attrition(
            grouped.completer_scores, grouped.dropout_scores, scale_ref.higher_is_better
        ) as result
    from grouped
    inner join scale_ref
        on grouped.instrument_id = scale_ref.instrument_id
        and grouped.scale_id = scale_ref.scale_id
),

final as (
    select
        ---------- ids
        computed.level,
        computed.programme_id,
        computed.cohort_id,
        computed.site,
        computed.cohort_date,
        computed.period,
        (select wave_id from baseline_wave) as from_wave,
        computed.to_wave,
        ---------- retention (any scale)
        retained.n_baseline_responses,
        retained.n_linked,
        retained.n_linked / retained.n_baseline_responses as retention,
        ---------- completers vs drop-outs at baseline, per scale
        computed.instrument_id,
        computed.scale_id,
        computed.higher_is_better,
        computed.n_baseline_scored,
        computed.result.n_completers,
        computed.result.n_dropouts,
        computed.result.mean_completers,
        computed.result.sd_completers,
        computed.result.mean_dropouts,
        computed.result.sd_dropouts,
        computed.result.baseline_gap,
        computed.result.baseline_gap_ci_low,
        computed.result.baseline_gap_ci_high,
        computed.result.d_s,
        computed.result.d_s_ci_low,
        computed.result.d_s_ci_high,
        computed.result.welch_t,
        computed.result.welch_df,
        computed.result.welch_p,
        'attrition ' || (select wave_id from baseline_wave) || ' -> ' || computed.to_wave
        || ': baseline scores of completers vs drop-outs; positive = completers started better'
            as statistic,
        ---------- privacy
        least(computed.result.n_completers, computed.result.n_dropouts)
        < getvariable('min_cell_size') as is_suppressed
    from computed
    inner join retained
        on computed.level = retained.level
        and computed.programme_id = retained.programme_id
        and computed.cohort_id is not distinct from retained.cohort_id
        and computed.site is not distinct from retained.site
        and computed.period is not distinct from retained.period
        and computed.to_wave = retained.to_wave
)

select * from final
