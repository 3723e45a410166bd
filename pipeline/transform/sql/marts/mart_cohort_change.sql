-- One row per programme x cohort x scale x comparison: paired change per workshop cohort,
-- for trends over time. Statistics as in mart_paired_change.
-- Suppression: primary when n_pairs < min_cell_size; complementary when exactly one cohort
-- of a programme x scale x comparison is suppressed, the next smallest cohort is suppressed
-- too, so the hidden one cannot be worked out from the programme's total.
with

changes as (
    select * from change_scores
),

cohort_ref as (
    select * from cohorts
),

summarised as (
    select
        programme_id,
        cohort_id,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        count(*) as n_pairs,
        avg(change) as mean_change,
        stddev_samp(change) as sd_change
    from changes
    group by all
),

with_error as (
    select
        *,
        sd_change / sqrt(n_pairs) as se_change,
        ripple_t_quantile(0.975, n_pairs - 1) as t_critical,
        n_pairs < getvariable('min_cell_size') as is_primary_suppressed
    from summarised
),

ranked as (
    select
        *,
        count(*) filter (where is_primary_suppressed) over comparison as n_primary_suppressed,
        row_number() over (
            partition by
                programme_id, instrument_id, scale_id, from_wave, to_wave,
                is_primary_suppressed
            order by n_pairs, cohort_id
        ) as size_rank
    from with_error
    window comparison as (
        partition by programme_id, instrument_id, scale_id, from_wave, to_wave
    )
),

final as (
    select
        ---------- ids
        ranked.programme_id,
        ranked.cohort_id,
        cohort_ref.site,
        cohort_ref.cohort_date,
        ranked.instrument_id,
        ranked.scale_id,
        ranked.from_wave,
        ranked.to_wave,
        ---------- statistics
        ranked.n_pairs,
        ranked.mean_change,
        ranked.sd_change,
        ranked.mean_change - ranked.t_critical * ranked.se_change as ci_low,
        ranked.mean_change + ranked.t_critical * ranked.se_change as ci_high,
        case
            when ranked.sd_change > 0 then ranked.mean_change / ranked.sd_change
        end as d_z,
        ---------- privacy
        ranked.is_primary_suppressed,
        ranked.is_primary_suppressed
        or (
            ranked.n_primary_suppressed = 1
            and not ranked.is_primary_suppressed
            and ranked.size_rank = 1
        ) as is_suppressed
    from ranked
    inner join cohort_ref
        on ranked.programme_id = cohort_ref.programme_id
        and ranked.cohort_id = cohort_ref.cohort_id
)

select * from final
