-- One row per group x instrument scale x paired comparison: the baseline against each later
-- wave (linked_pairs), and each later wave against a still later one (post -> follow-up: people
-- linked from the same baseline response to both). The groups (level) are the programme, each
-- cohort, each site, each period (cohort_groups; the calendar year of the cohort's date) and
-- each value of each baseline attribute (respondent_attributes of the baseline response;
-- '(not answered)' when the survey asked but got no usable answer, '(not asked)' when it did
-- not ask). A pair belongs to the cohort, site and period of its baseline response.
-- Every effect is signed so that positive = improvement (instrument_scales.higher_is_better);
-- mean_from / mean_to stay in the scale's own units. Computed by ripple_paired_stats
-- (pipeline/stats/paired.py) on each group's (score_from, score_to) pairs:
--   mean improvement with its t CI; paired t and p; d_z with its noncentral-t CI; g_z = d_z x
--   Hedges' exact J(n - 1); d_av (root-mean-square SD of the waves) with Algina & Keselman's
--   CI; Wilcoxon signed-rank (zero changes dropped) with the rank-biserial r; and the shares
--   reliably improved / unchanged / deteriorated by the Jacobson-Truax RCI, with
--   S_diff = SD_baseline x sqrt(2) x sqrt(1 - r_xx) for the programme and scale (the same in
--   every group, so a person is classified the same way in every row), r_xx = the
--   instrument's published reliability when it declares one, else the programme's Cronbach's
--   alpha at baseline (mart_reliability); reliability_source says which.
-- is_suppressed flags rows with n_pairs < min_cell_size; this research mart keeps them.
with

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

group_ref as (
    select * from cohort_groups
    where level <> 'all_programmes'
),

attributes as (
    select * from respondent_attributes
),

-- The instrument library may declare a published reliability per scale
-- (instrument_scales.published_reliability); until it does, this union supplies NULL.
scale_ref as (
    select * from instrument_scales
    union all by name
    select null::double as published_reliability
    where false
),

baseline_reliability as (
    select * from mart_reliability
    where level = 'programme' and wave_order = 0
),

baseline_spread as (
    select
        scale_scores.programme_id,
        scale_scores.instrument_id,
        scale_scores.scale_id,
        stddev_samp(scale_scores.score) as sd_baseline
    from scale_scores
    inner join wave_ref on scale_scores.wave_id = wave_ref.wave_id
    where wave_ref.wave_order = 0
    group by all
),

yardstick as (
    select
        baseline_spread.programme_id,
        baseline_spread.instrument_id,
        baseline_spread.scale_id,
        baseline_spread.sd_baseline,
        coalesce(scale_ref.published_reliability, baseline_reliability.alpha) as r_xx,
        case
            when scale_ref.published_reliability is not null then 'published'
            else 'sample_alpha_baseline'
        end as r_xx_source,
        ripple_se_difference(baseline_spread.sd_baseline, r_xx) as se_diff
    from baseline_spread
    inner join scale_ref
        on baseline_spread.instrument_id = scale_ref.instrument_id
        and baseline_spread.scale_id = scale_ref.scale_id
    left join baseline_reliability
        on baseline_spread.programme_id = baseline_reliability.programme_id
        and baseline_spread.instrument_id = baseline_reliability.instrument_id
        and baseline_spread.scale_id = baseline_reliability.scale_id
),

from_baseline as (
    select
        programme_id,
        cohort_id,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        from_response_key as baseline_key,
        score_from,
        score_to
    from changes
),

between_later_waves as (
    select
        earlier.programme_id,
        earlier.cohort_id,
        earlier.instrument_id,
        earlier.scale_id,
        earlier.to_wave as from_wave,
        later.to_wave as to_wave,
        earlier.from_response_key as baseline_key,
        earlier.score_to as score_from,
        later.score_to as score_to
    from changes as earlier
    inner join changes as later
        on earlier.from_response_key = later.from_response_key
        and earlier.instrument_id = later.instrument_id
        and earlier.scale_id = later.scale_id
    inner join wave_ref as earlier_wave on earlier.to_wave = earlier_wave.wave_id
    inner join wave_ref as later_wave on later.to_wave = later_wave.wave_id
    where earlier_wave.wave_order < later_wave.wave_order
),

pairs as (
    select * from from_baseline
    union all
    select * from between_later_waves
),

-- every pair once per group of its baseline response's cohort
by_cohort as (
    select
        group_ref.level,
        group_ref.programme_id,
        group_ref.cohort_id,
        group_ref.site,
        group_ref.cohort_date,
        group_ref.period,
        pairs.instrument_id,
        pairs.scale_id,
        pairs.from_wave,
        pairs.to_wave,
        flatten(list([pairs.score_from, pairs.score_to])) as score_pairs
    from pairs
    inner join group_ref
        on pairs.programme_id = group_ref.member_programme_id
        and pairs.cohort_id = group_ref.member_cohort_id
    group by all
),

baseline_attributes as (
    select attributes.*
    from attributes
    inner join wave_ref on attributes.wave_id = wave_ref.wave_id
    where wave_ref.wave_order = 0
),

programme_attributes as (
    select distinct programme_id, attribute from baseline_attributes
),

-- every pair once per attribute the programme's baseline surveys declare
by_attribute as (
    select
        'attribute' as level,
        pairs.programme_id,
        programme_attributes.attribute,
        case
            when answered.response_key is null then '(not asked)'
            else coalesce(answered.value, '(not answered)')
        end as attribute_value,
        pairs.instrument_id,
        pairs.scale_id,
        pairs.from_wave,
        pairs.to_wave,
        flatten(list([pairs.score_from, pairs.score_to])) as score_pairs
    from pairs
    inner join programme_attributes on pairs.programme_id = programme_attributes.programme_id
    left join baseline_attributes as answered
        on pairs.baseline_key = answered.response_key
        and programme_attributes.attribute = answered.attribute
    group by all
),

grouped as (
    select * from by_cohort
    union all by name
    select * from by_attribute
),

computed as (
    select
        grouped.*,
        scale_ref.higher_is_better,
        yardstick.sd_baseline,
        yardstick.r_xx,
        case
            when yardstick.se_diff is null then 'unavailable'
            else yardstick.r_xx_source
        end as reliability_source,
        yardstick.se_diff,
        ripple_paired_stats(
            grouped.score_pairs, scale_ref.higher_is_better, yardstick.se_diff
        ) as result
    from grouped
    inner join scale_ref
        on grouped.instrument_id = scale_ref.instrument_id
        and grouped.scale_id = scale_ref.scale_id
    left join yardstick
        on grouped.programme_id = yardstick.programme_id
        and grouped.instrument_id = yardstick.instrument_id
        and grouped.scale_id = yardstick.scale_id
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
        computed.attribute,
        computed.attribute_value,
        computed.instrument_id,
        computed.scale_id,
        computed.higher_is_better,
        computed.from_wave,
        computed.to_wave,
        from_ref.wave_order = 0 as is_from_baseline,
        ---------- scores, in the scale's units
        computed.result.n_pairs,
        computed.result.mean_from,
        computed.result.mean_to,
        computed.result.sd_from,
        computed.result.sd_to,
        computed.result.r_from_to,
        ---------- change, signed so positive = improvement
        computed.result.mean_improvement,
        computed.result.sd_improvement,
        computed.result.improvement_ci_low,
        computed.result.improvement_ci_high,
        computed.result.t,
        computed.result.df,
        computed.result.p,
        computed.result.d_z,
        computed.result.d_z_ci_low,
        computed.result.d_z_ci_high,
        computed.result.g_z,
        computed.result.d_av,
        computed.result.d_av_ci_low,
        computed.result.d_av_ci_high,
        computed.result.wilcoxon_n_nonzero,
        computed.result.wilcoxon_v,
        computed.result.wilcoxon_p,
        computed.result.rank_biserial_r,
        ---------- reliable change
        computed.reliability_source,
        computed.r_xx as rci_reliability,
        computed.sd_baseline as rci_sd_baseline,
        computed.se_diff as rci_se_diff,
        computed.result.n_reliably_improved,
        computed.result.n_reliably_unchanged,
        computed.result.n_reliably_deteriorated,
        computed.result.share_reliably_improved,
        computed.result.share_reliably_unchanged,
        computed.result.share_reliably_deteriorated,
        'paired change ' || computed.from_wave || ' -> ' || computed.to_wave
        || ' over people linked at both waves; effects signed so positive = improvement'
            as statistic,
        ---------- privacy
        computed.result.n_pairs < getvariable('min_cell_size') as is_suppressed
    from computed
    inner join wave_ref as from_ref on computed.from_wave = from_ref.wave_id
)

select * from final
