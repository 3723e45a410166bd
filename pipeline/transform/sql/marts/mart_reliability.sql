-- One row per programme (and all programmes together) x instrument scale x wave: internal
-- consistency of the scale's item scores (after reverse keying and the don't-know rule), over
-- complete cases (responses that answered every item of the scale).
--   alpha = k/(k-1) x (1 - sum item variances / variance of the sum), Feldt's 95% CI
--   omega_total = McDonald's omega of the raw score from a one-factor principal-axis solution
--   is_alpha_below_070 when alpha < .70 (the usual floor for group comparisons)
-- Computed by ripple_reliability (pipeline/stats/reliability.py) on each group's item-score
-- rows. mart_paired_stats uses the programme's baseline alpha for reliable change unless the
-- instrument declares a published reliability.
with

items as (
    select * from item_responses
),

scale_items as (
    select * from instrument_scale_items
),

item_ref as (
    select * from instrument_items
),

scale_ref as (
    select * from instrument_scales
),

respondents as (
    select * from responses
),

wave_ref as (
    select * from waves
),

answers as (
    select
        respondents.programme_id,
        respondents.wave_id,
        scale_items.instrument_id,
        scale_items.scale_id,
        items.response_key,
        list(items.scored_value order by item_ref.position) as item_scores,
        count(items.scored_value) as n_answered
    from items
    inner join scale_items
        on items.instrument_id = scale_items.instrument_id
        and items.item_id = scale_items.item_id
    inner join item_ref on items.item_id = item_ref.item_id
    inner join respondents on items.response_key = respondents.response_key
    group by all
),

flagged as (
    select
        answers.*,
        answers.n_answered = scale_ref.n_items as is_complete
    from answers
    inner join scale_ref
        on answers.instrument_id = scale_ref.instrument_id
        and answers.scale_id = scale_ref.scale_id
),

grouped as (
    select
        programme_id,
        instrument_id,
        scale_id,
        wave_id,
        grouping(programme_id) = 1 as is_all_programmes,
        count(*) filter (where n_answered > 0) as n_answering,
        list(item_scores) filter (where is_complete) as complete_rows
    from flagged
    group by grouping sets (
        (programme_id, instrument_id, scale_id, wave_id),
        (instrument_id, scale_id, wave_id)
    )
),

computed as (
    select
        grouped.*,
        ripple_reliability(grouped.complete_rows) as result
    from grouped
),

final as (
    select
        ---------- ids
        case when computed.is_all_programmes then 'all_programmes' else 'programme' end
            as level,
        computed.programme_id,
        computed.instrument_id,
        computed.scale_id,
        computed.wave_id,
        wave_ref.wave_order,
        ---------- counts
        computed.n_answering,
        computed.result.n_complete,
        scale_ref.n_items,
        ---------- statistics
        computed.result.alpha,
        computed.result.alpha_ci_low,
        computed.result.alpha_ci_high,
        computed.result.omega_total,
        computed.result.alpha < 0.70 as is_alpha_below_070,
        'Cronbach alpha (Feldt 95% CI) and McDonald omega total (one factor, principal axis), '
        || 'complete cases' as statistic,
        ---------- privacy
        computed.result.n_complete < getvariable('min_cell_size') as is_suppressed
    from computed
    inner join scale_ref
        on computed.instrument_id = scale_ref.instrument_id
        and computed.scale_id = scale_ref.scale_id
    inner join wave_ref on computed.wave_id = wave_ref.wave_id
)

select * from final
