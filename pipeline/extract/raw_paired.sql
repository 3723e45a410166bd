-- Paired statistics before disclosure control, one row per group x scale x comparison:
-- programme and cohort levels from mart_paired_stats, and the same computation
-- (ripple_paired_stats, pipeline/stats/paired.py, with the programme's reliable-change
-- yardstick from the mart) for sites and for the values of each baseline attribute
-- (respondent_attributes of the baseline response; '(not answered)' when the survey asked
-- but got no usable answer, '(not asked)' when it did not ask).
with

changes as (
    select * from wh.change_scores
),

wave_ref as (
    select * from wh.waves
),

cohort_ref as (
    select * from wh.cohorts
),

scale_ref as (
    select * from wh.instrument_scales
),

yardstick as (
    select
        programme_id,
        instrument_id,
        scale_id,
        any_value(rci_se_diff) as se_diff,
        any_value(reliability_source) as reliability_source,
        any_value(rci_reliability) as rci_reliability
    from wh.mart_paired_stats
    where level = 'programme'
    group by all
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

baseline_attributes as (
    select attributes.*
    from wh.respondent_attributes as attributes
    inner join wave_ref on attributes.wave_id = wave_ref.wave_id
    where wave_ref.wave_order = 0
),

programme_attributes as (
    select distinct programme_id, attribute from baseline_attributes
),

attributed as (
    select
        pairs.*,
        programme_attributes.attribute,
        case
            when answered.response_key is null then '(not asked)'
            else coalesce(answered.value, '(not answered)')
        end as attribute_value
    from pairs
    inner join programme_attributes on pairs.programme_id = programme_attributes.programme_id
    left join baseline_attributes as answered
        on pairs.baseline_key = answered.response_key
        and programme_attributes.attribute = answered.attribute
),

by_site as (
    select
        'site' as level,
        pairs.programme_id,
        cohort_ref.site as site,
        null::varchar as attribute,
        null::varchar as attribute_value,
        pairs.instrument_id,
        pairs.scale_id,
        pairs.from_wave,
        pairs.to_wave,
        flatten(list([pairs.score_from, pairs.score_to])) as score_pairs
    from pairs
    inner join cohort_ref
        on pairs.programme_id = cohort_ref.programme_id
        and pairs.cohort_id = cohort_ref.cohort_id
    group by all
),

by_attribute as (
    select
        'attribute' as level,
        programme_id,
        null::varchar as site,
        attribute,
        attribute_value,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        flatten(list([score_from, score_to])) as score_pairs
    from attributed
    group by all
),

computed as (
    select
        grouped.level,
        grouped.programme_id,
        grouped.site,
        null::varchar as cohort_id,
        null::date as cohort_date,
        grouped.attribute,
        grouped.attribute_value,
        grouped.instrument_id,
        grouped.scale_id,
        scale_ref.higher_is_better,
        grouped.from_wave,
        grouped.to_wave,
        from_ref.wave_order = 0 as is_from_baseline,
        coalesce(yardstick.reliability_source, 'unavailable') as reliability_source,
        yardstick.rci_reliability,
        ripple_paired_stats(
            grouped.score_pairs, scale_ref.higher_is_better, yardstick.se_diff
        ) as result
    from (select * from by_site union all by name select * from by_attribute) as grouped
    inner join scale_ref
        on grouped.instrument_id = scale_ref.instrument_id
        and grouped.scale_id = scale_ref.scale_id
    inner join wave_ref as from_ref on grouped.from_wave = from_ref.wave_id
    left join yardstick
        on grouped.programme_id = yardstick.programme_id
        and grouped.instrument_id = yardstick.instrument_id
        and grouped.scale_id = yardstick.scale_id
),

from_mart as (
    select
        level,
        programme_id,
        site,
        cohort_id,
        cohort_date,
        null::varchar as attribute,
        null::varchar as attribute_value,
        instrument_id,
        scale_id,
        higher_is_better,
        from_wave,
        to_wave,
        is_from_baseline,
        n_pairs,
        mean_from,
        mean_to,
        sd_from,
        sd_to,
        mean_improvement,
        sd_improvement,
        improvement_ci_low,
        improvement_ci_high,
        p,
        d_z,
        d_z_ci_low,
        d_z_ci_high,
        g_z,
        d_av,
        d_av_ci_low,
        d_av_ci_high,
        reliability_source,
        rci_reliability,
        n_reliably_improved,
        n_reliably_unchanged,
        n_reliably_deteriorated,
        share_reliably_improved,
        share_reliably_unchanged,
        share_reliably_deteriorated
    from wh.mart_paired_stats
),

from_computation as (
    select
        level,
        programme_id,
        site,
        cohort_id,
        cohort_date,
        attribute,
        attribute_value,
        instrument_id,
        scale_id,
        higher_is_better,
        from_wave,
        to_wave,
        is_from_baseline,
        result.n_pairs,
        result.mean_from,
        result.mean_to,
        result.sd_from,
        result.sd_to,
        result.mean_improvement,
        result.sd_improvement,
        result.improvement_ci_low,
        result.improvement_ci_high,
        result.p,
        result.d_z,
        result.d_z_ci_low,
        result.d_z_ci_high,
        result.g_z,
        result.d_av,
        result.d_av_ci_low,
        result.d_av_ci_high,
        reliability_source,
        rci_reliability,
        result.n_reliably_improved,
        result.n_reliably_unchanged,
        result.n_reliably_deteriorated,
        result.share_reliably_improved,
        result.share_reliably_unchanged,
        result.share_reliably_deteriorated
    from computed
)

select
    rows.*,
    scale_ref.score_min,
    scale_ref.score_max
from (select * from from_mart union all by name select * from from_computation) as rows
inner join scale_ref
    on rows.instrument_id = scale_ref.instrument_id
    and rows.scale_id = scale_ref.scale_id
order by all
