-- One row per group (level: the programme, each cohort, each site, each period = calendar year
-- of the cohort's date, see cohort_periods; a baseline response belongs to its cohort's groups)
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

cohort_ref as (
    select * from cohort_periods
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
    select
        respondents.response_key,
        respondents.programme_id,
        respondents.cohort_id,
        cohort_ref.site,
        cohort_ref.cohort_date,
        cohort_ref.period
    from respondents
    inner join baseline_wave on respondents.wave_id = baseline_wave.wave_id
    inner join cohort_ref
        on respondents.programme_id = cohort_ref.programme_id
        and respondents.cohort_id = cohort_ref.cohort_id
),

-- a cohort's site, date and period depend on the cohort alone, so grouping by them with it
-- keeps them on its rows; the site and period rows group by them without the cohort
retained as (
    select
        case
            when grouping(baseline_responses.cohort_id) = 0 then 'cohort'
            when grouping(baseline_responses.site) = 0 then 'site'
            when grouping(baseline_responses.period) = 0 then 'period'
            else 'programme'
        end as level,
        baseline_responses.programme_id,
        baseline_responses.cohort_id,
        baseline_responses.site,
        baseline_responses.cohort_date,
        baseline_responses.period,
        later_waves.wave_id as to_wave,
        count(*) as n_baseline_responses,
        count(pairs.from_response_key) as n_linked
    from baseline_responses
    inner join later_waves on baseline_responses.programme_id = later_waves.programme_id
    left join pairs
        on baseline_responses.response_key = pairs.from_response_key
        and later_waves.wave_id = pairs.to_wave
    group by grouping sets (
        (baseline_responses.programme_id, later_waves.wave_id),
        (
            baseline_responses.programme_id,
            baseline_responses.cohort_id,
            baseline_responses.site,
            baseline_responses.cohort_date,
            baseline_responses.period,
            later_waves.wave_id
        ),
        (baseline_responses.programme_id, baseline_responses.site, later_waves.wave_id),
        (baseline_responses.programme_id, baseline_responses.period, later_waves.wave_id)
    )
),

baseline_scores as (
    select
        scale_scores.*,
        cohort_ref.site,
        cohort_ref.cohort_date,
        cohort_ref.period
    from scale_scores
    inner join baseline_wave on scale_scores.wave_id = baseline_wave.wave_id
    inner join cohort_ref
        on scale_scores.programme_id = cohort_ref.programme_id
        and scale_scores.cohort_id = cohort_ref.cohort_id
),

classified as (
    select
        baseline_scores.programme_id,
        baseline_scores.cohort_id,
        baseline_scores.site,
        baseline_scores.cohort_date,
        baseline_scores.period,
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

grouped as (
    select
        case
            when grouping(cohort_id) = 0 then 'cohort'
            when grouping(site) = 0 then 'site'
            when grouping(period) = 0 then 'period'
            else 'programme'
        end as level,
        programme_id,
        cohort_id,
        site,
        cohort_date,
        period,
        to_wave,
        instrument_id,
        scale_id,
        count(*) as n_baseline_scored,
        list(score) filter (where is_completer) as completer_scores,
        list(score) filter (where not is_completer) as dropout_scores
    from classified
    group by grouping sets (
        (programme_id, to_wave, instrument_id, scale_id),
        (programme_id, cohort_id, site, cohort_date, period, to_wave, instrument_id, scale_id),
        (programme_id, site, to_wave, instrument_id, scale_id),
        (programme_id, period, to_wave, instrument_id, scale_id)
    )
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
