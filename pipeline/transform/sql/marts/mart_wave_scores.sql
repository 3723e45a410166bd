-- One row per programme x scale x wave: all-available (unpaired) scores over every scored
-- response, linked or not. mean with 95% CI = mean +/- t(0.975, n - 1) x sd / sqrt(n).
-- is_suppressed when n < min_cell_size.
with

scale_scores as (
    select * from scores
    where is_scored
),

summarised as (
    select
        programme_id,
        instrument_id,
        scale_id,
        wave_id,
        count(*) as n,
        avg(score) as mean,
        stddev_samp(score) as sd
    from scale_scores
    group by all
),

final as (
    select
        ---------- ids
        programme_id,
        instrument_id,
        scale_id,
        wave_id,
        ---------- statistics
        n,
        mean,
        sd,
        mean - ripple_t_quantile(0.975, n - 1) * sd / sqrt(n) as ci_low,
        mean + ripple_t_quantile(0.975, n - 1) * sd / sqrt(n) as ci_high,
        ---------- privacy
        n < getvariable('min_cell_size') as is_suppressed
    from summarised
)

select * from final
