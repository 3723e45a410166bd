-- One row per programme x scale x comparison (baseline wave -> a later wave), over people
-- linked across both waves and scored at both.
--   mean_change = mean(score_to - score_from); sd_change = sample SD of the change
--   95% CI = mean_change +/- t(0.975, n_pairs - 1) x sd_change / sqrt(n_pairs)
--   d_z = mean_change / sd_change (Lakens 2013, Front Psychol 4:863), the standardised
--   mean difference a paired t-test is powered on (t = d_z x sqrt(n_pairs))
--   r_from_to = Pearson correlation of the two waves' scores
-- is_suppressed when n_pairs < min_cell_size; the dashboard extract then hides the row.
with

changes as (
    select * from change_scores
),

summarised as (
    select
        programme_id,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        count(*) as n_pairs,
        avg(score_from) as mean_from,
        avg(score_to) as mean_to,
        avg(change) as mean_change,
        stddev_samp(change) as sd_change,
        corr(score_from, score_to) as r_from_to
    from changes
    group by all
),

with_error as (
    select
        *,
        sd_change / sqrt(n_pairs) as se_change,
        ripple_t_quantile(0.975, n_pairs - 1) as t_critical
    from summarised
),

final as (
    select
        ---------- ids
        programme_id,
        instrument_id,
        scale_id,
        from_wave,
        to_wave,
        ---------- statistics
        n_pairs,
        mean_from,
        mean_to,
        mean_change,
        sd_change,
        se_change,
        mean_change - t_critical * se_change as ci_low,
        mean_change + t_critical * se_change as ci_high,
        case when sd_change > 0 then mean_change / sd_change end as d_z,
        r_from_to,
        ---------- privacy
        n_pairs < getvariable('min_cell_size') as is_suppressed
    from with_error
)

select * from final
