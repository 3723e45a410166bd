-- Paired statistics before disclosure control, one row per group x scale x comparison, read
-- from mart_paired_stats: the programme, its sites, its cohorts and the values of each
-- baseline attribute (the breakdowns disclosure control protects: programme = sites = cohorts
-- = the values of each attribute). The mart's period level is not published: a calendar
-- year's cohorts would be a second breakdown of the programme that overlaps the sites, which
-- the extract's version-2 partitions do not cover. With the scale's range.
with

paired as (
    select * from wh.mart_paired_stats
    where level in ('programme', 'site', 'cohort', 'attribute')
),

scale_ref as (
    select * from wh.instrument_scales
),

final as (
    select
        paired.level,
        paired.programme_id,
        paired.site,
        paired.cohort_id,
        paired.cohort_date,
        paired.attribute,
        paired.attribute_value,
        paired.instrument_id,
        paired.scale_id,
        paired.higher_is_better,
        paired.from_wave,
        paired.to_wave,
        paired.is_from_baseline,
        paired.n_pairs,
        paired.mean_from,
        paired.mean_to,
        paired.sd_from,
        paired.sd_to,
        paired.mean_improvement,
        paired.sd_improvement,
        paired.improvement_ci_low,
        paired.improvement_ci_high,
        paired.p,
        paired.d_z,
        paired.d_z_ci_low,
        paired.d_z_ci_high,
        paired.g_z,
        paired.d_av,
        paired.d_av_ci_low,
        paired.d_av_ci_high,
        paired.reliability_source,
        paired.rci_reliability,
        paired.n_reliably_improved,
        paired.n_reliably_unchanged,
        paired.n_reliably_deteriorated,
        paired.share_reliably_improved,
        paired.share_reliably_unchanged,
        paired.share_reliably_deteriorated,
        scale_ref.score_min,
        scale_ref.score_max
    from paired
    inner join scale_ref
        on paired.instrument_id = scale_ref.instrument_id
        and paired.scale_id = scale_ref.scale_id
)

select * from final
order by all
